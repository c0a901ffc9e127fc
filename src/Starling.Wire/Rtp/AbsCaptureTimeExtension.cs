using System.Buffers.Binary;

namespace Starling.Wire.Rtp;

/// <summary>
/// Absolute capture time (webrtc.org abs-capture-time): the NTP time (UQ32.32) the first sample of the frame was
/// captured, optionally followed by the sender's estimate of the offset between its clock and the capture
/// system's (Q32.32, signed). An SFU passes it through untouched.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ID   | len=7 |     absolute capture timestamp (bit 0-23)     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |             absolute capture timestamp (bit 24-55)            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ... (56-63)  |   (len=15: estimated capture clock offset, 64 bits)
/// +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly record struct AbsCaptureTimeExtension(ulong CaptureTimestamp, long? EstimatedCaptureClockOffset)
{
    public const int ShortSize = 8;
    public const int LongSize = 16;

    public static bool TryRead(ReadOnlySpan<byte> source, out AbsCaptureTimeExtension value, out int bytesRead)
    {
        value = default;
        bytesRead = 0;
        if (source.Length is not (ShortSize or LongSize))
        {
            return false;
        }

        long? offset = source.Length == LongSize ? BinaryPrimitives.ReadInt64BigEndian(source[ShortSize..]) : null;
        value = new AbsCaptureTimeExtension(BinaryPrimitives.ReadUInt64BigEndian(source), offset);
        bytesRead = source.Length;
        return true;
    }

    public int GetSize() => EstimatedCaptureClockOffset.HasValue ? LongSize : ShortSize;

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        var size = GetSize();
        if (destination.Length < size)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, CaptureTimestamp);
        if (EstimatedCaptureClockOffset is { } offset)
        {
            BinaryPrimitives.WriteInt64BigEndian(destination[ShortSize..], offset);
        }

        bytesWritten = size;
        return true;
    }
}
