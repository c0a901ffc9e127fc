using Starling.Sfu.Forwarding;

namespace Starling.Sfu.Routing;

/// <summary>What one subscriber negotiated for one track.</summary>
internal sealed class DownTrackOptions
{
    /// <summary>The outgoing SSRC (from the subscriber's SDP); constant for the down-track's life.</summary>
    public required uint Ssrc { get; init; }

    /// <summary>The subscriber's payload type for the codec.</summary>
    public required byte PayloadType { get; init; }

    /// <summary>
    /// The publisher's RED (RFC 2198) payload type, 0 when it sends none. Its packets go out as
    /// <see cref="RedPayloadType"/> when the subscriber negotiated RED, else reduced to their primary block under
    /// <see cref="PayloadType"/>.
    /// </summary>
    public byte SourceRedPayloadType { get; init; }

    /// <summary>The subscriber's RED payload type, 0 when it did not negotiate RED.</summary>
    public byte RedPayloadType { get; init; }

    /// <summary>
    /// Our RTX SSRC for this down-track (RFC 4588, announced with <c>a=ssrc-group:FID</c>); 0 = no RTX. Retransmissions
    /// go out as RTX only when this and <see cref="RtxPayloadType"/> are both set, else on <see cref="Ssrc"/>.
    /// </summary>
    public uint RtxSsrc { get; init; }

    /// <summary>The subscriber's RTX payload type whose <c>apt</c> is <see cref="PayloadType"/>; 0 = none negotiated.</summary>
    public byte RtxPayloadType { get; init; }

    /// <summary>
    /// Header extension id map, publisher id → subscriber id (<c>map[publisherId]</c>; 0 or out of range = strip the
    /// element). <c>null</c> forwards extensions unchanged. Copied at construction.
    /// </summary>
    public byte[]? ExtensionIdMap { get; init; }

    /// <summary>Forwarding behaviour (clock rate, keyframe rules, history). Default <see cref="ForwarderOptions.Video"/>.</summary>
    public ForwarderOptions Forwarder { get; init; } = ForwarderOptions.Video;
}
