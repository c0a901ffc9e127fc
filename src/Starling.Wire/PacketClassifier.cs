namespace Starling.Wire;

/// <summary>
/// Demultiplexes STUN, DTLS and SRTP/SRTCP sharing one 5-tuple by the first byte (RFC 7983 §7):
/// <code>
///                 +----------------+
///                 |        [0..3] -+--> STUN
///                 |      [16..19] -+--> ZRTP     (dropped)
///     packet -->  |      [20..63] -+--> DTLS
///                 |      [64..79] -+--> TURN Channel (dropped)
///                 |    [128..191] -+--> RTP/RTCP
///                 +----------------+
/// </code>
/// RTP and RTCP are told apart by the second byte (RFC 5761 §4): RTCP packet types 192–223 fall where
/// marker bit + payload type 64–95 would, which RTP must therefore not use.
/// A packet shorter than the smallest valid header of its kind is <see cref="PacketKind.Unknown"/>.
/// </summary>
internal static class PacketClassifier
{
    private const int StunHeaderSize = 20;
    private const int DtlsRecordHeaderSize = 13;
    private const int RtpHeaderSize = 12;
    private const int RtcpHeaderSize = 8;

    public static PacketKind Classify(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return PacketKind.Unknown;
        }

        var first = packet[0];
        switch (first)
        {
            case <= 3:
                return packet.Length >= StunHeaderSize ? PacketKind.Stun : PacketKind.Unknown;
            case >= 20 and <= 63:
                return packet.Length >= DtlsRecordHeaderSize ? PacketKind.Dtls : PacketKind.Unknown;
            case >= 128 and <= 191:
                if (packet.Length < RtcpHeaderSize)
                {
                    return PacketKind.Unknown;
                }

                if (packet[1] is >= 192 and <= 223)
                {
                    return PacketKind.Rtcp;
                }

                return packet.Length >= RtpHeaderSize ? PacketKind.Rtp : PacketKind.Unknown;
            default:
                return PacketKind.Unknown;
        }
    }
}
