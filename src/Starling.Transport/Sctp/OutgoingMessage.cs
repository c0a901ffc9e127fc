namespace Starling.Transport.Sctp;

/// <summary>
/// A user message on its way out: queued whole, fragmented lazily into DATA chunks as the congestion window
/// allows, so TSNs (and, for ordered messages, the SSN) are only assigned when the first fragment is sent.
/// </summary>
internal sealed class OutgoingMessage
{
    public OutgoingMessage(ushort streamId, uint ppid, byte[] payload, bool unordered, int maxRetransmits, TimeSpan? expiresAt, bool counted = true)
    {
        Counted = counted;
        StreamId = streamId;
        Ppid = ppid;
        Payload = payload;
        Unordered = unordered;
        MaxRetransmits = maxRetransmits;
        ExpiresAt = expiresAt;
    }

    public ushort StreamId { get; }

    public uint Ppid { get; }

    public byte[] Payload { get; }

    public bool Unordered { get; }

    /// <summary>Whether the message's bytes count toward its stream's buffered amount.</summary>
    public bool Counted { get; }

    /// <summary>Partial reliability (RFC 3758 §4): retransmissions allowed before abandoning; -1 = unlimited.</summary>
    public int MaxRetransmits { get; }

    /// <summary>Partial reliability (timed): abandon after this point on the association clock.</summary>
    public TimeSpan? ExpiresAt { get; }

    /// <summary>Bytes already handed out as fragments.</summary>
    public int Offset { get; set; }

    public ushort Ssn { get; set; }

    public bool Started { get; set; }

    public bool Abandoned { get; set; }

    public int Remaining => Payload.Length - Offset;

    public bool IsExpired(TimeSpan now) => ExpiresAt is { } at && now >= at;
}
