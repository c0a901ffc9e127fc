using System.Text;
using Starling.Proto;
using Starling.Rooms.Media;
using Starling.Testing;
using Starling.Transport.WebRtc;
using Starling.Wire.Rtp;
using Starling.Wire.Sdp;

namespace Starling.Rooms.Tests.Media;

/// <summary>
/// Video codecs on the single-PC path: the publisher section is answered with the codec <c>add_track</c> asked for
/// (clients offer every codec in the browser's order), a subscriber section with the published codec in a compatible
/// form, and the dependency descriptor (VP9/AV1 SVC) is forwarded under the subscriber's id.
/// </summary>
public sealed class SessionMediaCodecTests : IDisposable
{
    private const string Fingerprint = "sha-256 AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB";
    private const uint CamSsrc = 2222;
    private const int PublisherDescriptorId = 12;
    private const int SubscriberDescriptorId = 5;

    private readonly ManualTimeProvider _time = new();
    private readonly List<SessionMedia> _media = [];

    public void Dispose()
    {
        foreach (var media in _media)
        {
            media.Dispose();
        }
    }

    /// <summary>Chromium's video codecs in its order: VP8, VP9 profiles 0 and 2, H.264 (mode 0, then 1), AV1.</summary>
    private static string VideoSection(string mid, string direction, int descriptorId, string? msid = null)
    {
        var text = new StringBuilder();
        text.Append("m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 100 102 104 106 45\r\nc=IN IP4 0.0.0.0\r\n");
        text.Append($"a=ice-ufrag:cli1\r\na=ice-pwd:client-password-01234\r\na=fingerprint:{Fingerprint}\r\na=setup:actpass\r\na=mid:{mid}\r\n");
        text.Append("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n");
        text.Append($"a=extmap:{descriptorId} {RtpExtensionUri.DependencyDescriptor}\r\n");
        text.Append($"a={direction}\r\n");
        if (msid is not null)
        {
            text.Append($"a=msid:stream {msid}\r\na=ssrc:{CamSsrc} cname:client\r\na=ssrc:{CamSsrc} msid:stream {msid}\r\n");
        }

        text.Append("a=rtcp-mux\r\na=rtcp-rsize\r\n");
        text.Append("a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n");
        text.Append("a=rtpmap:98 VP9/90000\r\na=fmtp:98 profile-id=0\r\na=rtpmap:100 VP9/90000\r\na=fmtp:100 profile-id=2\r\n");
        text.Append("a=rtpmap:102 H264/90000\r\na=fmtp:102 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f\r\n");
        text.Append("a=rtpmap:104 H264/90000\r\na=fmtp:104 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n");
        text.Append("a=rtpmap:106 H264/90000\r\na=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f\r\n");
        text.Append("a=rtpmap:45 AV1/90000\r\na=fmtp:45 level-idx=5;profile=0;tier=0\r\n");
        return text.ToString();
    }

    private static string Offer(params string[] sections) =>
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE " + string.Join(' ', Enumerable.Range(0, sections.Length))
        + "\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n" + string.Concat(sections);

    private (SessionMedia Media, FakeTransport Transport) V1(string identity)
    {
        var transport = new FakeTransport();
        var media = new SessionMedia(new Participant("PA_" + identity, identity, sink: null), transport, transport, _time, _ => { });
        _media.Add(media);
        return (media, transport);
    }

    /// <summary>add_track with <paramref name="codec"/> (as simulcast_codecs[0] sets it), then the client's offer.</summary>
    private PublishedTrack Publish(string codec, out string answer, out FakeTransport transport)
    {
        var (media, t) = V1("alice");
        transport = t;
        media.AddPending("cam", new TrackInfo { Sid = "TR_cam", Type = TrackType.Video, MimeType = "video/" + codec });
        answer = transport.ApplyOffer(Offer(VideoSection("0", "sendonly", PublisherDescriptorId, msid: "cam")));
        return Assert.Single(media.MatchPublications());
    }

    [Theory]
    [InlineData("h264", 104, "video/H264", "packetization-mode=1;profile-level-id=42e01f")]
    [InlineData("vp9", 98, "video/VP9", "profile-id=0")]
    [InlineData("av1", 45, "video/AV1", "profile=0")]
    [InlineData("vp8", 96, "video/VP8", null)]
    public void V1_PublisherSection_IsAnsweredWithTheCodecAskedFor(string codec, int payloadType, string mime, string? fmtp)
    {
        var track = Publish(codec, out var answer, out _);

        var section = SdpNegotiator.Parse(answer).MediaDescriptions[0];
        Assert.Equal(payloadType, section.PayloadTypes[0]);
        Assert.Equal(payloadType, track.PayloadType);
        Assert.Equal(mime, track.MimeType);
        Assert.Equal(PublisherDescriptorId, track.DependencyDescriptorExtensionId);
        if (fmtp is not null)
        {
            Assert.Contains(fmtp, track.FormatParameters, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("h264", 104)] // same profile and packetization mode, not the first H.264 (mode 0) nor Main
    [InlineData("vp9", 98)]
    [InlineData("av1", 45)]
    public void V1_SubscriberSection_ListingVp8First_SendsThePublishedCodec_WithTheDescriptorUnderItsId(string codec, int payloadType)
    {
        var track = Publish(codec, out _, out var publisher);
        var (bob, transport) = V1("bob");
        bob.Subscribe(track);
        var answer = SdpNegotiator.Parse(transport.ApplyOffer(Offer(VideoSection("0", "recvonly", SubscriberDescriptorId))));

        var section = answer.MediaDescriptions[0];
        Assert.Equal(SdpDirection.SendOnly, section.Direction);
        Assert.Equal(payloadType, section.PayloadTypes[0]);
        Assert.Equal(payloadType, Assert.Single(bob.Subscriptions).PayloadType);

        // a keyframe-shaped packet with a descriptor too long for the one-byte form (as libwebrtc sends on keyframes)
        var descriptor = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        _time.Advance(TimeSpan.FromSeconds(1));
        publisher.Deliver(Packet(track.PayloadType, 1, descriptor, Keyframe(codec)));
        bob.Allocate(); // the one stream is active now: the down-track targets it (as the allocation timer does)
        publisher.Deliver(Packet(track.PayloadType, 2, descriptor, Keyframe(codec)));
        var sent = Assert.Single(transport.SentRtp);
        Assert.True(RtpPacket.TryRead(sent, out var packet, out _));
        Assert.Equal(payloadType, packet.PayloadType);
        Assert.True(packet.TryGetExtension(SubscriberDescriptorId, out var forwarded));
        Assert.Equal(descriptor, forwarded.ToArray());
        Assert.False(packet.TryGetExtension(PublisherDescriptorId, out _));
        Assert.True(packet.TryGetExtension(4, out var mid)); // the publisher's mid is replaced with the subscriber's section
        Assert.Equal(section.Mid, System.Text.Encoding.ASCII.GetString(mid));
    }

    [Fact]
    public void V1_SubscriberSectionWithoutTheCodec_GetsNothing()
    {
        var track = Publish("h264", out _, out _);
        var (bob, transport) = V1("bob");
        bob.Subscribe(track);
        var vp8Only = "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n"
            + $"a=ice-ufrag:cli1\r\na=ice-pwd:client-password-01234\r\na=fingerprint:{Fingerprint}\r\na=setup:actpass\r\na=mid:0\r\n"
            + "a=recvonly\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\n";
        var answer = SdpNegotiator.Parse(transport.ApplyOffer(Offer(vp8Only)));
        Assert.Equal(SdpDirection.Inactive, answer.MediaDescriptions[0].Direction);
        Assert.Null(Assert.Single(bob.Subscriptions).Mid);
    }

    [Theory]
    [InlineData(12, 5, 5)]
    [InlineData(12, 14, 14)]
    [InlineData(12, 16, 0)] // one-byte packets could not carry id 16: stripped
    [InlineData(16, 3, 3)] // the publisher's packets are all two-byte: any id fits
    [InlineData(16, 20, 20)]
    [InlineData(0, 5, 0)] // the publisher did not negotiate it
    [InlineData(12, 0, 0)] // the subscriber did not
    public void ExtensionIdMap_DependencyDescriptor(int publisherId, int subscriberId, int expected)
    {
        var track = new PublishedTrack(new Participant("PA_a", "a", sink: null), new TrackInfo { Sid = "TR_v", Type = TrackType.Video }, "0", "video/AV1", 45, 90000,
            new FakeTransport(), nack: false, _time.TimestampFrequency) { DependencyDescriptorExtensionId = (byte)publisherId };
        SdpExtmap[] subscriber = subscriberId == 0 ? [] : [new(subscriberId, RtpExtensionUri.DependencyDescriptor)];
        var map = SessionMedia.ExtensionIdMap(track, subscriber);
        Assert.Equal(expected, map[publisherId]);
        Assert.Equal(expected == 0 ? 256 : 255, map.Count(b => b == 0));
        track.Dispose();
    }

    private static byte[] Keyframe(string codec) => codec switch
    {
        "h264" => [0x65, 0x88, 0x84, 0x00], // IDR slice
        "vp9" => [0x08, 0x00], // B = 1, not inter-predicted
        "av1" => [0x18, 0x00], // N = 1, one OBU element
        _ => [0x10, 0x00, 0x9D], // VP8 S = 1, key frame
    };

    private static byte[] Packet(int payloadType, ushort sequence, byte[] descriptor, byte[] payload)
    {
        var buffer = new byte[300];
        var writer = new RtpPacketWriter(buffer, (byte)payloadType, sequence, sequence * 3000u, CamSsrc);
        writer.AddExtension(4, "0"u8);
        writer.AddExtension(PublisherDescriptorId, descriptor);
        writer.AddPayload(payload);
        Assert.True(writer.TryComplete(out var length));
        return buffer[..length];
    }
}
