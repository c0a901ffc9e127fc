namespace Starling.Transport.Sctp;

/// <summary>
/// Per-message delivery options. <see cref="MaxRetransmits"/> and <see cref="Lifetime"/> select partial reliability
/// (RFC 3758 §4, limited retransmissions and timed reliability); they take effect only if the peer supports
/// FORWARD TSN. Null means unlimited. <see cref="Uncounted"/> keeps the message out of the stream's buffered amount
/// (protocol overhead such as DCEP messages, which an application's bufferedAmount does not include).
/// </summary>
internal readonly record struct SctpSendOptions(bool Unordered = false, int? MaxRetransmits = null, TimeSpan? Lifetime = null, bool Uncounted = false);
