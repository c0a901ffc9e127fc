namespace Starling.Transport.Ice;

/// <summary>
/// Receives a non-STUN datagram (DTLS, SRTP, SRTCP) from a valid pair. The span is only valid during the call:
/// the receive buffer is reused for the next datagram.
/// </summary>
internal delegate void IceDatagramHandler(IceCandidatePair pair, ReadOnlySpan<byte> datagram);
