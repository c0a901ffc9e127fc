namespace Starling.Wire.Codecs;

/// <summary>
/// The aggregation header at the start of every AV1 RTP payload (AV1 RTP Payload Specification §4.4,
/// aomediacodec.github.io/av1-rtp-spec).
/// <code>
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |Z|Y| W |N|-|-|-|
/// +-+-+-+-+-+-+-+-+
/// </code>
/// Z: the first OBU element continues an OBU from the previous packet. Y: the last OBU element continues in the
/// next packet. W: the number of OBU elements (1–3), or 0 when every element carries a length. N: the packet
/// starts a new coded video sequence, i.e. a key frame.
/// </summary>
internal readonly record struct Av1AggregationHeader(bool ContinuesPreviousObu, bool ContinuesInNextPacket, byte ObuElementCount, bool NewCodedVideoSequence)
{
    public const int Size = 1;

    public static bool TryRead(ReadOnlySpan<byte> source, out Av1AggregationHeader header, out int bytesRead)
    {
        if (source.IsEmpty)
        {
            header = default;
            bytesRead = 0;
            return false;
        }

        var b = source[0];
        header = new Av1AggregationHeader((b & 0x80) != 0, (b & 0x40) != 0, (byte)((b >> 4) & 0x03), (b & 0x08) != 0);
        bytesRead = Size;
        return true;
    }

    /// <summary>N = 1: the payload starts a new coded video sequence (a key frame).</summary>
    public static bool IsKeyFrame(ReadOnlySpan<byte> payload) => !payload.IsEmpty && (payload[0] & 0x08) != 0;

    public int GetSize() => Size;

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.IsEmpty || ObuElementCount > 3)
        {
            return false;
        }

        destination[0] = (byte)((ContinuesPreviousObu ? 0x80 : 0) | (ContinuesInNextPacket ? 0x40 : 0) | (ObuElementCount << 4) | (NewCodedVideoSequence ? 0x08 : 0));
        bytesWritten = Size;
        return true;
    }
}
