using System.Buffers.Binary;

namespace Starling.Wire.Rtcp;

/// <summary>
/// One reception report block of an SR or RR (RFC 3550 §6.4.1), with the arithmetic of RFC 3550 §6.4.1 and A.3.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 SSRC_n (SSRC of source n)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | fraction lost |       cumulative number of packets lost       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           extended highest sequence number received           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      interarrival jitter                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         last SR (LSR)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   delay since last SR (DLSR)                  |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// <see cref="CumulativeLost"/> is signed 24-bit (duplicates can make it negative); LSR is the middle 32 bits of
/// the last SR's NTP timestamp and DLSR is in units of 1/65536 s.
/// </summary>
internal readonly record struct RtcpReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint HighestSequenceNumber,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    public const int Size = 24;
    public const int MaxCumulativeLost = 0x7FFFFF;
    public const int MinCumulativeLost = -0x800000;

    /// <summary>The low 16 bits of <see cref="HighestSequenceNumber"/>.</summary>
    public ushort HighestSequenceNumberLow => (ushort)HighestSequenceNumber;

    /// <summary>The sequence number cycles count in the high 16 bits of <see cref="HighestSequenceNumber"/>.</summary>
    public ushort SequenceNumberCycles => (ushort)(HighestSequenceNumber >> 16);

    /// <summary>Fraction lost as a fraction in 0..1 (the wire value is ×256).</summary>
    public double FractionLostRatio => FractionLost / 256.0;

    public static bool TryRead(ReadOnlySpan<byte> source, out RtcpReportBlock block, out int bytesRead)
    {
        if (source.Length < Size)
        {
            block = default;
            bytesRead = 0;
            return false;
        }

        var lost = (int)(BinaryPrimitives.ReadUInt32BigEndian(source[4..]) << 8) >> 8;
        block = new RtcpReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(source),
            source[4],
            lost,
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[20..]));
        bytesRead = Size;
        return true;
    }

    public int GetSize() => Size;

    /// <summary>Writes the block; false when the buffer is short or <see cref="CumulativeLost"/> does not fit 24 bits.</summary>
    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.Length < Size || CumulativeLost is < MinCumulativeLost or > MaxCumulativeLost)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ((uint)FractionLost << 24) | ((uint)CumulativeLost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], HighestSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], DelaySinceLastSenderReport);
        bytesWritten = Size;
        return true;
    }

    /// <summary>
    /// Fraction lost for one reporting interval (RFC 3550 A.3): lost/expected × 256, 0 when nothing was expected or
    /// more arrived than expected (duplicates).
    /// </summary>
    public static byte ComputeFractionLost(long expectedInInterval, long receivedInInterval)
    {
        var lost = expectedInInterval - receivedInInterval;
        if (expectedInInterval <= 0 || lost <= 0)
        {
            return 0;
        }

        return (byte)Math.Min(255, (lost << 8) / expectedInInterval);
    }

    /// <summary>Clamps a cumulative loss count to the signed 24-bit field (RFC 3550 A.3).</summary>
    public static int ClampCumulativeLost(long lost) => (int)Math.Clamp(lost, MinCumulativeLost, MaxCumulativeLost);

    /// <summary>The middle 32 bits of a 64-bit NTP timestamp: the LSR value (and the compact NTP time of RFC 3550 §6.4.1).</summary>
    public static uint ToCompactNtp(ulong ntpTimestamp) => (uint)(ntpTimestamp >> 16);

    /// <summary>A delay in microseconds as DLSR units of 1/65536 s (saturating).</summary>
    public static uint ToDelaySinceLastSenderReport(long microseconds) =>
        microseconds <= 0 ? 0 : (uint)Math.Min(uint.MaxValue, (ulong)Math.Min(microseconds, long.MaxValue / 65536) * 65536 / 1_000_000);

    /// <summary>DLSR (or any compact NTP duration) in microseconds.</summary>
    public static long CompactNtpToMicroseconds(uint compact) => (long)(((ulong)compact * 1_000_000) >> 16);

    /// <summary>
    /// Round-trip time from this block (RFC 3550 §6.4.1: A − LSR − DLSR, in compact NTP), given the compact NTP
    /// time the block arrived. False when the block carries no LSR (no SR received yet) or the result is negative.
    /// </summary>
    public bool TryGetRoundTripTime(uint arrivalCompactNtp, out long microseconds)
    {
        microseconds = 0;
        if (LastSenderReport == 0)
        {
            return false;
        }

        var rtt = (int)(arrivalCompactNtp - LastSenderReport - DelaySinceLastSenderReport);
        if (rtt < 0)
        {
            return false;
        }

        microseconds = CompactNtpToMicroseconds((uint)rtt);
        return true;
    }
}
