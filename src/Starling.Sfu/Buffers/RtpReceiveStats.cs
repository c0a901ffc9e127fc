namespace Starling.Sfu.Buffers;

/// <summary>
/// Receive statistics of one RTP stream (RFC 3550 §6.4.1 and Appendix A.3/A.8): packets, bytes, duplicates,
/// reordering, highest and base extended sequence numbers, cumulative and interval loss, interarrival jitter.
/// </summary>
/// <remarks>
/// A mutable struct: the owner keeps it in a field, updates it in place per packet, and hands out copies as
/// snapshots. <see cref="Packets"/> counts distinct packets (duplicates are counted apart), so
/// <see cref="Lost"/> never goes negative.
/// </remarks>
internal struct RtpReceiveStats
{
    private long _lastArrival;
    private long _lastTimestamp;
    private long _expectedPrior;
    private long _receivedPrior;
    private bool _jitterStarted;

    /// <summary>Distinct packets received.</summary>
    public long Packets { get; private set; }

    /// <summary>Bytes of distinct packets (whole RTP packets: header, payload and padding).</summary>
    public long Bytes { get; private set; }

    /// <summary>Packets received again (already held).</summary>
    public long Duplicates { get; private set; }

    /// <summary>Distinct packets that arrived after a higher sequence number (late or retransmitted).</summary>
    public long OutOfOrder { get; private set; }

    /// <summary>Packets with no payload (padding only, e.g. bandwidth probes).</summary>
    public long PaddingPackets { get; private set; }

    /// <summary>Lowest extended sequence number seen (RFC 3550 <c>base_seq</c>).</summary>
    public long BaseSequence { get; private set; }

    /// <summary>Highest extended sequence number seen.</summary>
    public long HighestSequence { get; private set; }

    /// <summary>Interarrival jitter in RTP timestamp units (RFC 3550 A.8).</summary>
    public double Jitter { get; private set; }

    /// <summary>Packets expected: <c>highest − base + 1</c> (0 before the first packet).</summary>
    public readonly long Expected => Packets == 0 ? 0 : HighestSequence - BaseSequence + 1;

    /// <summary>Cumulative packets lost (RFC 3550 A.3): expected minus distinct packets received, never negative.</summary>
    public readonly long Lost => Math.Max(0, Expected - Packets);

    /// <summary>
    /// Records a packet. <paramref name="arrivalRtpUnits"/> is the arrival time already converted to the stream's RTP
    /// clock (see <see cref="MediaTime.ToRtpUnits"/>), <paramref name="extendedTimestamp"/> its unwrapped RTP timestamp.
    /// </summary>
    public void OnPacket(long extendedSequence, long extendedTimestamp, long arrivalRtpUnits, int size, bool paddingOnly, bool duplicate)
    {
        if (duplicate)
        {
            Duplicates++;
            return;
        }

        if (Packets == 0)
        {
            BaseSequence = extendedSequence;
            HighestSequence = extendedSequence;
        }
        else if (extendedSequence > HighestSequence)
        {
            HighestSequence = extendedSequence;
        }
        else
        {
            OutOfOrder++;
            if (extendedSequence < BaseSequence)
            {
                BaseSequence = extendedSequence;
            }
        }

        Packets++;
        Bytes += size;
        if (paddingOnly)
        {
            PaddingPackets++;
        }

        // A.8: D(i-1, i) = (R_i − R_{i−1}) − (S_i − S_{i−1}); J += (|D| − J) / 16, in arrival order.
        if (_jitterStarted)
        {
            var d = (arrivalRtpUnits - _lastArrival) - (extendedTimestamp - _lastTimestamp);
            Jitter += (Math.Abs((double)d) - Jitter) / 16.0;
        }

        _jitterStarted = true;
        _lastArrival = arrivalRtpUnits;
        _lastTimestamp = extendedTimestamp;
    }

    /// <summary>
    /// The RFC 3550 A.3 "fraction lost" since the previous call (8-bit fixed point, 0 when nothing was lost or more
    /// arrived than expected) and the bookkeeping for the next interval. Call once per receiver report.
    /// </summary>
    public byte TakeFractionLost()
    {
        var expected = Expected;
        var expectedInterval = expected - _expectedPrior;
        var receivedInterval = Packets - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = Packets;
        var lostInterval = expectedInterval - receivedInterval;
        return expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
    }
}
