namespace Starling.Server.Config;

/// <summary>The <c>rtc</c> section.</summary>
internal sealed class RtcConfig
{
    /// <summary>Single UDP port for all ICE/DTLS/SRTP traffic (<c>rtc.udp_port</c>, default 7882).</summary>
    public int UdpPort { get; set; } = 7882;

    /// <summary>Passive ICE-TCP port (<c>rtc.tcp_port</c>, default 7881; 0 disables it).</summary>
    public int TcpPort { get; set; } = 7881;

    /// <summary>IP advertised in ICE candidates (<c>rtc.node_ip</c>); empty means the bind addresses.</summary>
    public string? NodeIp { get; set; }

    /// <summary>Offer the single-peer-connection signalling path <c>/rtc/v1</c>
    /// (<c>rtc.single_peer_connection</c>, default true); false makes it answer 404 so clients use <c>/rtc</c>.</summary>
    public bool SinglePeerConnection { get; set; } = true;

    /// <summary>Also advertise loopback candidates (<c>rtc.enable_loopback_candidate</c>).</summary>
    public bool EnableLoopbackCandidate { get; set; }
}
