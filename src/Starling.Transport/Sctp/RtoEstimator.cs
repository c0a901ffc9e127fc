namespace Starling.Transport.Sctp;

/// <summary>
/// Retransmission timeout calculation (RFC 9260 §6.3.1): SRTT/RTTVAR with alpha 1/8, beta 1/4,
/// RTO = SRTT + max(G, 4 * RTTVAR) clamped to [RTO.Min, RTO.Max], doubled on expiry (§6.3.3 E2).
/// </summary>
internal sealed class RtoEstimator
{
    private static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(1);
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;

    public RtoEstimator(TimeSpan initial, TimeSpan min, TimeSpan max)
    {
        _min = min;
        _max = max;
        Rto = Clamp(initial);
    }

    public TimeSpan Rto { get; private set; }

    public TimeSpan? SmoothedRtt { get; private set; }

    public TimeSpan RttVariation { get; private set; }

    /// <summary>Feeds one RTT measurement (C2/C3); only from chunks sent once (Karn's rule).</summary>
    public void Observe(TimeSpan rtt)
    {
        if (rtt < TimeSpan.Zero)
        {
            return;
        }

        if (SmoothedRtt is not { } srtt)
        {
            SmoothedRtt = rtt;
            RttVariation = rtt / 2;
        }
        else
        {
            RttVariation = (RttVariation * 0.75) + ((srtt - rtt).Duration() * 0.25);
            SmoothedRtt = (srtt * 0.875) + (rtt * 0.125);
        }

        var variance = RttVariation * 4;
        Rto = Clamp(SmoothedRtt.Value + (variance > Granularity ? variance : Granularity));
    }

    /// <summary>Exponential backoff after a T3-rtx expiry (E2).</summary>
    public void Backoff() => Rto = Clamp(Rto * 2);

    private TimeSpan Clamp(TimeSpan value) => value < _min ? _min : value > _max ? _max : value;
}
