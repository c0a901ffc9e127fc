namespace Starling.Rooms.Media;

/// <summary>
/// What one subscriber got of one track, for the admin API: the current down-track (if subscribed) and totals that
/// include earlier subscriptions to the same track (so an unsubscribe visibly freezes the count).
/// </summary>
/// <param name="TrackSid">The track.</param>
/// <param name="PublisherIdentity">Who publishes it.</param>
/// <param name="Kind">"audio" or "video".</param>
/// <param name="Subscribed">A subscription exists now.</param>
/// <param name="Mid">Its media section, once negotiated.</param>
/// <param name="Ssrc">The SSRC we send it under (0 when not subscribed).</param>
/// <param name="Forwarding">A down-track exists and is not paused.</param>
/// <param name="PacketsSent">RTP packets sent for this track by the current down-track.</param>
/// <param name="PacketsSentTotal">RTP packets sent for this track over every subscription of this session.</param>
/// <param name="PacketsRetransmittedTotal">Retransmissions, likewise.</param>
internal sealed record SubscriptionStats(
    string TrackSid,
    string PublisherIdentity,
    string Kind,
    bool Subscribed,
    string? Mid,
    uint Ssrc,
    bool Forwarding,
    long PacketsSent,
    long PacketsSentTotal,
    long PacketsRetransmittedTotal);
