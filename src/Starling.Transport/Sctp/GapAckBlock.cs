namespace Starling.Transport.Sctp;

/// <summary>
/// One Gap Ack Block of a SACK (RFC 9260 §3.3.4): TSNs cumulative+Start through cumulative+End (inclusive)
/// were received.
/// </summary>
internal readonly record struct GapAckBlock(ushort Start, ushort End);
