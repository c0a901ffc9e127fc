using System.Buffers.Binary;

namespace Starling.Wire.Rtp;

/// <summary>
/// The mandatory fields of the dependency descriptor (AV1 RTP specification, Appendix A.8.1
/// <c>mandatory_descriptor_fields()</c>); the extended fields (template structure, active decode targets, custom
/// dependencies) are not parsed, only whether they are present and whether a template structure is attached
/// (the sender attaches one on key frames).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |S|E| template  |         frame_number          |T| extended...  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  S start_of_frame, E end_of_frame, template = frame_dependency_template_id,
///  T template_dependency_structure_present_flag (first bit of the extended fields)
/// </code>
/// <see cref="TryWrite"/> writes the three mandatory bytes only.
/// </summary>
internal readonly record struct DependencyDescriptorExtension(bool StartOfFrame, bool EndOfFrame, byte TemplateId, ushort FrameNumber)
{
    public const int MandatorySize = 3;

    /// <summary>The descriptor carries extended fields (it is longer than 3 bytes).</summary>
    public bool HasExtendedFields { get; init; }

    /// <summary>A template dependency structure is attached (a key frame, or a structure change).</summary>
    public bool HasTemplateStructure { get; init; }

    public static bool TryRead(ReadOnlySpan<byte> source, out DependencyDescriptorExtension value, out int bytesRead)
    {
        if (source.Length < MandatorySize)
        {
            value = default;
            bytesRead = 0;
            return false;
        }

        var extended = source.Length > MandatorySize;
        value = new DependencyDescriptorExtension(
            (source[0] & 0x80) != 0,
            (source[0] & 0x40) != 0,
            (byte)(source[0] & 0x3F),
            BinaryPrimitives.ReadUInt16BigEndian(source[1..]))
        {
            HasExtendedFields = extended,
            HasTemplateStructure = extended && (source[MandatorySize] & 0x80) != 0,
        };
        bytesRead = source.Length;
        return true;
    }

    public int GetSize() => MandatorySize;

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.Length < MandatorySize || TemplateId > 63)
        {
            return false;
        }

        destination[0] = (byte)((StartOfFrame ? 0x80 : 0) | (EndOfFrame ? 0x40 : 0) | TemplateId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], FrameNumber);
        bytesWritten = MandatorySize;
        return true;
    }
}
