using Starling.Transport.WebRtc;
using Starling.Wire.Rtp;
using Starling.Wire.Sdp;

namespace Starling.Transport.Tests.WebRtc;

public sealed class SdpNegotiatorOfferTests
{
    private static readonly LocalSdpParameters Local = new(
        "ufrag1",
        "password-password-pw",
        "sha-256 " + string.Join(':', Enumerable.Repeat("AB", 32)),
        ["candidate:1 1 udp 2130706431 10.77.0.1 7882 typ host"],
        SessionId: 42,
        SessionVersion: 3);

    private static readonly OfferedCodec Opus = new(111, "opus", 48000, 2, "minptime=10;useinbandfec=1");
    private static readonly OfferedCodec Vp8 = new(96, "VP8", 90000);

    private static SdpSessionDescription Offer(params OfferedMediaSection[] media)
    {
        var text = SdpNegotiator.BuildOffer(Local, media);
        Assert.True(SdpSessionDescription.TryParse(text, out var sdp, out var error), error);
        Assert.Empty(sdp.ParseWarnings);
        return sdp;
    }

    [Fact]
    public void BuildOffer_NoMedia_IsTheDataSectionOnly()
    {
        var sdp = Offer();
        var data = Assert.Single(sdp.MediaDescriptions);
        Assert.True(data.IsApplication);
        Assert.Equal("0", data.Mid);
        Assert.Equal(5000, data.SctpPort);
        Assert.Equal(["0"], sdp.Bundle!.Mids);
        Assert.True(sdp.Attributes.IceLite);
        Assert.False(sdp.Attributes.ExtmapAllowMixed);
        Assert.Equal(SdpSetupRole.ActPass, sdp.GetSetup(data));
    }

    [Fact]
    public void BuildOffer_SendingSection_CarriesCodecMsidSsrcAndFeedback()
    {
        var sdp = Offer(new OfferedMediaSection("1", IsAudio: false, Vp8, new MediaSendAssignment("PA_alice|TR_cam", "TR_cam", 1234)));
        Assert.Equal(["0", "1"], sdp.Bundle!.Mids);
        Assert.True(sdp.Attributes.ExtmapAllowMixed);
        var video = sdp.FindByMid("1")!;
        Assert.True(video.IsVideo);
        Assert.Equal(9, video.Port);
        Assert.Equal("UDP/TLS/RTP/SAVPF", video.Protocol);
        Assert.Equal(SdpDirection.SendOnly, video.Direction);
        Assert.Equal(SdpSetupRole.ActPass, sdp.GetSetup(video));
        Assert.Equal("ufrag1", sdp.GetIceUfrag(video));
        Assert.True(video.RtcpMux);
        Assert.True(video.RtcpRsize);
        Assert.Equal([96], video.PayloadTypes);
        Assert.Equal(new SdpRtpMap(96, "VP8", 90000), video.GetRtpMap(96));
        Assert.Equal(["nack", "nack pli", "ccm fir", "transport-cc"], video.GetRtcpFeedback(96).Select(f => f.Parameter is null ? f.Type : f.Type + " " + f.Parameter));
        Assert.Null(video.GetFmtp(96));
        // what we stamp (abs-send-time, transport-wide sequence, mid) and the dependency descriptor (VP9/AV1 SVC), all
        // with ids the one-byte form takes
        Assert.Equal(
            [RtpExtensionUri.AbsSendTime, RtpExtensionUri.TransportWideCc, RtpExtensionUri.Mid, RtpExtensionUri.DependencyDescriptor],
            video.Extmaps.Select(e => e.Uri));
        Assert.All(video.Extmaps, e => Assert.InRange(e.Id, 1, 14));
        Assert.Equal(video.Extmaps.Count, video.Extmaps.Select(e => e.Id).Distinct().Count());
        var msid = Assert.Single(video.Msids);
        Assert.Equal("PA_alice|TR_cam", msid.StreamId);
        Assert.Equal("TR_cam", msid.TrackId);
        Assert.Equal([(1234u, "cname", "PA_alice|TR_cam"), (1234u, "msid", "PA_alice|TR_cam TR_cam")], video.Ssrcs.Select(s => (s.Ssrc, s.Attribute, s.Value)));

        // the candidates ride once, in the first section
        Assert.Single(sdp.MediaDescriptions[0].Attributes.Candidates);
        Assert.Empty(video.Attributes.Candidates);
    }

    [Fact]
    public void BuildOffer_Audio_KeepsChannelsFmtpAndOffersAudioLevelAndTransportCc()
    {
        var sdp = Offer(new OfferedMediaSection("1", IsAudio: true, Opus, new MediaSendAssignment("PA_a|TR_mic", "TR_mic", 5)));
        var audio = sdp.FindByMid("1")!;
        Assert.True(audio.IsAudio);
        Assert.Equal(new SdpRtpMap(111, "opus", 48000, 2), audio.GetRtpMap(111));
        Assert.Equal("minptime=10;useinbandfec=1", audio.GetFmtp(111)!.Parameters);
        Assert.Equal(["nack", "transport-cc"], audio.GetRtcpFeedback(111).Select(f => f.Type));
        Assert.Equal(SdpNegotiator.OfferExtensions(audio: true), audio.Extmaps);
        Assert.Equal(
            [RtpExtensionUri.AudioLevel, RtpExtensionUri.AbsSendTime, RtpExtensionUri.TransportWideCc, RtpExtensionUri.Mid],
            audio.Extmaps.Select(e => e.Uri));
    }

    [Fact]
    public void BuildOffer_InactiveSection_KeepsItsCodecWithoutMsidOrSsrc()
    {
        var sdp = Offer(
            new OfferedMediaSection("1", IsAudio: true, Opus, Send: null),
            new OfferedMediaSection("2", IsAudio: false, Vp8, new MediaSendAssignment("PA_b|TR_v", "TR_v", 9)));
        var audio = sdp.FindByMid("1")!;
        Assert.Equal(SdpDirection.Inactive, audio.Direction);
        Assert.Empty(audio.Msids);
        Assert.Empty(audio.Ssrcs);
        Assert.Equal([111], audio.PayloadTypes);
        Assert.Equal(["0", "1", "2"], sdp.Bundle!.Mids);
        Assert.Equal(["0", "1", "2"], sdp.MediaDescriptions.Select(m => m.Mid));
    }

    [Fact]
    public void BuildOffer_RejectedSection_StaysInPlaceWithPortZeroOutsideTheBundle()
    {
        var sdp = Offer(
            new OfferedMediaSection("1", IsAudio: false, Vp8, Send: null, Rejected: true),
            new OfferedMediaSection("2", IsAudio: false, Vp8, new MediaSendAssignment("PA_b|TR_v", "TR_v", 9)));
        var rejected = sdp.FindByMid("1")!;
        Assert.True(rejected.IsRejected);
        Assert.Empty(rejected.Msids);
        Assert.Equal(["0", "2"], sdp.Bundle!.Mids);
        Assert.Equal(SdpDirection.SendOnly, sdp.FindByMid("2")!.Direction);
    }

    [Fact]
    public void BuildOffer_SharedPayloadType_IsTheSameCodecInEverySection()
    {
        var sdp = Offer(
            new OfferedMediaSection("1", IsAudio: false, Vp8, new MediaSendAssignment("PA_a|TR_1", "TR_1", 1)),
            new OfferedMediaSection("2", IsAudio: false, Vp8, new MediaSendAssignment("PA_b|TR_2", "TR_2", 2)));
        Assert.All(sdp.MediaDescriptions.Skip(1), m => Assert.Equal(new SdpRtpMap(96, "VP8", 90000), m.GetRtpMap(96)));
        Assert.NotEqual(sdp.FindByMid("1")!.Ssrcs[0].Ssrc, sdp.FindByMid("2")!.Ssrcs[0].Ssrc);
    }
}
