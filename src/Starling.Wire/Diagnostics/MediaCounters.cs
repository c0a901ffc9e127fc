namespace Starling.Wire.Diagnostics;

/// <summary>
/// Process-wide counters of the media path (what arrived, what was dropped and why, what was forwarded), exported
/// as Prometheus counters by the server. Each is a <see cref="StripedCounter"/>, so counting costs no allocation and
/// little contention.
/// </summary>
internal static class MediaCounters
{
    public static readonly StripedCounter UdpReceived = new("starling_udp_datagrams_received_total", "UDP datagrams received on the media port.");
    public static readonly StripedCounter UdpMalformed = new("starling_udp_datagrams_malformed_total", "UDP datagrams dropped because they were not STUN, DTLS, RTP or RTCP.");
    public static readonly StripedCounter UdpUnknownSource = new("starling_udp_datagrams_unknown_source_total", "UDP datagrams dropped because no ICE session owns their source.");
    public static readonly StripedCounter SrtpUnprotectFailed = new("starling_srtp_unprotect_failed_total", "SRTP packets dropped: authentication, replay or format failure.");
    public static readonly StripedCounter SrtcpUnprotectFailed = new("starling_srtcp_unprotect_failed_total", "SRTCP packets dropped: authentication, replay or format failure.");
    public static readonly StripedCounter SrtpProtectFailed = new("starling_srtp_protect_failed_total", "Outgoing RTP/RTCP packets that could not be protected (no keys yet or too large).");
    public static readonly StripedCounter RtpMalformed = new("starling_rtp_malformed_total", "Decrypted RTP packets dropped because they did not parse.");
    public static readonly StripedCounter RtpUnrouted = new("starling_rtp_unrouted_total", "RTP packets that matched no published track (unknown SSRC or mid, unexpected payload type).");
    public static readonly StripedCounter RtcpMalformed = new("starling_rtcp_malformed_total", "Decrypted RTCP datagrams with a malformed packet (the well-formed ones before it are used).");
    public static readonly StripedCounter RtpForwarded = new("starling_rtp_forwarded_total", "RTP packets sent to subscribers (first transmissions).");
    public static readonly StripedCounter RtpRetransmitted = new("starling_rtp_retransmitted_total", "RTP packets resent to subscribers in answer to NACKs.");
    public static readonly StripedCounter NackMisses = new("starling_nack_misses_total", "NACKed packets that could not be resent (not in the history).");
    public static readonly StripedCounter KeyframeRequests = new("starling_keyframe_requests_total", "PLIs sent to publishers.");

    /// <summary>Every counter, for export.</summary>
    public static IReadOnlyList<StripedCounter> All { get; } =
    [
        UdpReceived, UdpMalformed, UdpUnknownSource, SrtpUnprotectFailed, SrtcpUnprotectFailed, SrtpProtectFailed,
        RtpMalformed, RtpUnrouted, RtcpMalformed, RtpForwarded, RtpRetransmitted, NackMisses, KeyframeRequests,
    ];
}
