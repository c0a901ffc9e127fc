namespace Starling.Wire.Tests;

public sealed class PacketClassifierTests
{
    [Theory]
    [InlineData(0, 20, (int)PacketKind.Stun)]
    [InlineData(1, 20, (int)PacketKind.Stun)]
    [InlineData(3, 20, (int)PacketKind.Stun)]
    [InlineData(0, 19, (int)PacketKind.Unknown)]
    [InlineData(4, 20, (int)PacketKind.Unknown)]
    [InlineData(16, 40, (int)PacketKind.Unknown)] // ZRTP
    [InlineData(19, 40, (int)PacketKind.Unknown)]
    [InlineData(20, 13, (int)PacketKind.Dtls)] // change_cipher_spec
    [InlineData(22, 13, (int)PacketKind.Dtls)] // handshake
    [InlineData(23, 40, (int)PacketKind.Dtls)] // application_data
    [InlineData(63, 13, (int)PacketKind.Dtls)]
    [InlineData(22, 12, (int)PacketKind.Unknown)]
    [InlineData(64, 40, (int)PacketKind.Unknown)] // TURN channel
    [InlineData(79, 40, (int)PacketKind.Unknown)]
    [InlineData(127, 40, (int)PacketKind.Unknown)]
    [InlineData(192, 40, (int)PacketKind.Unknown)] // QUIC long header area / reserved
    [InlineData(255, 40, (int)PacketKind.Unknown)]
    public void Classify_FirstByte_FollowsRfc7983(int first, int length, int expected)
    {
        var packet = new byte[length];
        packet[0] = (byte)first;
        packet[1] = 96;

        Assert.Equal((PacketKind)expected, PacketClassifier.Classify(packet));
    }

    [Theory]
    [InlineData(0x80, 96, 12, (int)PacketKind.Rtp)] // VP8, no marker
    [InlineData(0x90, 111, 12, (int)PacketKind.Rtp)] // extension bit
    [InlineData(0x80, 0, 12, (int)PacketKind.Rtp)] // PCMU
    [InlineData(0x80, 63, 12, (int)PacketKind.Rtp)]
    [InlineData(0x80, 191, 12, (int)PacketKind.Rtp)] // marker + PT 63
    [InlineData(0x80, 192, 8, (int)PacketKind.Rtcp)] // FIR (legacy)
    [InlineData(0x80, 200, 8, (int)PacketKind.Rtcp)] // SR
    [InlineData(0x81, 201, 8, (int)PacketKind.Rtcp)] // RR
    [InlineData(0x81, 205, 16, (int)PacketKind.Rtcp)] // RTPFB (NACK, TWCC)
    [InlineData(0x81, 206, 12, (int)PacketKind.Rtcp)] // PSFB (PLI)
    [InlineData(0x80, 223, 8, (int)PacketKind.Rtcp)]
    [InlineData(0x80, 224, 12, (int)PacketKind.Rtp)] // marker + PT 96
    [InlineData(0x80, 96, 11, (int)PacketKind.Unknown)] // too short for RTP
    [InlineData(0x80, 200, 7, (int)PacketKind.Unknown)] // too short for RTCP
    [InlineData(0xBF, 200, 8, (int)PacketKind.Rtcp)]
    public void Classify_RtpRange_SplitsRtpAndRtcpByPayloadType(int first, int second, int length, int expected)
    {
        var packet = new byte[length];
        packet[0] = (byte)first;
        if (length > 1)
        {
            packet[1] = (byte)second;
        }

        Assert.Equal((PacketKind)expected, PacketClassifier.Classify(packet));
    }

    [Fact]
    public void Classify_Empty_IsUnknown() => Assert.Equal(PacketKind.Unknown, PacketClassifier.Classify([]));
}
