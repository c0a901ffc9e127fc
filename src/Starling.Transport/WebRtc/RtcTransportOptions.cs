using System.Net;

namespace Starling.Transport.WebRtc;

/// <summary>How peer connections reach the network; bound from the <c>rtc</c> configuration section.</summary>
internal sealed class RtcTransportOptions
{
    /// <summary>Address the UDP (and TCP) sockets bind to (default: all IPv4 interfaces).</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>Single UDP port for every session (<c>rtc.udp_port</c>, default 7882; 0 picks a free one).</summary>
    public int UdpPort { get; init; } = 7882;

    /// <summary>Passive ICE-TCP port (<c>rtc.tcp_port</c>, default 7881; 0 disables ICE-TCP).</summary>
    public int TcpPort { get; init; } = 7881;

    /// <summary>Addresses advertised as host candidates (<c>rtc.node_ip</c> or the bind addresses).</summary>
    public IReadOnlyList<IPAddress> AdvertisedAddresses { get; init; } = [IPAddress.Loopback];

    /// <summary>
    /// Largest SCTP packet: one SCTP packet travels in one DTLS record, and a record must fit the DTLS MTU (1200,
    /// like libwebrtc) with its header, explicit IV/nonce, MAC or tag and padding (up to ~65 bytes for CBC suites).
    /// </summary>
    public int SctpMaxPacketSize { get; init; } = 1100;

    /// <summary>DTLS datagrams kept while the session that will read them is being set up.</summary>
    public int EarlyDtlsQueue { get; init; } = 16;
}
