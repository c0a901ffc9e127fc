using Starling.Sfu.Routing;
using Starling.Transport.WebRtc;

namespace Starling.Rooms.Media;

/// <summary>One subscriber's view of a published track: where it is negotiated and the down-track feeding it.</summary>
internal sealed class Subscription(PublishedTrack track, uint ssrc)
{
    public PublishedTrack Track { get; } = track;

    public uint Ssrc { get; } = ssrc;

    /// <summary>The subscriber's receive section carrying it (v1), once assigned.</summary>
    public string? Mid { get; set; }

    public MediaSendAssignment? Assignment { get; set; }

    public DownTrack? DownTrack { get; set; }
}
