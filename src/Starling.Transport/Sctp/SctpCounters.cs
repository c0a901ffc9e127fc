namespace Starling.Transport.Sctp;

/// <summary>Event counters of one association (a snapshot is taken with <c>with { }</c>).</summary>
internal sealed record class SctpCounters
{
    public long PacketsReceived { get; set; }

    public long PacketsSent { get; set; }

    /// <summary>Dropped: CRC32c mismatch.</summary>
    public long BadChecksums { get; set; }

    /// <summary>Dropped: too short, bad chunk lengths, illegal bundling, or a known chunk that did not parse.</summary>
    public long MalformedPackets { get; set; }

    /// <summary>Dropped: verification tag check failed (RFC 9260 §8.5).</summary>
    public long BadVerificationTags { get; set; }

    /// <summary>Dropped: source or destination port is not the configured one.</summary>
    public long WrongPorts { get; set; }

    /// <summary>Out-of-the-blue packets (RFC 9260 §8.4) received while no association exists.</summary>
    public long OutOfTheBluePackets { get; set; }

    /// <summary>Chunks of unknown type (handled by their upper two bits, RFC 9260 §3.2).</summary>
    public long UnknownChunks { get; set; }

    public long InvalidCookies { get; set; }

    public long StaleCookies { get; set; }

    public long InitCollisions { get; set; }

    public long DataChunksReceived { get; set; }

    public long DuplicateTsns { get; set; }

    /// <summary>DATA refused for lack of receive buffer or beyond the TSN window; the peer retransmits it.</summary>
    public long ReceiveWindowDrops { get; set; }

    public long MessagesReceived { get; set; }

    public long MessagesSent { get; set; }

    public long DataChunksSent { get; set; }

    public long Retransmissions { get; set; }

    public long FastRetransmits { get; set; }

    public long RetransmissionTimeouts { get; set; }

    public long AbandonedMessages { get; set; }

    public long SacksSent { get; set; }

    public long SacksReceived { get; set; }

    public long ForwardTsnsSent { get; set; }

    public long ForwardTsnsReceived { get; set; }

    public long HeartbeatsSent { get; set; }

    public long HeartbeatsReceived { get; set; }

    public long ErrorsReceived { get; set; }

    public long StreamResetRequestsSent { get; set; }

    public long StreamResetRequestsReceived { get; set; }
}
