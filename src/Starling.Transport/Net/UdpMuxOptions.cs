namespace Starling.Transport.Net;

/// <summary>The shared ICE/UDP port (LiveKit <c>rtc.udp_port</c>).</summary>
internal sealed class UdpMuxOptions
{
    /// <summary>UDP port for every session's media. Default 7882 (LiveKit's single-port mode).</summary>
    public int Port { get; init; } = 7882;

    /// <summary>Size of the one receive buffer; larger datagrams are truncated. Default 65,536 bytes (any UDP datagram).</summary>
    public int ReceiveBufferSize { get; init; } = 65536;

    /// <summary>Kernel socket buffer size (SO_RCVBUF/SO_SNDBUF) when positive; default 0 leaves the OS default.</summary>
    public int SocketBufferBytes { get; init; }
}
