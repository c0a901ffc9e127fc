namespace Starling.Transport.Sctp;

/// <summary>Where a sent DATA chunk stands (RFC 9260 §6.3, RFC 3758 §3.5).</summary>
internal enum OutstandingChunkState
{
    /// <summary>Sent and counted in the flight size.</summary>
    InFlight,

    /// <summary>Marked for retransmission (T3-rtx expiry or fast retransmit); not in flight.</summary>
    Lost,

    /// <summary>Covered by a gap ack block; kept until the cumulative ack passes it (the peer may renege).</summary>
    Acked,

    /// <summary>Given up (partial reliability); skipped with FORWARD TSN.</summary>
    Abandoned,
}
