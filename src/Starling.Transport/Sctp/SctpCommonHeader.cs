using System.Buffers.Binary;

namespace Starling.Transport.Sctp;

/// <summary>
/// The SCTP common header (RFC 9260 §3.1). The checksum is CRC32c over the whole packet with this field zero,
/// stored least significant byte first (RFC 9260 Appendix A).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Source Port Number        |     Destination Port Number   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      Verification Tag                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           Checksum                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly record struct SctpCommonHeader(ushort SourcePort, ushort DestinationPort, uint VerificationTag, uint Checksum)
{
    public const int Size = 12;

    public static bool TryRead(ReadOnlySpan<byte> source, out SctpCommonHeader header, out int consumed)
    {
        if (source.Length < Size)
        {
            header = default;
            consumed = 0;
            return false;
        }

        header = new SctpCommonHeader(
            BinaryPrimitives.ReadUInt16BigEndian(source),
            BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[8..]));
        consumed = Size;
        return true;
    }

    public int GetSize() => Size;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        if (destination.Length < Size)
        {
            written = 0;
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], VerificationTag);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], Checksum);
        written = Size;
        return true;
    }

    /// <summary>Checks the CRC32c of a whole packet against the checksum stored in its header.</summary>
    public static bool HasValidChecksum(ReadOnlySpan<byte> packet) =>
        packet.Length >= Size && Crc32c.ComputeSctpChecksum(packet) == BinaryPrimitives.ReadUInt32LittleEndian(packet[8..]);

    /// <summary>Computes and stores the checksum of a fully written packet.</summary>
    public static void WriteChecksum(Span<byte> packet) =>
        BinaryPrimitives.WriteUInt32LittleEndian(packet[8..], Crc32c.ComputeSctpChecksum(packet));
}
