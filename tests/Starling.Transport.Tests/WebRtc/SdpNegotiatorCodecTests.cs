using Starling.Transport.WebRtc;
using Starling.Wire.Sdp;

namespace Starling.Transport.Tests.WebRtc;

/// <summary>Which video codec a section is answered with: the publisher's requested codec, the subscribed track's codec.</summary>
public sealed class SdpNegotiatorCodecTests
{
    private static readonly LocalSdpParameters Local = new(
        "ufrag", "password-password-pw", "sha-256 00:11", ["candidate:1 1 udp 2130706431 10.77.0.1 7882 typ host"], 1, 1);

    /// <summary>A video section with Chromium 156's codecs in its order (RTX after each), sending or receiving.</summary>
    private static string Offer(string direction) =>
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=extmap-allow-mixed\r\n"
        + "m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 100 101 102 103 104 105 106 107 108 109 45 46\r\nc=IN IP4 0.0.0.0\r\n"
        + "a=ice-ufrag:Xq7T\r\na=ice-pwd:Gm1Zk8vR5oQ0eYtW3pLc9sJd\r\n"
        + "a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3A:F2:D6:8B:5C:9F:33:11:AA:60:4E:21\r\n"
        + "a=setup:actpass\r\na=mid:0\r\n"
        + "a=extmap:12 https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension\r\n"
        + $"a={direction}\r\na=msid:s cam\r\na=rtcp-mux\r\na=rtcp-rsize\r\n"
        + "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n"
        + "a=rtpmap:98 VP9/90000\r\na=fmtp:98 profile-id=0\r\na=rtpmap:99 rtx/90000\r\na=fmtp:99 apt=98\r\n"
        + "a=rtpmap:100 VP9/90000\r\na=fmtp:100 profile-id=2\r\na=rtpmap:101 rtx/90000\r\na=fmtp:101 apt=100\r\n"
        + "a=rtpmap:102 H264/90000\r\na=fmtp:102 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f\r\n"
        + "a=rtpmap:103 rtx/90000\r\na=fmtp:103 apt=102\r\n"
        + "a=rtpmap:104 H264/90000\r\na=fmtp:104 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f\r\n"
        + "a=rtpmap:105 rtx/90000\r\na=fmtp:105 apt=104\r\n"
        + "a=rtpmap:106 H264/90000\r\na=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n"
        + "a=rtpmap:107 rtx/90000\r\na=fmtp:107 apt=106\r\n"
        + "a=rtpmap:108 H264/90000\r\na=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f\r\n"
        + "a=rtpmap:109 rtx/90000\r\na=fmtp:109 apt=108\r\n"
        + "a=rtpmap:45 AV1/90000\r\na=fmtp:45 level-idx=5;profile=0;tier=0\r\na=rtpmap:46 rtx/90000\r\na=fmtp:46 apt=45\r\n";

    private static SdpMediaDescription Section(string direction = "recvonly") => SdpNegotiator.Parse(Offer(direction)).MediaDescriptions[0];

    [Theory]
    // choosing what a publisher sends (no fmtp to match): H.264 with packetization-mode 1, VP9/AV1 profile 0
    [InlineData("H264", null, 104)]
    [InlineData("h264", null, 104)]
    [InlineData("VP9", null, 98)]
    [InlineData("AV1", null, 45)]
    [InlineData("VP8", null, 96)]
    [InlineData("H265", null, null)]
    // a subscriber section for the publisher's codec: exact profile-level-id first, else the same profile and mode
    [InlineData("H264", "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", 106)]
    [InlineData("H264", "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f", 104)]
    [InlineData("H264", "packetization-mode=1;profile-level-id=4d0032", 108)] // Main, another level
    [InlineData("H264", "level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f", 102)]
    [InlineData("H264", "packetization-mode=1;profile-level-id=640c1f", null)] // High: not offered
    [InlineData("H264", "packetization-mode=2;profile-level-id=42001f", null)]
    [InlineData("VP9", "profile-id=0", 98)]
    [InlineData("VP9", "", 98)] // profile-id defaults to 0
    [InlineData("VP9", "profile-id=2", 100)]
    [InlineData("VP9", "profile-id=1", null)]
    [InlineData("AV1", "level-idx=5;profile=0;tier=0", 45)]
    [InlineData("AV1", "profile=1", null)]
    [InlineData("VP8", "", 96)]
    public void FindVideoCodec_Cases(string name, string? fmtp, int? expected) =>
        Assert.Equal(expected, SdpNegotiator.FindVideoCodec(Section(), name, fmtp));

    [Theory]
    [InlineData(null, new[] { 96, 97 })] // nothing asked: the first codec we support
    [InlineData(104, new[] { 104, 105 })] // H.264 asked for: it and its RTX
    [InlineData(45, new[] { 45, 46 })]
    [InlineData(77, new[] { 96, 97 })] // not offered: the first we support
    public void BuildAnswer_PublisherSection_ReceivesTheCodecAskedFor(int? chosen, int[] expected)
    {
        var offer = SdpNegotiator.Parse(Offer("sendonly"));
        var answer = SdpNegotiator.Parse(SdpNegotiator.BuildAnswer(offer, Local, publishCodecs: _ => chosen));
        var video = answer.MediaDescriptions[0];
        Assert.Equal(expected, video.PayloadTypes);
        Assert.Equal(SdpDirection.RecvOnly, video.Direction);
        Assert.Equal(expected[0], SdpNegotiator.ChosenCodec(offer.MediaDescriptions[0], chosen)!.PayloadType);
        Assert.True(answer.Attributes.ExtmapAllowMixed);
        Assert.Contains(video.Extmaps, e => e.Id == 12 && e.Uri.EndsWith("#dependency-descriptor-rtp-header-extension", StringComparison.Ordinal));
    }

    [Fact]
    public void BuildAnswer_ReceiveSection_SendsTheAssignedCodec()
    {
        var offer = SdpNegotiator.Parse(Offer("recvonly"));
        var answer = SdpNegotiator.Parse(SdpNegotiator.BuildAnswer(
            offer, Local, mid => mid == "0" ? new MediaSendAssignment("PA_a|TR_v", "TR_v", 1234, PayloadType: 98) : null,
            publishCodecs: _ => throw new InvalidOperationException("not a send section")));
        var video = answer.MediaDescriptions[0];
        Assert.Equal([98, 99], video.PayloadTypes);
        Assert.Equal("profile-id=0", video.GetFmtp(98)!.Parameters);
        Assert.Equal(SdpDirection.SendOnly, video.Direction);
    }
}
