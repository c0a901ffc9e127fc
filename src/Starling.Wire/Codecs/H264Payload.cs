using System.Buffers.Binary;

namespace Starling.Wire.Codecs;

/// <summary>
/// Key frame detection in H.264 RTP payloads (RFC 6184): single NAL unit packets (§5.6), STAP-A (§5.7.1) and FU-A
/// (§5.8). A payload starts a key frame when it carries (the start of) an IDR slice (type 5) or a sequence parameter
/// set (type 7), which encoders send right before the IDR.
/// <code>
/// NAL unit header (§1.3)    STAP-A (§5.7.1)                              FU-A (§5.8)
/// +---------------+         +---------------+-------------------------+  +---------------+---------------+
/// |F|NRI|  Type   |         |F|NRI| Type=24 | NALU 1 size (16) | NALU 1  |  |F|NRI| Type=28 |S|E|R|  Type   |
/// +---------------+         +---------------+--------- ... ----+- ...  +  +---------------+---------------+
///                             | NALU 2 size (16) | NALU 2 ...             FU indicator    FU header
/// </code>
/// </summary>
internal static class H264Payload
{
    /// <summary>
    /// The type of the NAL unit this payload carries or starts: the header's type for a single NAL unit, the
    /// first aggregated unit's for STAP-A, the fragmented unit's for FU-A (any fragment). False for an empty or
    /// truncated payload.
    /// </summary>
    public static bool TryGetNalUnitType(ReadOnlySpan<byte> payload, out byte type)
    {
        type = 0;
        if (payload.IsEmpty)
        {
            return false;
        }

        var header = (byte)(payload[0] & 0x1F);
        switch (header)
        {
            case H264NalUnitType.StapA:
                if (payload.Length < 4 || BinaryPrimitives.ReadUInt16BigEndian(payload[1..]) == 0)
                {
                    return false;
                }

                type = (byte)(payload[3] & 0x1F);
                return true;
            case H264NalUnitType.FuA:
                if (payload.Length < 2)
                {
                    return false;
                }

                type = (byte)(payload[1] & 0x1F);
                return true;
            default:
                type = header;
                return true;
        }
    }

    /// <summary>
    /// True when the payload starts a key frame: a single IDR or SPS NAL unit, a STAP-A aggregating one, or the
    /// first fragment (S = 1) of an FU-A carrying one. A malformed STAP-A (a unit size past the end) is not one.
    /// </summary>
    public static bool IsKeyFrame(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return false;
        }

        var type = (byte)(payload[0] & 0x1F);
        switch (type)
        {
            case H264NalUnitType.StapA:
                var offset = 1;
                while (payload.Length - offset >= 2)
                {
                    var size = BinaryPrimitives.ReadUInt16BigEndian(payload[offset..]);
                    offset += 2;
                    if (size == 0 || payload.Length - offset < size)
                    {
                        return false;
                    }

                    if (IsKeyFrameType((byte)(payload[offset] & 0x1F)))
                    {
                        return true;
                    }

                    offset += size;
                }

                return false;
            case H264NalUnitType.FuA:
                return payload.Length >= 2 && (payload[1] & 0x80) != 0 && IsKeyFrameType((byte)(payload[1] & 0x1F));
            default:
                return IsKeyFrameType(type);
        }
    }

    private static bool IsKeyFrameType(byte type) => type is H264NalUnitType.IdrSlice or H264NalUnitType.Sps;
}
