namespace Starling.Wire;

/// <summary>What a datagram on a multiplexed WebRTC 5-tuple carries (RFC 7983 §7, RFC 5761 §4).</summary>
internal enum PacketKind
{
    /// <summary>Nothing we accept (ZRTP, TURN channel data, QUIC, garbage, too short): drop it.</summary>
    Unknown = 0,
    Stun,
    Dtls,
    Rtp,
    Rtcp,
}
