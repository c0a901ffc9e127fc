namespace Starling.Transport.WebRtc;

/// <summary>Receives one decrypted RTP or RTCP packet; the span is only valid during the call.</summary>
internal delegate void RtpPacketHandler(ReadOnlySpan<byte> packet);
