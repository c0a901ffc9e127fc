namespace Starling.Transport.Sctp;

/// <summary>What processing one SACK changed, for the association to act on (timers, RTO, error counter).</summary>
internal readonly record struct SackOutcome(bool Accepted, bool CumulativeAdvanced, long BytesAcked, TimeSpan? RttSample, bool FastRetransmit);
