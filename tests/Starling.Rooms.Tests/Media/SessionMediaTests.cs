using System.Buffers.Binary;
using Starling.Proto;
using Starling.Rooms.Media;
using Starling.Testing;
using Starling.Transport.WebRtc;
using Starling.Wire.Rtcp;
using Starling.Wire.Rtp;
using Starling.Wire.Sdp;

namespace Starling.Rooms.Tests.Media;

/// <summary>
/// SessionMedia on both signalling paths with fake transports: publishing on the publisher transport, v0 subscriber
/// offers (sections, batching while an offer is in flight, reuse), down-tracks started by the answer, RTP out on the
/// subscriber transport, and the subscriber's RTCP feedback.
/// </summary>
public sealed class SessionMediaTests : IDisposable
{
    private const uint MicSsrc = 1111;
    private const uint CamSsrc = 2222;

    private readonly ManualTimeProvider _time = new();
    private readonly List<SessionMedia> _media = [];

    public void Dispose()
    {
        foreach (var media in _media)
        {
            media.Dispose();
        }
    }

    /// <summary>A participant on v0: its publisher and subscriber transports, its media and the signal messages it got.</summary>
    private sealed record Client(Participant Participant, FakeTransport Publisher, FakeTransport Subscriber, SessionMedia Media, List<SignalResponse> Signals)
    {
        public IEnumerable<SessionDescription> Offers => Signals.Where(s => s.MessageCase == SignalResponse.MessageOneofCase.Offer).Select(s => s.Offer);

        public SessionDescription LastOffer => Offers.Last();

        /// <summary>Answers the last offer like a browser.</summary>
        public void Answer(params string[] reject) =>
            Media.ApplySubscriberAnswer(new SessionDescription { Type = "answer", Sdp = ClientSdp.Answer(LastOffer.Sdp, reject), Id = LastOffer.Id });

        public SdpSessionDescription ParsedOffer => SdpNegotiator.Parse(LastOffer.Sdp);
    }

    private Client V0(string identity)
    {
        var participant = new Participant("PA_" + identity, identity, sink: null);
        var publisher = new FakeTransport();
        var subscriber = new FakeTransport();
        var signals = new List<SignalResponse>();
        var media = new SessionMedia(participant, publisher, subscriber, _time, signals.Add);
        _media.Add(media);
        return new Client(participant, publisher, subscriber, media, signals);
    }

    /// <summary>A v0 participant subscribed to <paramref name="track"/>, with the subscriber offer answered.</summary>
    private Client SubscribedV0(string identity, PublishedTrack track)
    {
        var client = V0(identity);
        client.Media.Subscribe(track);
        client.Media.Negotiate();
        client.Answer();
        return client;
    }

    /// <summary>Publishes tracks: add_track, then the publisher offer on the publisher transport, matched by cid.</summary>
    private static List<PublishedTrack> Publish(Client client, params ClientSdp.Send[] tracks)
    {
        foreach (var track in tracks)
        {
            client.Media.AddPending(track.Cid, new TrackInfo { Sid = "TR_" + track.Cid, Type = track.Audio ? TrackType.Audio : TrackType.Video });
        }

        client.Publisher.ApplyOffer(ClientSdp.PublisherOffer(tracks));
        return client.Media.MatchPublications();
    }

    private static readonly ClientSdp.Send Mic = new(Audio: true, "mic", MicSsrc, 111, "opus/48000/2", "minptime=10;useinbandfec=1");
    private static readonly ClientSdp.Send Cam = new(Audio: false, "cam", CamSsrc, 96, "VP8/90000");

    private static readonly byte[] OpusPayload = [0xF8, 0xFF, 0xFE];

    private static byte[] Opus(ushort sequence, byte level = 30)
    {
        var buffer = new byte[200];
        var writer = new RtpPacketWriter(buffer, 111, sequence, sequence * 960u, MicSsrc);
        var levelValue = new byte[] { level };
        writer.AddExtension(ClientSdp.AudioLevelId, levelValue);
        writer.AddExtension(ClientSdp.MidId, "0"u8);
        writer.AddPayload(OpusPayload);
        Assert.True(writer.TryComplete(out var length));
        return buffer[..length];
    }

    private static byte[] Pli(uint mediaSsrc)
    {
        var pli = new byte[RtcpPli.Size];
        Assert.True(new RtcpPli(1, mediaSsrc).TryWrite(pli, out _));
        return pli;
    }

    [Fact]
    public void V0_FirstNegotiate_OffersTheDataSectionOnly()
    {
        var bob = V0("bob");
        Assert.True(bob.Media.ServerOffers);
        bob.Media.Negotiate();
        var offer = Assert.Single(bob.Offers);
        Assert.Equal(1u, offer.Id);
        Assert.Equal("offer", offer.Type);
        Assert.Empty(offer.MidToTrackId);
        Assert.Equal(["0"], bob.ParsedOffer.MediaDescriptions.Select(m => m.Mid));
        Assert.True(bob.Media.AwaitingAnswer);

        bob.Answer();
        Assert.False(bob.Media.AwaitingAnswer);
        bob.Media.Negotiate();
        Assert.Single(bob.Offers);
    }

    [Fact]
    public void V0_Publisher_IsMatchedOnThePublisherTransport()
    {
        var alice = V0("alice");
        var tracks = Publish(alice, Mic, Cam);
        Assert.Equal(["TR_mic", "TR_cam"], tracks.Select(t => t.Sid));
        Assert.Equal("audio/opus", tracks[0].MimeType);
        Assert.Equal(2, tracks[0].Channels);
        Assert.Equal("minptime=10;useinbandfec=1", tracks[0].FormatParameters);
        Assert.Equal("video/VP8", tracks[1].MimeType);
        Assert.Equal(0, alice.Media.PendingCount);
        Assert.Null(alice.Publisher.SendAssignments);

        // a subscriber's PLI for the camera goes back on alice's publisher transport
        tracks[1].RequestKeyframes();
        var pli = Assert.Single(alice.Publisher.SentRtcp);
        Assert.True(RtcpPli.TryRead(pli, out var read, out _));
        Assert.Equal(CamSsrc, read.MediaSsrc);
        Assert.Empty(alice.Subscriber.SentRtcp);
    }

    [Fact]
    public void V0_SubscriptionsWhileAnOfferIsInFlight_GoIntoOneOfferAfterTheAnswer()
    {
        var alice = V0("alice");
        var tracks = Publish(alice, Mic, Cam);
        var bob = V0("bob");
        bob.Media.Negotiate();
        foreach (var track in tracks)
        {
            bob.Media.Subscribe(track);
            bob.Media.Negotiate();
        }

        Assert.Single(bob.Offers);
        bob.Answer();
        Assert.Equal(2, bob.Offers.Count());
        var offer = bob.LastOffer;
        Assert.Equal(2u, offer.Id);
        Assert.Equal(new Dictionary<string, string> { ["1"] = "TR_mic", ["2"] = "TR_cam" }, offer.MidToTrackId);

        var sdp = bob.ParsedOffer;
        Assert.Equal(["0", "1", "2"], sdp.Bundle!.Mids);
        var audio = sdp.FindByMid("1")!;
        var video = sdp.FindByMid("2")!;
        Assert.True(audio.IsAudio);
        Assert.True(video.IsVideo);
        Assert.Equal(SdpDirection.SendOnly, audio.Direction);
        Assert.Equal(SdpDirection.SendOnly, video.Direction);
        Assert.Equal(new SdpMsid("PA_alice|TR_mic", "TR_mic"), Assert.Single(audio.Msids));
        Assert.Equal(new SdpMsid("PA_alice|TR_cam", "TR_cam"), Assert.Single(video.Msids));
        Assert.Equal(new SdpRtpMap(111, "opus", 48000, 2), audio.GetRtpMap(111));
        Assert.Equal("minptime=10;useinbandfec=1", audio.GetFmtp(111)!.Parameters);
        Assert.Equal(new SdpRtpMap(96, "VP8", 90000), video.GetRtpMap(96));
        Assert.Equal(bob.Media.Subscriptions.Select(s => s.Ssrc), [audio.Ssrcs[0].Ssrc, video.Ssrcs[0].Ssrc]);

        // the down-tracks start with the answer, not before
        Assert.All(bob.Media.Subscriptions, s => Assert.Null(s.DownTrack));
        bob.Answer();
        Assert.All(bob.Media.Subscriptions, s => Assert.NotNull(s.DownTrack));
        Assert.Equal(2, bob.Offers.Count());
        Assert.False(bob.Media.AwaitingAnswer);
    }

    [Fact]
    public void V0_AnsweredSubscription_ForwardsRtpOnTheSubscriberTransport()
    {
        var alice = V0("alice");
        var mic = Publish(alice, Mic)[0];
        var bob = V0("bob");
        bob.Media.Subscribe(mic);
        bob.Media.Negotiate();
        alice.Publisher.Deliver(Opus(100));
        Assert.Empty(bob.Subscriber.SentRtp);

        bob.Answer();
        alice.Publisher.Deliver(Opus(101, level: 42));
        var sent = Assert.Single(bob.Subscriber.SentRtp);
        Assert.Empty(bob.Publisher.SentRtp);
        Assert.True(RtpPacket.TryRead(sent, out var packet, out _));
        var subscription = Assert.Single(bob.Media.Subscriptions);
        Assert.Equal(subscription.Ssrc, packet.Ssrc);
        Assert.Equal(111, packet.PayloadType);

        // the audio level is forwarded under the id we offered; the publisher's mid is replaced with our section's
        byte Offered(string uri) => (byte)SdpNegotiator.OfferExtensions(audio: true).Single(e => e.Uri == uri).Id;
        Assert.True(packet.TryGetExtension(Offered(RtpExtensionUri.AudioLevel), out var level));
        Assert.Equal(42, level[0] & 0x7F);
        Assert.True(packet.TryGetExtension(Offered(RtpExtensionUri.Mid), out var mid));
        Assert.Equal(subscription.Mid, System.Text.Encoding.ASCII.GetString(mid));
        Assert.True(packet.TryGetExtension(Offered(RtpExtensionUri.AbsSendTime), out var absSendTime));
        Assert.Equal(3, absSendTime.Length);
        Assert.True(packet.TryGetExtension(Offered(RtpExtensionUri.TransportWideCc), out var transportSequence));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(transportSequence));
    }

    [Fact]
    public void V0_SubscriberPli_BecomesAPliToThePublisher()
    {
        var alice = V0("alice");
        var cam = Publish(alice, Cam)[0];
        var bob = SubscribedV0("bob", cam);
        alice.Publisher.SentRtcp.Clear();

        bob.Subscriber.DeliverRtcp(Pli(bob.Media.Subscriptions[0].Ssrc));
        var pli = Assert.Single(alice.Publisher.SentRtcp);
        Assert.True(RtcpPli.TryRead(pli, out var read, out _));
        Assert.Equal(CamSsrc, read.MediaSsrc);

        // feedback for an SSRC we do not send is ignored
        bob.Subscriber.DeliverRtcp(Pli(12345));
        Assert.Single(alice.Publisher.SentRtcp);
    }

    [Fact]
    public void V0_SubscriberNack_IsAnsweredOnTheSubscriberTransport()
    {
        var alice = V0("alice");
        var mic = Publish(alice, Mic)[0];
        var bob = SubscribedV0("bob", mic);
        for (ushort seq = 10; seq < 13; seq++)
        {
            alice.Publisher.Deliver(Opus(seq));
        }

        Assert.Equal(3, bob.Subscriber.SentRtp.Count);
        var lost = BinaryPrimitives.ReadUInt16BigEndian(bob.Subscriber.SentRtp[1].AsSpan(2));
        var subscription = bob.Media.Subscriptions[0];
        var nack = new byte[RtcpNack.GetSize([lost])];
        Assert.True(RtcpNack.TryWrite(nack, 1, subscription.Ssrc, [lost], out _));
        bob.Subscriber.DeliverRtcp(nack);

        Assert.Equal(4, bob.Subscriber.SentRtp.Count);
        Assert.True(RtpPacket.TryRead(bob.Subscriber.SentRtp[1], out var first, out _));
        Assert.True(RtpPacket.TryRead(bob.Subscriber.SentRtp[3], out var again, out _));
        Assert.Equal(first.SequenceNumber, again.SequenceNumber);
        Assert.Equal(first.Timestamp, again.Timestamp);
        Assert.Equal(first.Payload.ToArray(), again.Payload.ToArray());
        Assert.Equal(1, subscription.DownTrack!.PacketsRetransmitted);

        // each transmission has its own transport-wide sequence number (our offer negotiates transport-cc)
        var transportCcId = (byte)SdpNegotiator.OfferTransportCcId;
        Assert.True(first.TryGetExtension(transportCcId, out var firstTransport));
        Assert.True(again.TryGetExtension(transportCcId, out var againTransport));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(firstTransport));
        Assert.Equal(3, BinaryPrimitives.ReadUInt16BigEndian(againTransport));
    }

    private static byte[] Vp8(ushort sequence, bool keyframe = false)
    {
        var buffer = new byte[200];
        var writer = new RtpPacketWriter(buffer, 96, sequence, sequence * 3000u, CamSsrc);
        writer.AddExtension(ClientSdp.MidId, "0"u8);
        var payload = new byte[] { 0x10, (byte)(keyframe ? 0x00 : 0x01), 0x9D, 0x01, 0x2A, 0xAB, 0xCD };
        writer.AddPayload(payload);
        Assert.True(writer.TryComplete(out var length));
        return buffer[..length];
    }

    private static byte[] Nack(uint mediaSsrc, ushort lost)
    {
        var nack = new byte[RtcpNack.GetSize([lost])];
        Assert.True(RtcpNack.TryWrite(nack, 1, mediaSsrc, [lost], out _));
        return nack;
    }

    /// <summary>Checks that <paramref name="sent"/> is the RTX form (RFC 4588) of <paramref name="original"/>.</summary>
    private static void AssertRtxOf(byte[] original, byte[] sent, uint rtxSsrc, int rtxPayloadType)
    {
        Assert.True(RtpPacket.TryRead(original, out var first, out _));
        Assert.True(RtpPacket.TryRead(sent, out var rtx, out _));
        Assert.Equal((rtxSsrc, rtxPayloadType, first.Timestamp), (rtx.Ssrc, (int)rtx.PayloadType, rtx.Timestamp));
        Assert.True(RtpRtx.TryGetOriginalSequenceNumber(rtx, out var osn));
        Assert.Equal(first.SequenceNumber, osn);
        Assert.Equal(first.Payload.ToArray(), rtx.Payload[RtpRtx.OsnSize..].ToArray());
    }

    [Fact]
    public void V0_VideoSubscription_OffersRtxWithFid_AndAnswersNacksOnTheRtxStream()
    {
        var alice = V0("alice");
        var cam = Publish(alice, Cam)[0];
        var bob = V0("bob");
        bob.Media.Subscribe(cam);
        bob.Media.Negotiate();

        var subscription = Assert.Single(bob.Media.Subscriptions);
        Assert.NotEqual(0u, subscription.RtxSsrc);
        var section = bob.ParsedOffer.FindByMid("1")!;
        Assert.Equal([96, 97], section.PayloadTypes);
        Assert.Equal(new SdpRtpMap(97, "rtx", 90000), section.GetRtpMap(97));
        Assert.Equal("apt=96", section.GetFmtp(97)!.Parameters);
        var fid = Assert.Single(section.SsrcGroups);
        Assert.Equal("FID", fid.Semantics);
        Assert.Equal([subscription.Ssrc, subscription.RtxSsrc], fid.Ssrcs);
        Assert.Contains(section.Ssrcs, s => s.Ssrc == subscription.RtxSsrc && s.Attribute == "msid");

        bob.Answer();
        Assert.Equal((subscription.RtxSsrc, (byte)97), (subscription.DownTrack!.RtxSsrc, subscription.DownTrack.RtxPayloadType));
        _time.Advance(TimeSpan.FromMilliseconds(10)); // a layer is active once it delivered media (timestamps start at 0)
        alice.Publisher.Deliver(Vp8(9, keyframe: true));
        bob.Media.Allocate(); // layer 0 is what arrives: forward it
        for (ushort seq = 10; seq < 13; seq++)
        {
            alice.Publisher.Deliver(Vp8(seq, keyframe: seq == 10));
        }

        Assert.Equal(3, bob.Subscriber.SentRtp.Count);
        var lost = BinaryPrimitives.ReadUInt16BigEndian(bob.Subscriber.SentRtp[1].AsSpan(2));
        bob.Subscriber.DeliverRtcp(Nack(subscription.Ssrc, lost));

        Assert.Equal(4, bob.Subscriber.SentRtp.Count);
        AssertRtxOf(bob.Subscriber.SentRtp[1], bob.Subscriber.SentRtp[3], subscription.RtxSsrc, 97);
        Assert.Equal(1, subscription.DownTrack.PacketsRetransmitted);
    }

    [Fact]
    public void V0_AudioSubscription_OffersNoRtx()
    {
        var alice = V0("alice");
        var mic = Publish(alice, Mic)[0];
        var bob = V0("bob");
        bob.Media.Subscribe(mic);
        bob.Media.Negotiate();

        var section = bob.ParsedOffer.FindByMid("1")!;
        Assert.Equal([111], section.PayloadTypes);
        Assert.Empty(section.SsrcGroups);
        Assert.Equal(0u, bob.Media.Subscriptions[0].RtxSsrc);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(102)]
    public void V1_VideoSection_RtxOnlyWhereTheClientOfferedIt(int rtxPayloadType)
    {
        var alice = V0("alice");
        var cam = Publish(alice, Cam)[0];
        var transport = new FakeTransport();
        var bob = new SessionMedia(new Participant("PA_bob", "bob", sink: null), transport, transport, _time, _ => { });
        _media.Add(bob);
        bob.Subscribe(cam);

        var answer = SdpNegotiator.Parse(transport.ApplyOffer(ClientSdp.Offer([], receiveAudio: 0, receiveVideo: 1, rtxPayloadType)));
        var section = answer.FindByMid("0")!;
        var subscription = Assert.Single(bob.Subscriptions);
        Assert.Equal(SdpDirection.SendOnly, section.Direction);
        if (rtxPayloadType == 0)
        {
            Assert.Equal([96], section.PayloadTypes);
            Assert.Empty(section.SsrcGroups);
            Assert.Equal(0u, subscription.DownTrack!.RtxSsrc);
        }
        else
        {
            Assert.Equal([96, rtxPayloadType], section.PayloadTypes);
            Assert.Equal("apt=96", section.GetFmtp(rtxPayloadType)!.Parameters);
            Assert.Equal(new[] { subscription.Ssrc, subscription.RtxSsrc }, Assert.Single(section.SsrcGroups).Ssrcs);
            Assert.Equal((subscription.RtxSsrc, (byte)rtxPayloadType), (subscription.DownTrack!.RtxSsrc, subscription.DownTrack.RtxPayloadType));
        }

        _time.Advance(TimeSpan.FromMilliseconds(10));
        alice.Publisher.Deliver(Vp8(1, keyframe: true));
        bob.Allocate(); // layer 0 is what arrives: forward it
        alice.Publisher.Deliver(Vp8(2, keyframe: true));
        alice.Publisher.Deliver(Vp8(3));
        Assert.Equal(2, transport.SentRtp.Count);
        var lost = BinaryPrimitives.ReadUInt16BigEndian(transport.SentRtp[0].AsSpan(2));
        transport.DeliverRtcp(Nack(subscription.Ssrc, lost));

        Assert.Equal(3, transport.SentRtp.Count);
        if (rtxPayloadType == 0)
        {
            Assert.Equal(transport.SentRtp[0], transport.SentRtp[2]); // plain resend on the media SSRC
        }
        else
        {
            AssertRtxOf(transport.SentRtp[0], transport.SentRtp[2], subscription.RtxSsrc, rtxPayloadType);
        }
    }

    /// <summary>The publisher's SR (forwarded to subscribers) and a subscriber RR naming it, <paramref name="held"/> later.</summary>
    private static (byte[] SenderReport, byte[] ReceiverReport) Reports(uint publisherSsrc, uint downTrackSsrc, ulong ntp, TimeSpan held, byte fractionLost = 0)
    {
        var sr = new byte[RtcpSenderReport.GetSize(0)];
        Assert.True(RtcpSenderReport.TryWrite(sr, publisherSsrc, ntp, 3000 * 12, 3, 300, [], out _));
        var block = new RtcpReportBlock(downTrackSsrc, fractionLost, 0, 12, 0, (uint)(ntp >> 16), (uint)(held.TotalSeconds * 65536));
        var rr = new byte[RtcpReceiverReport.GetSize(1)];
        Assert.True(RtcpReceiverReport.TryWrite(rr, 0x5151, [block], out _));
        return (sr, rr);
    }

    [Fact]
    public void V0_SubscriberReceiverReport_GivesTheRoundTripTime_ForConnectionQuality()
    {
        var alice = V0("alice");
        var cam = Publish(alice, Cam)[0];
        var bob = SubscribedV0("bob", cam);
        _time.Advance(TimeSpan.FromMilliseconds(10)); // a layer is active once it delivered media (timestamps start at 0)
        alice.Publisher.Deliver(Vp8(11, keyframe: true));
        bob.Media.Allocate(); // layer 0 is what arrives: forward it
        alice.Publisher.Deliver(Vp8(12, keyframe: true));
        var subscription = bob.Media.Subscriptions[0];
        Assert.Null(bob.Media.RoundTripTime);

        var (sr, rr) = Reports(CamSsrc, subscription.Ssrc, 0xE000_0042_8000_0000, held: TimeSpan.FromMilliseconds(500));
        alice.Publisher.DeliverRtcp(sr); // forwarded to bob now
        _time.Advance(TimeSpan.FromMilliseconds(500 + 120));
        bob.Subscriber.DeliverRtcp(rr);

        Assert.Equal(120, bob.Media.RoundTripTime!.Value.TotalMilliseconds, 0.5);
        var (_, score) = bob.Media.MeasureQuality()!.Value;
        Assert.Equal(ConnectionQualityScore.Score(0, 0, 120), score, 0.01);
        Assert.True(score < ConnectionQualityScore.Score(0, 0, 0));

        // v0: the publisher transport is another connection, its NACK pacing keeps the default
        Assert.Equal(TimeSpan.FromMilliseconds(100), cam.Router.GetStream(0)!.Rtt);
    }

    [Fact]
    public void V1_RttMeasuredOnWhatTheParticipantReceives_PacesNacksToWhatItPublishes()
    {
        var alice = V0("alice");
        var cam = Publish(alice, Cam)[0];
        var transport = new FakeTransport();
        var bob = new SessionMedia(new Participant("PA_bob", "bob", sink: null), transport, transport, _time, _ => { });
        _media.Add(bob);
        bob.AddPending("mic", new TrackInfo { Sid = "TR_bobmic", Type = TrackType.Audio });
        bob.Subscribe(cam);
        transport.ApplyOffer(ClientSdp.Offer([Mic], receiveAudio: 0, receiveVideo: 1));
        var bobMic = Assert.Single(bob.MatchPublications());
        transport.Deliver(Opus(1));
        _time.Advance(TimeSpan.FromMilliseconds(10));
        alice.Publisher.Deliver(Vp8(11, keyframe: true));
        bob.Allocate(); // layer 0 is what arrives: forward it
        alice.Publisher.Deliver(Vp8(12, keyframe: true));

        var subscription = bob.Subscriptions[0];
        var (sr, rr) = Reports(CamSsrc, subscription.Ssrc, 0xE000_0042_8000_0000, held: TimeSpan.FromMilliseconds(200));
        alice.Publisher.DeliverRtcp(sr);
        _time.Advance(TimeSpan.FromMilliseconds(200 + 250));
        transport.DeliverRtcp(rr);
        Assert.NotNull(bob.MeasureQuality());

        Assert.Equal(250, bobMic.Router.GetStream(0)!.Rtt!.Value.TotalMilliseconds, 0.5);
    }

    [Fact]
    public void V0_Unsubscribe_LeavesTheSectionInactive_AndItIsReusedOnlyOnceAnswered()
    {
        var alice = V0("alice");
        var tracks = Publish(alice, Mic, Cam);
        var carol = V0("carol");
        var carolMic = Publish(carol, Mic with { Cid = "mic2", Ssrc = 3333 })[0];
        var bob = V0("bob");
        bob.Media.Subscribe(tracks[0]);
        bob.Media.Negotiate();
        bob.Answer();

        bob.Media.Unsubscribe("TR_mic");
        bob.Media.Negotiate();
        Assert.Empty(bob.Media.Subscriptions);
        Assert.Empty(tracks[0].Router.DownTracks);
        var inactive = bob.ParsedOffer.FindByMid("1")!;
        Assert.Equal(SdpDirection.Inactive, inactive.Direction);
        Assert.Empty(inactive.Msids);
        Assert.Empty(inactive.Ssrcs);
        Assert.Equal([111], inactive.PayloadTypes);
        Assert.Empty(bob.LastOffer.MidToTrackId);

        // while that offer is unanswered the section is not free: a new audio track gets a new section
        bob.Media.Subscribe(carolMic);
        bob.Media.Negotiate();
        Assert.Equal("2", bob.Media.Subscriptions.Single().Mid);
        bob.Answer();
        Assert.Equal(["0", "1", "2"], bob.ParsedOffer.MediaDescriptions.Select(m => m.Mid));
        Assert.Equal(SdpDirection.Inactive, bob.ParsedOffer.FindByMid("1")!.Direction);
        Assert.Equal(SdpDirection.SendOnly, bob.ParsedOffer.FindByMid("2")!.Direction);
        bob.Answer();

        // now the inactive section is answered: the next audio track reuses it; video still needs a section of its own
        bob.Media.Subscribe(tracks[0]);
        bob.Media.Subscribe(tracks[1]);
        bob.Media.Negotiate();
        var sdp = bob.ParsedOffer;
        Assert.Equal(["0", "1", "2", "3"], sdp.MediaDescriptions.Select(m => m.Mid));
        Assert.Equal(new SdpMsid("PA_alice|TR_mic", "TR_mic"), Assert.Single(sdp.FindByMid("1")!.Msids));
        Assert.True(sdp.FindByMid("3")!.IsVideo);
        Assert.Equal(new Dictionary<string, string> { ["1"] = "TR_mic", ["2"] = "TR_mic2", ["3"] = "TR_cam" }, bob.LastOffer.MidToTrackId);
    }

    [Fact]
    public void V0_UnsubscribeBeforeTheAnswer_NeverStartsTheDownTrack()
    {
        var alice = V0("alice");
        var mic = Publish(alice, Mic)[0];
        var bob = V0("bob");
        bob.Media.Subscribe(mic);
        bob.Media.Negotiate();
        bob.Media.Unsubscribe("TR_mic");
        bob.Media.Negotiate();
        bob.Answer();

        Assert.Empty(mic.Router.DownTracks);
        Assert.Equal(SdpDirection.Inactive, bob.ParsedOffer.FindByMid("1")!.Direction);
        bob.Answer();
        alice.Publisher.Deliver(Opus(1));
        Assert.Empty(bob.Subscriber.SentRtp);
    }

    [Fact]
    public void V0_SamePayloadTypeForAnotherCodec_GetsTheNextFreeNumber()
    {
        var alice = V0("alice");
        var vp8 = Publish(alice, Cam)[0];
        var carol = V0("carol");
        var h264 = Publish(carol, new ClientSdp.Send(Audio: false, "h264cam", 4444, 96, "H264/90000", "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"))[0];
        var dave = V0("dave");
        var vp8Again = Publish(dave, Cam with { Cid = "cam3", Ssrc = 5555, PayloadType = 100 })[0];
        var bob = V0("bob");
        bob.Media.Subscribe(vp8);
        bob.Media.Subscribe(h264);
        bob.Media.Subscribe(vp8Again);
        bob.Media.Negotiate();

        // each video codec is followed by its RTX, which takes a number of the bundle too
        var sdp = bob.ParsedOffer;
        Assert.Equal(new SdpRtpMap(96, "VP8", 90000), sdp.FindByMid("1")!.GetRtpMap(96));
        Assert.Equal(new SdpRtpMap(98, "H264", 90000), sdp.FindByMid("2")!.GetRtpMap(98));
        Assert.Equal("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", sdp.FindByMid("2")!.GetFmtp(98)!.Parameters);
        Assert.Equal("apt=98", sdp.FindByMid("2")!.GetFmtp(99)!.Parameters);
        Assert.Equal([96, 97], sdp.FindByMid("3")!.PayloadTypes);
        Assert.Equal([96, 98, 96], bob.Media.Subscriptions.Select(s => s.PayloadType));
        Assert.Equal([97, 99, 97], bob.Media.Subscriptions.Select(s => s.RtxPayloadType));
    }

    [Fact]
    public void V0_RejectedSection_DropsTheSubscriptionAndStaysRejected()
    {
        var alice = V0("alice");
        var tracks = Publish(alice, Mic, Cam);
        var bob = V0("bob");
        bob.Media.Subscribe(tracks[1]);
        bob.Media.Negotiate();
        bob.Answer(reject: "1");
        Assert.Empty(bob.Media.Subscriptions);
        Assert.Empty(tracks[1].Router.DownTracks);

        bob.Media.Subscribe(tracks[0]);
        bob.Media.Negotiate();
        var sdp = bob.ParsedOffer;
        Assert.True(sdp.FindByMid("1")!.IsRejected);
        Assert.Equal(["0", "2"], sdp.Bundle!.Mids);
        Assert.Equal(SdpDirection.SendOnly, sdp.FindByMid("2")!.Direction);
    }

    [Fact]
    public void V0_AnswerToAnOlderOffer_IsIgnored()
    {
        var alice = V0("alice");
        var mic = Publish(alice, Mic)[0];
        var bob = V0("bob");
        bob.Media.Negotiate();
        var first = bob.LastOffer;
        bob.Media.RestartIce();
        Assert.Equal(1, bob.Subscriber.IceRestarts);
        bob.Media.Subscribe(mic);
        bob.Media.Negotiate();
        Assert.Equal(2, bob.Offers.Count());

        bob.Media.ApplySubscriberAnswer(new SessionDescription { Type = "answer", Sdp = ClientSdp.Answer(first.Sdp), Id = first.Id });
        Assert.True(bob.Media.AwaitingAnswer);
        Assert.Equal(2, bob.Offers.Count());

        bob.Answer();
        Assert.Equal(3, bob.Offers.Count());
        bob.Answer();
        Assert.NotNull(bob.Media.Subscriptions.Single().DownTrack);
    }

    [Fact]
    public void V0_RestartIce_OffersEverySectionAgain()
    {
        var alice = V0("alice");
        var tracks = Publish(alice, Mic, Cam);
        var bob = V0("bob");
        bob.Media.Subscribe(tracks[0]);
        bob.Media.Subscribe(tracks[1]);
        bob.Media.Negotiate();
        bob.Answer();
        bob.Media.RestartIce();

        Assert.Equal(2, bob.Offers.Count());
        Assert.Equal(1, bob.Subscriber.IceRestarts);
        Assert.Equal(["0", "1", "2"], bob.ParsedOffer.Bundle!.Mids);
        Assert.All(bob.ParsedOffer.MediaDescriptions.Skip(1), m => Assert.Equal(SdpDirection.SendOnly, m.Direction));
        bob.Answer();
        Assert.All(bob.Media.Subscriptions, s => Assert.NotNull(s.DownTrack));
        Assert.Single(tracks[0].Router.DownTracks);
    }

    [Fact]
    public void V0_MalformedAnswer_Throws_AndTheOfferStaysInFlight()
    {
        var bob = V0("bob");
        bob.Media.Negotiate();
        Assert.Throws<FormatException>(() => bob.Media.ApplySubscriberAnswer(new SessionDescription { Type = "answer", Sdp = "not sdp", Id = 1 }));
        Assert.True(bob.Media.AwaitingAnswer);
    }

    [Fact]
    public void V1_SubscriptionIsPlacedInAClientReceiveSection_AndForwardsOnTheOneTransport()
    {
        var alice = V0("alice");
        var mic = Publish(alice, Mic)[0];
        var transport = new FakeTransport();
        var signals = new List<SignalResponse>();
        var bob = new SessionMedia(new Participant("PA_bob", "bob", sink: null), transport, transport, _time, signals.Add);
        _media.Add(bob);
        Assert.False(bob.ServerOffers);
        transport.ApplyOffer(ClientSdp.Offer([], receiveAudio: 1, receiveVideo: 1));

        bob.Subscribe(mic);
        bob.Negotiate();
        var requirement = Assert.Single(signals).MediaSectionsRequirement;
        Assert.Equal(0u, requirement.NumAudios + requirement.NumVideos);

        var answer = SdpNegotiator.Parse(transport.ApplyOffer(ClientSdp.Offer([], receiveAudio: 1, receiveVideo: 1)));
        var section = answer.FindByMid("0")!;
        Assert.Equal(SdpDirection.SendOnly, section.Direction);
        Assert.Equal(new SdpMsid("PA_alice|TR_mic", "TR_mic"), Assert.Single(section.Msids));
        Assert.Equal(SdpDirection.Inactive, answer.FindByMid("1")!.Direction);

        alice.Publisher.Deliver(Opus(7, level: 20));
        var sent = Assert.Single(transport.SentRtp);
        Assert.True(RtpPacket.TryRead(sent, out var packet, out _));
        Assert.Equal(bob.Subscriptions[0].Ssrc, packet.Ssrc);
        Assert.True(packet.TryGetExtension(ClientSdp.AudioLevelId, out var level));
        Assert.Equal(20, level[0] & 0x7F);
        Assert.Empty(transport.Offers);
    }

    [Fact]
    public void V0_TrackUnpublishedBeforeTheAnswer_IsDroppedAndItsSectionOfferedInactive()
    {
        var alice = V0("alice");
        var mic = Publish(alice, Mic)[0];
        var bob = V0("bob");
        bob.Media.Subscribe(mic);
        bob.Media.Negotiate();
        mic.Dispose();
        bob.Answer();

        Assert.Empty(bob.Media.Subscriptions);
        Assert.Equal(2, bob.Offers.Count());
        Assert.Equal(SdpDirection.Inactive, bob.ParsedOffer.FindByMid("1")!.Direction);
    }

    [Fact]
    public void Room_PublisherLeaves_TellsTheOthersTheTrackIsUnpublished()
    {
        using var manager = new RoomManager(new RoomOptions(), _time, new RecordingSink());
        var room = manager.CreateRoom(new CreateRoomRequest { Name = "r" });
        var aliceSink = new RecordingSink();
        var bobSink = new RecordingSink();
        var alice = room.AddParticipant(new Participant("PA_alice", "alice", aliceSink));
        room.AddParticipant(new Participant("PA_bob", "bob", bobSink));
        var track = new PublishedTrack(alice, new TrackInfo { Sid = "TR_mic", Type = TrackType.Audio }, "0", "audio/opus", 111, 48000, new FakeTransport(), nack: false, _time.TimestampFrequency);
        room.PublishTrack(track);

        room.Leave(alice, DisconnectReason.ClientInitiated);
        Assert.Equal(["TR_mic"], bobSink.Unpublished);
        Assert.Empty(aliceSink.Unpublished);
        Assert.Empty(track.Router.DownTracks);
    }

    [Theory]
    [InlineData("minptime=10;useinbandfec=1", "minptime=10;useinbandfec=1")]
    [InlineData("x-google-start-bitrate=1000", null)]
    [InlineData("profile-id=0;x-google-max-bitrate=2000", "profile-id=0")]
    [InlineData(null, null)]
    public void OfferedSections_DropSenderHintsFromTheFmtp(string? publisher, string? offered) =>
        Assert.Equal(offered, OfferedSections.DecoderParameters(publisher));
}
