namespace Starling.Transport.Sctp;

/// <summary>
/// Settings of one SCTP association. Defaults follow RFC 9260 §16 and WebRTC (RFC 8841: port 5000,
/// a=max-message-size:262144).
/// </summary>
internal sealed class SctpAssociationOptions
{
    /// <summary>Our SCTP port (SDP a=sctp-port). Default 5000.</summary>
    public ushort LocalPort { get; init; } = 5000;

    /// <summary>The peer's SCTP port. Default 5000.</summary>
    public ushort RemotePort { get; init; } = 5000;

    /// <summary>
    /// Largest SCTP packet we send (one per DTLS record): the path MTU minus IP/UDP/DTLS overhead. Default 1200.
    /// </summary>
    public int MaxPacketSize { get; init; } = 1200;

    /// <summary>Largest message we send or accept (what we advertise as a=max-message-size). Default 262144.</summary>
    public int MaxMessageSize { get; init; } = 262144;

    /// <summary>Receive buffer: our a_rwnd when empty and the bound on reassembly memory. Default 1 MiB.</summary>
    public int ReceiveBufferSize { get; init; } = 1024 * 1024;

    /// <summary>Bound on unsent plus unacknowledged bytes; <c>Send</c> returns BufferFull beyond it. Default 8 MiB.</summary>
    public long MaxSendBufferSize { get; init; } = 8L * 1024 * 1024;

    /// <summary>Outbound streams we ask for (OS). Default 65535.</summary>
    public ushort OutboundStreams { get; init; } = ushort.MaxValue;

    /// <summary>Inbound streams we accept (MIS). Default 65535.</summary>
    public ushort InboundStreams { get; init; } = ushort.MaxValue;

    /// <summary>RTO.Initial. Default 1 s (RFC 9260 §16).</summary>
    public TimeSpan RtoInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>RTO.Min. Default 1 s (RFC 9260); WebRTC stacks commonly use lower values.</summary>
    public TimeSpan RtoMin { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>RTO.Max. Default 60 s.</summary>
    public TimeSpan RtoMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Max.Init.Retransmits for INIT and COOKIE ECHO. Default 8.</summary>
    public int MaxInitRetransmits { get; init; } = 8;

    /// <summary>Association.Max.Retrans: consecutive unanswered retransmissions/heartbeats before giving up. Default 10.</summary>
    public int MaxRetransmissions { get; init; } = 10;

    /// <summary>Delayed SACK timeout (RFC 9260 §6.2: at most 500 ms). Default 200 ms.</summary>
    public TimeSpan DelayedAckTimeout { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>HB.interval; null disables heartbeats (they are still answered). Default 30 s.</summary>
    public TimeSpan? HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Valid.Cookie.Life. Default 60 s.</summary>
    public TimeSpan CookieLifetime { get; init; } = TimeSpan.FromSeconds(60);
}
