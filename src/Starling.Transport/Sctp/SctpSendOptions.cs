namespace Starling.Transport.Sctp;

/// <summary>
/// Per-message delivery options. <see cref="MaxRetransmits"/> and <see cref="Lifetime"/> select partial reliability
/// (RFC 3758 §4, limited retransmissions and timed reliability); they take effect only if the peer supports
/// FORWARD TSN. Null means unlimited.
/// </summary>
internal readonly record struct SctpSendOptions(bool Unordered = false, int? MaxRetransmits = null, TimeSpan? Lifetime = null);
