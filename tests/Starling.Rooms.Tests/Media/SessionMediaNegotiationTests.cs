using Starling.Proto;
using Starling.Rooms.Media;
using Starling.Testing;
using Starling.Transport.WebRtc;
using Starling.Wire.Sdp;

namespace Starling.Rooms.Tests.Media;

/// <summary>
/// Server-side subscription changes reach the client on both paths without a client-side trigger: v1 asks for a new
/// offer and answers the freed section inactive, v0 sends a new offer; bursts are coalesced, nothing is lost while a
/// negotiation is in flight, and an unanswered offer times out.
/// </summary>
public sealed class SessionMediaNegotiationTests : IDisposable
{
    private static readonly NegotiationOptions Options = new() { Timeout = TimeSpan.FromSeconds(15), Retries = 1 };
    private static readonly ClientSdp.Send Mic = new(Audio: true, "mic", 1111, 111, "opus/48000/2", "minptime=10;useinbandfec=1");

    private readonly ManualTimeProvider _time = new();
    private readonly List<SessionMedia> _media = [];
    private readonly PublishedTrack _mic;

    public SessionMediaNegotiationTests()
    {
        var alice = new FakeTransport();
        var aliceMedia = Create("alice", alice, new FakeTransport(), []);
        aliceMedia.AddPending(Mic.Cid, new TrackInfo { Sid = "TR_mic", Type = TrackType.Audio });
        alice.ApplyOffer(ClientSdp.PublisherOffer(Mic));
        _mic = aliceMedia.MatchPublications()[0];
    }

    public void Dispose()
    {
        foreach (var media in _media)
        {
            media.Dispose();
        }
    }

    private SessionMedia Create(string identity, FakeTransport publisher, FakeTransport subscriber, List<SignalResponse> signals, Action? failed = null)
    {
        var media = new SessionMedia(new Participant("PA_" + identity, identity, sink: null), publisher, subscriber, _time, signals.Add, negotiation: Options)
        {
            NegotiationFailed = failed ?? (() => { }),
        };
        _media.Add(media);
        return media;
    }

    private void Advance(int milliseconds) => _time.Advance(TimeSpan.FromMilliseconds(milliseconds));

    private static List<MediaSectionsRequirement> Requirements(List<SignalResponse> signals) =>
        signals.Where(s => s.MessageCase == SignalResponse.MessageOneofCase.MediaSectionsRequirement).Select(s => s.MediaSectionsRequirement).ToList();

    private static List<SessionDescription> Offers(List<SignalResponse> signals) =>
        signals.Where(s => s.MessageCase == SignalResponse.MessageOneofCase.Offer).Select(s => s.Offer).ToList();

    /// <summary>The v1 client offering again (one recvonly audio section) and getting our answer.</summary>
    private static SdpSessionDescription Reoffer(FakeTransport transport, SessionMedia media)
    {
        var answer = SdpNegotiator.Parse(transport.ApplyOffer(ClientSdp.Offer([], receiveAudio: 1, receiveVideo: 0)));
        media.OfferAnswered();
        return answer;
    }

    /// <summary>A v1 subscriber to the mic whose section 0 carries it.</summary>
    private (SessionMedia Media, FakeTransport Transport, List<SignalResponse> Signals) SubscribedV1()
    {
        var transport = new FakeTransport();
        var signals = new List<SignalResponse>();
        var bob = Create("bob", transport, transport, signals);
        transport.ApplyOffer(ClientSdp.Offer([], receiveAudio: 1, receiveVideo: 0));
        bob.OfferAnswered();
        bob.Subscribe(_mic);
        Advance(10);
        Assert.Single(Requirements(signals));
        Assert.Equal(SdpDirection.SendOnly, Reoffer(transport, bob).FindByMid("0")!.Direction);
        Assert.NotNull(bob.Subscriptions[0].DownTrack);
        signals.Clear();
        Advance(1000);
        Assert.Empty(signals);
        return (bob, transport, signals);
    }

    [Fact]
    public void V1_ServerUnsubscribe_AsksForAnOfferByItselfAndAnswersTheSectionInactive()
    {
        var (bob, transport, signals) = SubscribedV1();
        bob.Unsubscribe(_mic.Sid);
        Assert.Empty(_mic.Router.DownTracks); // no more RTP at once
        Advance(150); // within the debounce of the last negotiation
        var requirement = Assert.Single(Requirements(signals));
        Assert.Equal(0u, requirement.NumAudios + requirement.NumVideos);
        Assert.True(bob.Negotiation.InFlight);

        var answer = Reoffer(transport, bob);
        Assert.Equal(SdpDirection.Inactive, answer.FindByMid("0")!.Direction);
        Assert.False(bob.Negotiation.InFlight);
        Advance(1000);
        Assert.Single(Requirements(signals));
    }

    [Fact]
    public void V1_ServerResubscribe_ReusesTheFreedSectionInTheNextRound()
    {
        var (bob, transport, signals) = SubscribedV1();
        bob.Unsubscribe(_mic.Sid);
        Advance(150);
        Reoffer(transport, bob);
        bob.Subscribe(_mic);
        Advance(150);
        Assert.Equal(2, Requirements(signals).Count);
        var answer = Reoffer(transport, bob);
        Assert.Equal(SdpDirection.SendOnly, answer.FindByMid("0")!.Direction);
        Assert.Single(_mic.Router.DownTracks);
    }

    [Fact]
    public void V1_TenAlternatingCallsInABurst_AreOneNegotiationEndingInTheLastState()
    {
        var (bob, transport, signals) = SubscribedV1();
        for (var i = 0; i < 10; i++)
        {
            if (i % 2 == 0)
            {
                bob.Unsubscribe(_mic.Sid);
            }
            else
            {
                bob.Subscribe(_mic);
            }
        }

        Advance(150);
        Assert.Single(Requirements(signals));
        // the last call subscribed: the freed section is answered inactive once (the client ends the old track) ...
        Assert.Equal(SdpDirection.Inactive, Reoffer(transport, bob).FindByMid("0")!.Direction);
        // ... and the subscription, still waiting, asks for the next round by itself
        Advance(150);
        Assert.Equal(2, Requirements(signals).Count);
        Assert.Equal(SdpDirection.SendOnly, Reoffer(transport, bob).FindByMid("0")!.Direction);
        Assert.Single(bob.Subscriptions);
        Assert.Single(_mic.Router.DownTracks);
        Advance(1000);
        Assert.Equal(2, Requirements(signals).Count);
    }

    [Fact]
    public void V1_ChangeWhileTheRequirementIsInFlight_IsCoveredByTheAnswer()
    {
        var (bob, transport, signals) = SubscribedV1();
        bob.Unsubscribe(_mic.Sid);
        Advance(150);
        Assert.True(bob.Negotiation.InFlight);
        bob.Subscribe(_mic); // before the client's offer arrives
        bob.Unsubscribe(_mic.Sid);
        var answer = Reoffer(transport, bob);
        Assert.Equal(SdpDirection.Inactive, answer.FindByMid("0")!.Direction);
        Advance(1000);
        Assert.Single(Requirements(signals));
        Assert.Empty(bob.Subscriptions);
    }

    [Fact]
    public void V1_ClientThatNeverOffersAgain_IsAskedOnceMoreThenToldToReconnect()
    {
        var transport = new FakeTransport();
        var signals = new List<SignalResponse>();
        var failed = 0;
        var bob = Create("bob", transport, transport, signals, () => failed++);
        transport.ApplyOffer(ClientSdp.Offer([], receiveAudio: 1, receiveVideo: 0));
        bob.OfferAnswered();
        bob.Subscribe(_mic);
        Advance(10);
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(2, Requirements(signals).Count);
        Assert.Equal(0, failed);
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(1, failed);
    }

    [Fact]
    public void V1_ClientOfferingNoUsableSection_IsNotAskedForever()
    {
        var transport = new FakeTransport();
        var signals = new List<SignalResponse>();
        var bob = Create("bob", transport, transport, signals);
        transport.ApplyOffer(ClientSdp.Offer([], receiveAudio: 0, receiveVideo: 0));
        bob.OfferAnswered();
        bob.Subscribe(_mic);
        for (var round = 0; round < 10; round++)
        {
            Advance(1000);
            if (bob.Negotiation.InFlight)
            {
                transport.ApplyOffer(ClientSdp.Offer([], receiveAudio: 0, receiveVideo: 0)); // ignores the requirement's count
                bob.OfferAnswered();
            }
        }

        var asked = Requirements(signals).Count;
        Assert.InRange(asked, 2, 5);
        Advance(60_000);
        Assert.Equal(asked, Requirements(signals).Count);
    }

    [Fact]
    public void V0_ServerUnsubscribe_SendsANewOfferWithTheSectionInactive()
    {
        var signals = new List<SignalResponse>();
        var subscriber = new FakeTransport();
        var bob = Create("bob", new FakeTransport(), subscriber, signals);
        bob.Subscribe(_mic);
        bob.Negotiate();
        Answer(bob, signals);
        Assert.NotNull(bob.Subscriptions[0].DownTrack);

        bob.Unsubscribe(_mic.Sid);
        Assert.Single(Offers(signals));
        Advance(150);
        var offer = Offers(signals)[1];
        Assert.Equal(SdpDirection.Inactive, SdpNegotiator.Parse(offer.Sdp).FindByMid("1")!.Direction);
    }

    [Fact]
    public void V0_TenAlternatingCallsWhileAnOfferWaits_EndInTheLastStateWithOneMoreOffer()
    {
        var signals = new List<SignalResponse>();
        var bob = Create("bob", new FakeTransport(), new FakeTransport(), signals);
        bob.Negotiate();
        for (var i = 0; i < 10; i++)
        {
            if (i % 2 == 0)
            {
                bob.Subscribe(_mic);
            }
            else
            {
                bob.Unsubscribe(_mic.Sid);
            }
        }

        bob.Subscribe(_mic); // eleventh: subscribed
        Advance(1000);
        Assert.Single(Offers(signals));
        Answer(bob, signals);
        Assert.Equal(2, Offers(signals).Count);
        Answer(bob, signals);
        Assert.Single(bob.Subscriptions);
        Assert.NotNull(bob.Subscriptions[0].DownTrack);
        Assert.Single(_mic.Router.DownTracks);
        Advance(1000);
        Assert.Equal(2, Offers(signals).Count);
    }

    [Fact]
    public void V0_UnansweredOffer_IsResentThenFails_AndTheStaleAnswerIsIgnored()
    {
        var signals = new List<SignalResponse>();
        var failed = 0;
        var bob = Create("bob", new FakeTransport(), new FakeTransport(), signals, () => failed++);
        bob.Subscribe(_mic);
        bob.Negotiate();
        _time.Advance(TimeSpan.FromSeconds(15));
        var offers = Offers(signals);
        Assert.Equal([1u, 2u], offers.Select(o => o.Id));

        // an answer to the first offer is stale now; the answer to the retry starts the down-track
        var stale = new SessionDescription { Type = "answer", Sdp = ClientSdp.Answer(offers[0].Sdp), Id = 1 };
        bob.ApplySubscriberAnswer(stale);
        Assert.True(bob.AwaitingAnswer);
        Answer(bob, signals);
        Assert.False(bob.AwaitingAnswer);
        Assert.NotNull(bob.Subscriptions[0].DownTrack);

        bob.Unsubscribe(_mic.Sid);
        Advance(150);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, failed);
    }

    private static void Answer(SessionMedia media, List<SignalResponse> signals)
    {
        var offer = Offers(signals)[^1];
        media.ApplySubscriberAnswer(new SessionDescription { Type = "answer", Sdp = ClientSdp.Answer(offer.Sdp), Id = offer.Id });
    }
}
