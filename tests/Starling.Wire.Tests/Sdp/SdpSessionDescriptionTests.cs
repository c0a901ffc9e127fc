using Starling.Wire.Sdp;

namespace Starling.Wire.Tests.Sdp;

public sealed class SdpSessionDescriptionTests
{
    public static TheoryData<string> Offers => new() { "chrome", "libwebrtc" };

    [Theory]
    [MemberData(nameof(Offers))]
    public void ParseThenWrite_RealisticOffer_RoundTripsExactly(string which)
    {
        var text = which == "chrome" ? SdpSamples.ChromeOffer : SdpSamples.LibwebrtcRecvOnlyOffer;

        Assert.True(SdpSessionDescription.TryParse(text, out var sdp, out var error), error);

        Assert.Empty(sdp.ParseWarnings);
        Assert.Equal(text, sdp.ToString());
    }

    [Fact]
    public void ChromeOffer_SessionLevel_ReadsBundleAndMsidSemantic()
    {
        var sdp = Parse(SdpSamples.ChromeOffer);

        Assert.Equal("8912765426745391034", sdp.Origin.SessionId);
        Assert.Equal(2ul, sdp.Origin.SessionVersion);
        Assert.Equal(["0", "1", "2"], sdp.Bundle!.Mids);
        Assert.Equal("WMS", sdp.MsidSemantic!.Semantic);
        Assert.Equal(["7f2c1a2e-6b1d-4b7e-9c51-5a0d6a1f9e33"], sdp.MsidSemantic.Identifiers);
        Assert.True(sdp.Attributes.ExtmapAllowMixed);
        Assert.False(sdp.Attributes.IceLite);
        Assert.Equal(3, sdp.MediaDescriptions.Count);
    }

    [Fact]
    public void ChromeOffer_Audio_ReadsTransportAndCodecAttributes()
    {
        var sdp = Parse(SdpSamples.ChromeOffer);
        var audio = sdp.MediaDescriptions[0];

        Assert.True(audio.IsAudio);
        Assert.Equal(9, audio.Port);
        Assert.Equal("UDP/TLS/RTP/SAVPF", audio.Protocol);
        Assert.Equal([63, 111, 9, 0, 8, 13, 110, 126], audio.PayloadTypes);
        Assert.Equal(SdpConnection.Unspecified, audio.Connection);
        Assert.Equal("0", audio.Mid);
        Assert.Equal("Xq7T", sdp.GetIceUfrag(audio));
        Assert.Equal("Gm1Zk8vR5oQ0eYtW3pLc9sJd", sdp.GetIcePwd(audio));
        Assert.Equal(["trickle"], audio.Attributes.IceOptions);
        var fingerprint = sdp.GetFingerprint(audio)!;
        Assert.Equal("sha-256", fingerprint.HashFunction);
        Assert.Equal(32, fingerprint.GetDigest().Length);
        Assert.Equal(SdpSetupRole.ActPass, sdp.GetSetup(audio));
        Assert.Equal(SdpDirection.SendOnly, audio.Direction);
        Assert.Equal(new SdpMsid("7f2c1a2e-6b1d-4b7e-9c51-5a0d6a1f9e33", "0c1e5f7a-8d3b-4c2e-a1f0-9b8d7c6e5a41"), Assert.Single(audio.Msids));
        Assert.True(audio.RtcpMux);
        Assert.True(audio.RtcpRsize);
        Assert.Equal(new SdpRtpMap(111, "opus", 48000, 2), audio.GetRtpMap(111));
        Assert.Equal("1", audio.GetFmtp(111)!.GetParameter("useinbandfec"));
        Assert.Equal("111/111", audio.GetFmtp(63)!.Parameters);
        Assert.Equal(["transport-cc", "nack"], audio.GetRtcpFeedback(111).Select(f => f.Type));
        Assert.Equal(new SdpExtmap(4, "urn:ietf:params:rtp-hdrext:sdes:mid"), audio.Extmaps.Single(e => e.Id == 4));
        Assert.Equal([new SdpSsrc(3735928559, "cname", "kL3f9Qx2Zt8mWv1R"), new SdpSsrc(3735928559, "msid", "7f2c1a2e-6b1d-4b7e-9c51-5a0d6a1f9e33 0c1e5f7a-8d3b-4c2e-a1f0-9b8d7c6e5a41")], audio.Ssrcs);
        Assert.Equal(2, audio.Attributes.Candidates.Count);
        Assert.Equal("active", audio.Attributes.Candidates[1].TcpType);
        Assert.Equal("rtcp", audio.Attributes[0].Name); // unknown to the typed layer, kept verbatim
    }

    [Fact]
    public void ChromeOffer_Video_ReadsSimulcastRidsAndRtx()
    {
        var video = Parse(SdpSamples.ChromeOffer).MediaDescriptions[1];

        Assert.True(video.IsVideo);
        Assert.Equal(["q", "h", "f"], video.Rids.Select(r => r.Id));
        Assert.All(video.Rids, r => Assert.Equal(SdpRidDirection.Send, r.Direction));
        Assert.Equal(["q", "h", "f"], video.Simulcast!.SendRids);
        Assert.Empty(video.Simulcast.Receive);
        Assert.Empty(video.Ssrcs);
        Assert.Equal("96", video.GetFmtp(97)!.GetParameter("apt"));
        Assert.Equal(5, video.GetRtcpFeedback(96).Count);
        Assert.Equal(new SdpRtcpFeedback(96, "nack", "pli"), video.GetRtcpFeedback(96)[^1]);
        Assert.Contains(video.Extmaps, e => e.Uri == "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id" && e.Id == 10);
        Assert.Equal("42e01f", video.GetFmtp(102)!.GetParameter("profile-level-id"));
    }

    [Fact]
    public void ChromeOffer_Application_ReadsSctp()
    {
        var data = Parse(SdpSamples.ChromeOffer).MediaDescriptions[2];

        Assert.True(data.IsApplication);
        Assert.Equal("UDP/DTLS/SCTP", data.Protocol);
        Assert.Equal(["webrtc-datachannel"], data.Formats);
        Assert.Empty(data.PayloadTypes);
        Assert.Equal(5000, data.SctpPort);
        Assert.Equal(262144, data.MaxMessageSize);
        Assert.Equal(SdpDirection.SendRecv, data.Direction);
        Assert.Null(data.Attributes.Direction);
    }

    [Fact]
    public void LibwebrtcOffer_HasThreeRecvOnlyAudioThreeVideoAndData()
    {
        var sdp = Parse(SdpSamples.LibwebrtcRecvOnlyOffer);

        Assert.Equal(["audio", "audio", "audio", "video", "video", "video", "application"], sdp.MediaDescriptions.Select(m => m.Media));
        Assert.All(sdp.MediaDescriptions.Take(6), m => Assert.Equal(SdpDirection.RecvOnly, m.Direction));
        Assert.All(sdp.MediaDescriptions, m => Assert.Empty(m.Msids));
        Assert.All(sdp.MediaDescriptions, m => Assert.Empty(m.Ssrcs));
        Assert.Empty(sdp.MsidSemantic!.Identifiers);
        Assert.Equal(sdp.MediaDescriptions.Select(m => m.Mid), sdp.Bundle!.Mids);
        Assert.Same(sdp.MediaDescriptions[4], sdp.FindByMid("4"));
    }

    [Fact]
    public void TryParse_LineFeedsOnly_WritesCrLf()
    {
        var lf = SdpSamples.ChromeOffer.ReplaceLineEndings("\n");

        var sdp = Parse(lf);

        Assert.Equal(SdpSamples.ChromeOffer, sdp.ToString());
    }

    public static TheoryData<string, string> FatalCases => new()
    {
        { "empty", "" },
        { "no version", "o=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n" },
        { "version 1", "v=1\r\no=- 1 2 IN IP4 127.0.0.1\r\n" },
        { "no origin", "v=0\r\ns=-\r\nt=0 0\r\n" },
        { "short origin", "v=0\r\no=- 1 2 IN IP4\r\ns=-\r\n" },
        { "origin version not a number", "v=0\r\no=- 1 x IN IP4 127.0.0.1\r\ns=-\r\n" },
        { "garbage line", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nhello\r\n" },
        { "upper-case type", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nS=-\r\n" },
        { "media port not a number", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio x UDP/TLS/RTP/SAVPF 111\r\n" },
        { "media line short", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9\r\n" },
        { "bad port count", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9/0 RTP/AVP 0\r\n" },
        { "bad connection", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nc=IN IP4\r\n" },
    };

    [Theory]
    [MemberData(nameof(FatalCases))]
    public void TryParse_BrokenSdp_ReturnsClearError(string name, string text)
    {
        Assert.False(SdpSessionDescription.TryParse(text, out var sdp, out var error), name);
        Assert.Null(sdp);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("a=rtpmap:111 opus", "a=rtpmap")]
    [InlineData("a=fingerprint:sha-256 ZZ:11", "a=fingerprint")]
    [InlineData("a=extmap:0 urn:x", "a=extmap")]
    [InlineData("a=rid:q sideways", "a=rid")]
    [InlineData("a=simulcast:send", "a=simulcast")]
    [InlineData("a=candidate:1 1 udp x 1.2.3.4 5 typ host", "a=candidate")]
    [InlineData("a=sctp-port:many", "a=sctp-port")]
    public void TryParse_MalformedKnownAttribute_WarnsAndKeepsItVerbatim(string line, string expected)
    {
        var text = $"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n{line}\r\n";

        var sdp = Parse(text);

        Assert.Contains(sdp.ParseWarnings, w => w.Contains(expected, StringComparison.Ordinal) && w.StartsWith("line 6", StringComparison.Ordinal));
        Assert.Equal(text, sdp.ToString());
    }

    [Fact]
    public void TryParse_EmptyLineAndMissingSessionName_AreWarnings()
    {
        var sdp = Parse("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n\r\nt=0 0\r\na=ice-lite\r\n");

        Assert.Equal(2, sdp.ParseWarnings.Count);
        Assert.True(sdp.Attributes.IceLite);
    }

    [Fact]
    public void Write_BuiltAnswer_UsesRfcLineOrderAndKeepsAttributeOrder()
    {
        var sdp = new SdpSessionDescription(new SdpOrigin("-", "123", 1, "IN", "IP4", "127.0.0.1"));
        sdp.OtherLines.Add(new SdpLine('k', "clear:x"));
        sdp.OtherLines.Add(new SdpLine('e', "ops@example.org"));
        sdp.OtherLines.Add(new SdpLine('i', "info"));
        sdp.Attributes.IceLite = true;
        sdp.Attributes.Add(new SdpGroup(SdpGroup.Bundle, ["0"]));
        sdp.Attributes.Add(new SdpMsidSemantic("WMS", []));
        var audio = new SdpMediaDescription("audio", 9, "UDP/TLS/RTP/SAVPF", ["111"]) { Connection = SdpConnection.Unspecified };
        audio.Attributes.IceUfrag = "srvUfrag0001";
        audio.Attributes.IcePwd = "serverPassword0123456789abcdef";
        audio.Attributes.Add(SdpFingerprint.FromDigest("sha-256", new byte[] { 0xAB, 0x01 }));
        audio.Attributes.Setup = SdpSetupRole.Active;
        audio.Mid = "0";
        audio.Direction = SdpDirection.RecvOnly;
        audio.RtcpMux = true;
        audio.Attributes.Add(new SdpRtpMap(111, "opus", 48000, 2));
        audio.Attributes.Add(new SdpFmtp(111, "minptime=10;useinbandfec=1"));
        audio.Attributes.Add(new SdpRtcpFeedback(111, "transport-cc"));
        audio.Attributes.EndOfCandidates = true;
        sdp.MediaDescriptions.Add(audio);

        audio.Direction = SdpDirection.SendOnly; // replaced in place

        Assert.Equal(
            """
            v=0
            o=- 123 1 IN IP4 127.0.0.1
            s=-
            i=info
            e=ops@example.org
            t=0 0
            k=clear:x
            a=ice-lite
            a=group:BUNDLE 0
            a=msid-semantic: WMS
            m=audio 9 UDP/TLS/RTP/SAVPF 111
            c=IN IP4 0.0.0.0
            a=ice-ufrag:srvUfrag0001
            a=ice-pwd:serverPassword0123456789abcdef
            a=fingerprint:sha-256 AB:01
            a=setup:active
            a=mid:0
            a=sendonly
            a=rtcp-mux
            a=rtpmap:111 opus/48000/2
            a=fmtp:111 minptime=10;useinbandfec=1
            a=rtcp-fb:111 transport-cc
            a=end-of-candidates

            """.ReplaceLineEndings("\r\n"),
            sdp.ToString());
    }

    [Fact]
    public void Setters_ChangeValuesInPlaceAndRemove()
    {
        var sdp = Parse(SdpSamples.ChromeOffer);
        var video = sdp.MediaDescriptions[1];
        var midIndex = video.Attributes.IndexOf("mid");

        video.Mid = "v1";
        video.Attributes.Setup = SdpSetupRole.Passive;
        video.RtcpRsize = false;

        Assert.Equal(midIndex, video.Attributes.IndexOf("mid"));
        Assert.Equal("v1", video.Mid);
        Assert.Equal(SdpSetupRole.Passive, video.Attributes.Setup);
        Assert.False(video.RtcpRsize);
        video.Attributes.IceUfrag = null;
        Assert.Null(video.Attributes.IceUfrag);
        Assert.Equal("Xq7T", sdp.MediaDescriptions[0].Attributes.IceUfrag);
        Assert.True(SdpSessionDescription.TryParse(sdp.ToString(), out var again, out _));
        Assert.Equal("v1", again.MediaDescriptions[1].Mid);
    }

    private static SdpSessionDescription Parse(string text)
    {
        Assert.True(SdpSessionDescription.TryParse(text, out var sdp, out var error), error);
        return sdp;
    }
}
