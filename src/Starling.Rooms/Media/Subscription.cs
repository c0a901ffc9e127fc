using Starling.Sfu.Routing;
using Starling.Transport.WebRtc;

namespace Starling.Rooms.Media;

/// <summary>
/// One subscriber's view of a published track: the section carrying it, our SSRC and msid for it, and the down-track
/// feeding it (created once the subscriber's side of the negotiation has accepted the section).
/// </summary>
/// <param name="rtxSsrc">Our RTX SSRC for retransmissions (video), 0 for none; used where the section negotiates RTX.</param>
internal sealed class Subscription(PublishedTrack track, uint ssrc, uint rtxSsrc = 0)
{
    public PublishedTrack Track { get; } = track;

    public uint Ssrc { get; } = ssrc;

    /// <summary>Our RTX SSRC (RFC 4588) for this track, 0 for none (audio).</summary>
    public uint RtxSsrc { get; } = rtxSsrc;

    /// <summary>LiveKit's msid (<c>PA_…|TR_…</c> stream, <c>TR_…</c> track), our SSRC and RTX SSRC, as written in the SDP.</summary>
    public MediaSendAssignment Assignment { get; } = new(track.Owner.Sid + "|" + track.Sid, track.Sid, ssrc, rtxSsrc);

    /// <summary>The subscriber's section carrying it (v1: a client receive section; v0: one of our offered sections), once placed.</summary>
    public string? Mid { get; set; }

    /// <summary>Our payload type for the track's codec on the subscriber's peer connection (v0; v1 follows the client's).</summary>
    public int PayloadType { get; set; }

    /// <summary>v0: our RTX payload type for the codec (0 = none offered); used when the answer keeps it.</summary>
    public int RtxPayloadType { get; set; }

    public DownTrack? DownTrack { get; set; }
}
