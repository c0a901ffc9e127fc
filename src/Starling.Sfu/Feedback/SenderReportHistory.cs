namespace Starling.Sfu.Feedback;

/// <summary>
/// The sender reports we sent on one outgoing stream, remembered so the receiver's report blocks give the round-trip
/// time (RFC 3550 §6.4.1): a block's LSR is the middle 32 bits of the NTP timestamp of the last SR it received and its
/// DLSR the time it held that SR (1/65536 s), so RTT = arrival − (our send time of that SR) − DLSR.
/// </summary>
/// <remarks>
/// The SFU forwards the publisher's NTP time (subscribers need the publisher's clock for lip sync), which is not our
/// clock: instead of the RFC's arithmetic in NTP units, each SR's compact NTP is paired with our local send time and a
/// block is matched by equality (so the 32-bit value wrapping is harmless). A few SRs are kept, since a receiver
/// reports about the last one it got, which may not be the last one sent. Thread-safe (one short lock).
/// </remarks>
internal sealed class SenderReportHistory
{
    /// <summary>SRs remembered; older ones are forgotten (a report about one of them gives no RTT).</summary>
    public const int Capacity = 8;

    private readonly Lock _gate = new();
    private readonly uint[] _compactNtp = new uint[Capacity];
    private readonly long[] _sentAt = new long[Capacity];
    private readonly long _frequency;
    private int _count;
    private int _next;

    /// <param name="timestampFrequency">Frequency of the clock giving the times passed in (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    public SenderReportHistory(long timestampFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestampFrequency);
        _frequency = timestampFrequency;
    }

    /// <summary>The middle 32 bits of a 64-bit NTP timestamp (what LSR carries).</summary>
    public static uint CompactNtp(ulong ntpTimestamp) => (uint)(ntpTimestamp >> 16);

    /// <summary>Notes an SR with <paramref name="ntpTimestamp"/> sent at <paramref name="sentAt"/>.</summary>
    public void Record(ulong ntpTimestamp, long sentAt)
    {
        lock (_gate)
        {
            _compactNtp[_next] = CompactNtp(ntpTimestamp);
            _sentAt[_next] = sentAt;
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    /// <summary>
    /// The RTT a report block with <paramref name="lastSenderReport"/> (LSR) and <paramref name="delaySinceLastSenderReport"/>
    /// (DLSR) received at <paramref name="now"/> gives. False when LSR is 0 (no SR received yet) or names no SR remembered.
    /// A negative result (clock granularity) is reported as zero.
    /// </summary>
    public bool TryGetRtt(uint lastSenderReport, uint delaySinceLastSenderReport, long now, out TimeSpan rtt)
    {
        rtt = TimeSpan.Zero;
        if (lastSenderReport == 0)
        {
            return false;
        }

        long sentAt;
        lock (_gate)
        {
            var index = -1;
            for (var i = 1; i <= _count; i++)
            {
                var candidate = (_next - i + Capacity) % Capacity; // newest first
                if (_compactNtp[candidate] == lastSenderReport)
                {
                    index = candidate;
                    break;
                }
            }

            if (index < 0)
            {
                return false;
            }

            sentAt = _sentAt[index];
        }

        var delay = (long)((Int128)delaySinceLastSenderReport * _frequency / 65536);
        var ticks = now - sentAt - delay;
        rtt = ticks <= 0 ? TimeSpan.Zero : MediaTime.ToTimeSpan(ticks, _frequency);
        return true;
    }
}
