namespace Starling.Transport.Sctp;

/// <summary>A (stream, largest skipped SSN) pair in a FORWARD TSN chunk (RFC 3758 §3.2).</summary>
internal readonly record struct ForwardTsnStream(ushort StreamId, ushort StreamSequenceNumber);
