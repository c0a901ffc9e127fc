using Starling.Transport.WebRtc;

namespace Starling.Transport.Tests.WebRtc;

public sealed class SdpNegotiatorTests
{
    private static readonly LocalSdpParameters Local = new(
        "ufrag", "password-password-pw", "sha-256 00:11", ["candidate:1 1 udp 2130706431 10.77.0.1 7882 typ host"], 1, 1);

    /// <summary>A publisher offer shaped like Chrome's: audio and a simulcast camera, both sendonly, both with transport-cc.</summary>
    private const string PublisherOffer =
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
        + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:Xq7T\r\na=ice-pwd:Gm1Zk8vR5oQ0eYtW3pLc9sJd\r\n"
        + "a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3A:F2:D6:8B:5C:9F:33:11:AA:60:4E:21\r\n"
        + "a=setup:actpass\r\na=mid:0\r\n"
        + "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
        + "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n"
        + "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
        + "a=sendonly\r\na=msid:s mic\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\n"
        + "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:Xq7T\r\na=ice-pwd:Gm1Zk8vR5oQ0eYtW3pLc9sJd\r\n"
        + "a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3A:F2:D6:8B:5C:9F:33:11:AA:60:4E:21\r\n"
        + "a=setup:actpass\r\na=mid:1\r\n"
        + "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
        + "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n"
        + "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
        + "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n"
        + "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id\r\n"
        + "a=sendonly\r\na=msid:s cam\r\na=rtcp-mux\r\na=rtcp-rsize\r\n"
        + "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 goog-remb\r\na=rtcp-fb:96 transport-cc\r\na=rtcp-fb:96 ccm fir\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n"
        + "a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n"
        + "a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\na=simulcast:send q;h;f\r\n";

    [Fact]
    public void BuildAnswer_PublisherSections_KeepTransportCcExtensionAndFeedback()
    {
        var answer = SdpNegotiator.Parse(SdpNegotiator.BuildAnswer(SdpNegotiator.Parse(PublisherOffer), Local));

        var audio = answer.FindByMid("0")!;
        var video = answer.FindByMid("1")!;
        const string TransportCc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
        Assert.Contains(audio.Extmaps, e => e.Id == 3 && e.Uri == TransportCc);
        Assert.Contains(video.Extmaps, e => e.Id == 3 && e.Uri == TransportCc);
        Assert.Contains(video.Extmaps, e => e.Id == 11 && e.Uri == "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id");
        Assert.Contains(audio.GetRtcpFeedback(111), f => f.Type == "transport-cc");
        Assert.Equal(
            ["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"],
            video.GetRtcpFeedback(96).Select(f => string.IsNullOrEmpty(f.Parameter) ? f.Type : f.Type + " " + f.Parameter));
        Assert.Equal([96, 97], video.PayloadTypes);
        Assert.Equal(Starling.Wire.Sdp.SdpDirection.RecvOnly, video.Direction);
        Assert.Equal(["q", "h", "f"], video.Rids.Select(r => r.Id));
    }
}
