using Starling.Wire.Sdp;

namespace Starling.Wire.Tests.Sdp;

public sealed class SdpAttributeValueTests
{
    [Theory]
    [InlineData("rtpmap", "111 opus/48000/2")]
    [InlineData("rtpmap", "96 VP8/90000")]
    [InlineData("fmtp", "111 minptime=10;useinbandfec=1")]
    [InlineData("fmtp", "63 111/111")]
    [InlineData("rtcp-fb", "96 nack pli")]
    [InlineData("rtcp-fb", "* transport-cc")]
    [InlineData("rtcp-fb", "96 ccm fir")]
    [InlineData("extmap", "4 urn:ietf:params:rtp-hdrext:sdes:mid")]
    [InlineData("extmap", "2/recvonly urn:ietf:params:rtp-hdrext:toffset")]
    [InlineData("extmap", "12/sendrecv urn:x:y attr1 attr2")]
    [InlineData("ssrc", "1001 cname:abc")]
    [InlineData("ssrc", "1001 msid:PA_x|TR_y TR_y")]
    [InlineData("ssrc", "4294967295 label")]
    [InlineData("ssrc-group", "FID 1001 1002")]
    [InlineData("ssrc-group", "SIM 1 2 3")]
    [InlineData("rid", "q send")]
    [InlineData("rid", "h send max-width=640;max-height=360")]
    [InlineData("rid", "1 recv pt=96,97")]
    [InlineData("simulcast", "send q;h;f")]
    [InlineData("simulcast", "send 1,~4;2;3 recv c")]
    [InlineData("group", "BUNDLE 0 1 2")]
    [InlineData("group", "BUNDLE")]
    [InlineData("msid-semantic", " WMS *")]
    [InlineData("msid", "- 0c1e5f7a")]
    [InlineData("msid", "PA_abc|TR_def TR_def")]
    [InlineData("fingerprint", "sha-256 4A:AD:B9")]
    public void TryParse_ThenToValue_RoundTrips(string name, string value)
    {
        Assert.True(TryRoundTrip(name, value, out var written));
        Assert.Equal(value, written);
    }

    [Theory]
    [InlineData("rtpmap", "128 opus/48000")]
    [InlineData("rtpmap", "111 opus")]
    [InlineData("rtpmap", "111 opus/x")]
    [InlineData("rtpmap", "111 opus/48000/2/1")]
    [InlineData("fmtp", "abc x=1")]
    [InlineData("rtcp-fb", "x nack")]
    [InlineData("rtcp-fb", "96")]
    [InlineData("extmap", "256 urn:x")]
    [InlineData("extmap", "1/upwards urn:x")]
    [InlineData("extmap", "1")]
    [InlineData("ssrc", "-1 cname:x")]
    [InlineData("ssrc", "1")]
    [InlineData("ssrc-group", "FID")]
    [InlineData("ssrc-group", "FID 1 x")]
    [InlineData("rid", "q")]
    [InlineData("rid", "q! send")]
    [InlineData("simulcast", "send")]
    [InlineData("simulcast", "send a send b")]
    [InlineData("simulcast", "both a")]
    [InlineData("simulcast", "send a;;b")]
    [InlineData("msid", "a b c")]
    [InlineData("fingerprint", "sha-256")]
    [InlineData("fingerprint", "sha-256 4A:A")]
    [InlineData("fingerprint", "sha-256 4A:GG")]
    public void TryParse_Malformed_ReturnsFalse(string name, string value) => Assert.False(TryRoundTrip(name, value, out _));

    [Fact]
    public void Rid_PayloadTypes_ReadsPtRestriction()
    {
        Assert.True(SdpRid.TryParse("1 recv pt=96,97;max-fps=30", out var rid));
        Assert.Equal([96, 97], rid.PayloadTypes);
        Assert.True(SdpRid.TryParse("q send", out var plain));
        Assert.Empty(plain.PayloadTypes);
    }

    [Fact]
    public void Simulcast_Alternatives_ReadsPausedFlags()
    {
        Assert.True(SdpSimulcast.TryParse("recv 1,~4;2", out var simulcast));
        Assert.Equal(new SdpSimulcastRid("4", true), simulcast.Receive[0][1]);
        Assert.Empty(simulcast.SendRids);
    }

    [Fact]
    public void Fingerprint_FromDigest_MatchesDigest()
    {
        byte[] digest = [0x4A, 0xAD, 0x0B];
        var fingerprint = SdpFingerprint.FromDigest("sha-256", digest);

        Assert.Equal("sha-256 4A:AD:0B", fingerprint.ToValue());
        Assert.True(fingerprint.Matches(digest));
        Assert.True(new SdpFingerprint("sha-256", "4a:ad:0b").Matches(digest));
    }

    [Theory]
    [InlineData(SdpDirection.SendOnly, SdpDirection.RecvOnly)]
    [InlineData(SdpDirection.RecvOnly, SdpDirection.SendOnly)]
    [InlineData(SdpDirection.SendRecv, SdpDirection.SendRecv)]
    [InlineData(SdpDirection.Inactive, SdpDirection.Inactive)]
    internal void Reverse_Direction_SwapsSendAndReceive(SdpDirection offered, SdpDirection answered) =>
        Assert.Equal(answered, SdpDirections.Reverse(offered));

    private static bool TryRoundTrip(string name, string value, out string? written)
    {
        written = name switch
        {
            "rtpmap" => SdpRtpMap.TryParse(value, out var a) ? a.ToValue() : null,
            "fmtp" => SdpFmtp.TryParse(value, out var b) ? b.ToValue() : null,
            "rtcp-fb" => SdpRtcpFeedback.TryParse(value, out var c) ? c.ToValue() : null,
            "extmap" => SdpExtmap.TryParse(value, out var d) ? d.ToValue() : null,
            "ssrc" => SdpSsrc.TryParse(value, out var e) ? e.ToValue() : null,
            "ssrc-group" => SdpSsrcGroup.TryParse(value, out var f) ? f.ToValue() : null,
            "rid" => SdpRid.TryParse(value, out var g) ? g.ToValue() : null,
            "simulcast" => SdpSimulcast.TryParse(value, out var h) ? h.ToValue() : null,
            "group" => SdpGroup.TryParse(value, out var i) ? i.ToValue() : null,
            "msid-semantic" => SdpMsidSemantic.TryParse(value, out var j) ? j.ToValue() : null,
            "msid" => SdpMsid.TryParse(value, out var k) ? k.ToValue() : null,
            "fingerprint" => SdpFingerprint.TryParse(value, out var l) ? l.ToValue() : null,
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        return written is not null;
    }
}
