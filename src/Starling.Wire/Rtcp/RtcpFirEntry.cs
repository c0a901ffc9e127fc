namespace Starling.Wire.Rtcp;

/// <summary>One FIR FCI entry (RFC 5104 §4.3.1.1): the media sender asked for a decoder refresh and the request's sequence number.</summary>
internal readonly record struct RtcpFirEntry(uint Ssrc, byte SequenceNumber);
