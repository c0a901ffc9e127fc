namespace Starling.Sfu.Routing;

/// <summary>Requests a <see cref="TrackRouter"/> makes of the publisher (sent as RTCP by the publisher's transport).</summary>
/// <remarks>Called on the thread that drives the router (the publisher's receive loop, or a timer); keep it short.</remarks>
internal interface IPublisherFeedback
{
    /// <summary>Ask for a keyframe (PLI, RFC 4585 §6.3.1) on the stream with <paramref name="ssrc"/> (simulcast <paramref name="layer"/>). Already throttled.</summary>
    void RequestKeyframe(uint ssrc, int layer);
}
