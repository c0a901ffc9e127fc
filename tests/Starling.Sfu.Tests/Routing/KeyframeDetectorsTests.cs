using Starling.Sfu.Routing;

namespace Starling.Sfu.Tests.Routing;

public sealed class KeyframeDetectorsTests
{
    [Theory]
    [InlineData("video/VP8", "Vp8")]
    [InlineData("vp8", "Vp8")]
    [InlineData("video/vp9", "Vp9")]
    [InlineData("video/H264", "H264")]
    [InlineData("AV1", "Av1")]
    [InlineData("audio/opus", null)]
    [InlineData("video/H265", null)]
    [InlineData(null, null)]
    public void ForMimeType_Cases(string? mime, string? expected)
    {
        var detector = KeyframeDetectors.ForMimeType(mime);
        var name = detector == KeyframeDetectors.Vp8 ? "Vp8"
            : detector == KeyframeDetectors.Vp9 ? "Vp9"
            : detector == KeyframeDetectors.H264 ? "H264"
            : detector == KeyframeDetectors.Av1 ? "Av1"
            : null;
        Assert.Equal(expected, name);
    }

    [Fact]
    public void Vp8_MatchesTheSyntheticTestPackets()
    {
        // S = 1, PID = 0, then the VP8 payload header with P = 0 (key frame) or 1.
        Assert.True(KeyframeDetectors.Vp8([0x10, 0x00, 0x9D]));
        Assert.False(KeyframeDetectors.Vp8([0x10, 0x01, 0x9D]));
        Assert.False(KeyframeDetectors.Vp8([0x00, 0x00, 0x9D]));
        var key = TestRtp.Packet(1, 0, 1, keyframe: true);
        var delta = TestRtp.Packet(2, 0, 1);
        Assert.True(Starling.Wire.Rtp.RtpPacket.TryRead(key, out var k, out _) && KeyframeDetectors.Vp8(k.Payload));
        Assert.True(Starling.Wire.Rtp.RtpPacket.TryRead(delta, out var d, out _) && !KeyframeDetectors.Vp8(d.Payload));
    }

    [Fact]
    public void H264_IdrNalIsKeyframe()
    {
        Assert.True(KeyframeDetectors.H264([0x65, 0x88]));  // single NAL, type 5 (IDR)
        Assert.False(KeyframeDetectors.H264([0x41, 0x9A])); // type 1 (non-IDR slice)
    }
}
