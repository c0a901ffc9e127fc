namespace Starling.Wire.Rtp;

/// <summary>
/// Absolute send time (webrtc.org abs-send-time): the send time in seconds as 24-bit 6.18 fixed point,
/// i.e. bits 14–37 of the 64-bit NTP timestamp; wraps every 64 s. Drives receive-side BWE (REMB).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ID   | len=2 |              absolute send time               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly record struct AbsSendTimeExtension(uint Value)
{
    public const int Size = 3;
    public const uint Mask = 0xFFFFFF;
    public const int FractionBits = 18;

    /// <summary>The 6.18 value for a time in microseconds (any epoch; only the time modulo 64 s survives).</summary>
    public static AbsSendTimeExtension FromMicroseconds(long microseconds)
    {
        const long Window = 64_000_000;
        var withinWindow = microseconds % Window;
        if (withinWindow < 0)
        {
            withinWindow += Window;
        }

        return new AbsSendTimeExtension((uint)((withinWindow << FractionBits) / 1_000_000));
    }

    /// <summary>The value as microseconds within the 64 s window.</summary>
    public long ToMicroseconds() => (long)(((ulong)(Value & Mask) * 1_000_000) >> FractionBits);

    public static bool TryRead(ReadOnlySpan<byte> source, out AbsSendTimeExtension value, out int bytesRead)
    {
        if (source.Length != Size)
        {
            value = default;
            bytesRead = 0;
            return false;
        }

        value = new AbsSendTimeExtension((uint)((source[0] << 16) | (source[1] << 8) | source[2]));
        bytesRead = Size;
        return true;
    }

    public int GetSize() => Size;

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.Length < Size || Value > Mask)
        {
            return false;
        }

        destination[0] = (byte)(Value >> 16);
        destination[1] = (byte)(Value >> 8);
        destination[2] = (byte)Value;
        bytesWritten = Size;
        return true;
    }
}
