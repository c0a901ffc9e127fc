using System.Buffers.Binary;

namespace Starling.Wire.Codecs;

/// <summary>
/// The VP9 payload descriptor (RFC 9628 §4.2, formerly draft-ietf-payload-vp9), flexible (F = 1) and non-flexible
/// (F = 0) modes, with the scalability structure (§4.2.1) walked for its length and layer count.
/// <code>
///        0 1 2 3 4 5 6 7
///       +-+-+-+-+-+-+-+-+
///       |I|P|L|F|B|E|V|Z| (REQUIRED)
///       +-+-+-+-+-+-+-+-+
///  I:   |M| PICTURE ID  | (RECOMMENDED)
///       +-+-+-+-+-+-+-+-+
///  M:   | EXTENDED PID  | (RECOMMENDED)
///       +-+-+-+-+-+-+-+-+
///  L:   |  TID  |U| SID |D| (CONDITIONALLY RECOMMENDED)
///       +-+-+-+-+-+-+-+-+
///       |   TL0PICIDX   | (F = 0 and L = 1: CONDITIONALLY REQUIRED)
///       +-+-+-+-+-+-+-+-+                             -\
///  P,F: | P_DIFF      |N| (F = 1 and P = 1)            - up to 3 times
///       +-+-+-+-+-+-+-+-+                             -/
///  V:   | SS            |
///       | ..            |
///       +-+-+-+-+-+-+-+-+
///
///  SS:  | N_S |Y|G|-|-|-|  then, if Y, (N_S + 1) × WIDTH (16) HEIGHT (16);
///                           if G, N_G and N_G × (|TID|U| R |-|-| + R × P_DIFF)
/// </code>
/// I: picture id present, P: inter-picture predicted, L: layer indices present, F: flexible mode, B: start of a
/// layer frame, E: end of a layer frame, V: scalability structure present, Z: not a reference for upper spatial
/// layers. A key frame starts with P = 0 and B = 1 on spatial layer 0.
/// </summary>
internal readonly record struct Vp9PayloadDescriptor
{
    public const int MaxReferences = 3;

    public bool HasPictureId { get; init; }

    /// <summary>P: the frame references a previous picture (not a key frame / intra-only frame).</summary>
    public bool InterPicturePredicted { get; init; }

    public bool HasLayerIndices { get; init; }

    public bool FlexibleMode { get; init; }

    /// <summary>B: the payload starts a (layer) frame.</summary>
    public bool StartOfFrame { get; init; }

    /// <summary>E: the payload ends a (layer) frame.</summary>
    public bool EndOfFrame { get; init; }

    public bool HasScalabilityStructure { get; init; }

    /// <summary>Z: the frame is not used as a reference by upper spatial layers.</summary>
    public bool NotUpperSpatialReference { get; init; }

    /// <summary>M: the picture id is 15 bits (else 7).</summary>
    public bool HasLongPictureId { get; init; }

    public ushort PictureId { get; init; }

    /// <summary>TID (0–7); 0 without layer indices.</summary>
    public byte TemporalLayerId { get; init; }

    /// <summary>U: switching up point.</summary>
    public bool SwitchingUpPoint { get; init; }

    /// <summary>SID (0–7); 0 without layer indices.</summary>
    public byte SpatialLayerId { get; init; }

    /// <summary>D: inter-layer dependency on the spatial layer below.</summary>
    public bool InterLayerDependency { get; init; }

    /// <summary>TL0PICIDX, present in non-flexible mode with layer indices.</summary>
    public bool HasTl0PicIdx { get; init; }

    public byte Tl0PicIdx { get; init; }

    /// <summary>Number of P_DIFF reference indices (flexible mode, 0–3).</summary>
    public int ReferenceCount { get; init; }

    /// <summary>N_S + 1 from the scalability structure; 0 without one.</summary>
    public int SpatialLayerCount { get; init; }

    /// <summary>The scalability structure carries each spatial layer's resolution (Y).</summary>
    public bool HasResolutions { get; init; }

    /// <summary>Offset of the scalability structure in the payload (0 without one).</summary>
    public int ScalabilityStructureOffset { get; init; }

    /// <summary>Descriptor length: where the VP9 frame data starts.</summary>
    public int Size { get; init; }

    /// <summary>A key frame starts here: P = 0, B = 1, spatial layer 0.</summary>
    public bool IsKeyFrameStart => !InterPicturePredicted && StartOfFrame && SpatialLayerId == 0;

    /// <summary>Reads the descriptor; false when any announced field, P_DIFF chain (more than 3 or unterminated) or
    /// scalability structure is truncated.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out Vp9PayloadDescriptor descriptor, out int bytesRead)
    {
        descriptor = default;
        bytesRead = 0;
        if (source.IsEmpty)
        {
            return false;
        }

        var first = source[0];
        var result = new Vp9PayloadDescriptor
        {
            HasPictureId = (first & 0x80) != 0,
            InterPicturePredicted = (first & 0x40) != 0,
            HasLayerIndices = (first & 0x20) != 0,
            FlexibleMode = (first & 0x10) != 0,
            StartOfFrame = (first & 0x08) != 0,
            EndOfFrame = (first & 0x04) != 0,
            HasScalabilityStructure = (first & 0x02) != 0,
            NotUpperSpatialReference = (first & 0x01) != 0,
        };
        var offset = 1;
        if (result.HasPictureId)
        {
            if (source.Length <= offset)
            {
                return false;
            }

            if ((source[offset] & 0x80) != 0)
            {
                if (source.Length <= offset + 1)
                {
                    return false;
                }

                result = result with { HasLongPictureId = true, PictureId = (ushort)(((source[offset] & 0x7F) << 8) | source[offset + 1]) };
                offset += 2;
            }
            else
            {
                result = result with { PictureId = source[offset++] };
            }
        }

        if (result.HasLayerIndices)
        {
            if (source.Length <= offset)
            {
                return false;
            }

            var layers = source[offset++];
            result = result with
            {
                TemporalLayerId = (byte)(layers >> 5),
                SwitchingUpPoint = (layers & 0x10) != 0,
                SpatialLayerId = (byte)((layers >> 1) & 0x07),
                InterLayerDependency = (layers & 0x01) != 0,
            };
            if (!result.FlexibleMode)
            {
                if (source.Length <= offset)
                {
                    return false;
                }

                result = result with { HasTl0PicIdx = true, Tl0PicIdx = source[offset++] };
            }
        }

        if (result.FlexibleMode && result.InterPicturePredicted)
        {
            var references = 0;
            while (true)
            {
                if (source.Length <= offset || references == MaxReferences)
                {
                    return false;
                }

                references++;
                if ((source[offset++] & 0x01) == 0)
                {
                    break;
                }
            }

            result = result with { ReferenceCount = references };
        }

        if (result.HasScalabilityStructure)
        {
            if (!TrySkipScalabilityStructure(source, ref offset, out var spatialLayers, out var resolutions, out var structureOffset))
            {
                return false;
            }

            result = result with { SpatialLayerCount = spatialLayers, HasResolutions = resolutions, ScalabilityStructureOffset = structureOffset };
        }

        descriptor = result with { Size = offset };
        bytesRead = offset;
        return true;
    }

    /// <summary>A key frame starts in this payload (P = 0, B = 1, spatial layer 0).</summary>
    public static bool IsKeyFrame(ReadOnlySpan<byte> payload) => TryRead(payload, out var descriptor, out _) && descriptor.IsKeyFrameStart;

    /// <summary>The resolution of <paramref name="spatialLayer"/> from the scalability structure of <paramref name="payload"/>.</summary>
    public static bool TryGetResolution(ReadOnlySpan<byte> payload, int spatialLayer, out ushort width, out ushort height)
    {
        width = 0;
        height = 0;
        if (!TryRead(payload, out var descriptor, out _) || !descriptor.HasResolutions
            || spatialLayer < 0 || spatialLayer >= descriptor.SpatialLayerCount)
        {
            return false;
        }

        var offset = descriptor.ScalabilityStructureOffset + 1 + (spatialLayer * 4);
        width = BinaryPrimitives.ReadUInt16BigEndian(payload[offset..]);
        height = BinaryPrimitives.ReadUInt16BigEndian(payload[(offset + 2)..]);
        return true;
    }

    private static bool TrySkipScalabilityStructure(ReadOnlySpan<byte> source, ref int offset, out int spatialLayers, out bool resolutions, out int structureOffset)
    {
        spatialLayers = 0;
        resolutions = false;
        structureOffset = offset;
        if (source.Length <= offset)
        {
            return false;
        }

        var header = source[offset++];
        spatialLayers = (header >> 5) + 1;
        resolutions = (header & 0x10) != 0;
        if (resolutions)
        {
            offset += spatialLayers * 4;
        }

        if ((header & 0x08) != 0)
        {
            if (source.Length <= offset)
            {
                return false;
            }

            var groups = source[offset++];
            for (var i = 0; i < groups; i++)
            {
                if (source.Length <= offset)
                {
                    return false;
                }

                var referenceCount = (source[offset++] >> 2) & 0x03;
                offset += referenceCount;
            }
        }

        return source.Length >= offset;
    }
}
