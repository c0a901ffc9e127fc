using System.Buffers.Text;
using System.Net;
using System.Net.WebSockets;
using Google.Protobuf;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Server.Config;
using Starling.Testing;

namespace Starling.Server.Tests.Signal;

public sealed class SignalEndpointTests : IAsyncLifetime
{
    private readonly FakeRtcTransportFactory _transports = new();
    private StarlingServer _server = null!;
    private string _http = string.Empty;

    public async Task InitializeAsync() => await StartAsync(new StarlingConfig());

    private async Task StartAsync(StarlingConfig config, Starling.Rooms.Signal.SignalOptions? signal = null)
    {
        config.Port = 0;
        config.BindAddresses = ["127.0.0.1"];
        config.Keys["devkey"] = "secret";
        config.Logging.Level = "warn";
        _server = StarlingServer.Create(config, transports: _transports, signalOptions: signal);
        await _server.StartAsync();
        _http = _server.Urls[0];
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Token(string identity, string room = "r", Func<VideoGrant, VideoGrant>? grant = null, string secret = "secret")
    {
        var video = new VideoGrant { RoomJoin = true, Room = room };
        return AccessTokenCodec.Encode(
            new TokenClaims
            {
                Issuer = "devkey",
                Subject = identity,
                NotBefore = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                Expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
                Video = grant is null ? video : grant(video),
            },
            secret);
    }

    private Uri V0(string token, string extra = "") =>
        new(_http.Replace("http", "ws", StringComparison.Ordinal) + "/rtc?access_token=" + token + "&auto_subscribe=1&sdk=js&protocol=17&client_protocol=2" + extra);

    private Uri V1(string? offerSdp = null, bool reconnect = false, string? sid = null, bool gzip = false)
    {
        var join = new JoinRequest { ClientInfo = new ClientInfo { Sdk = ClientInfo.Types.SDK.Node, Protocol = 17, ClientProtocol = 1 }, Reconnect = reconnect, ParticipantSid = sid ?? string.Empty };
        if (offerSdp is not null)
        {
            join.PublisherOffer = new SessionDescription { Type = "offer", Sdp = offerSdp, Id = 7 };
        }

        var payload = join.ToByteArray();
        var wrapped = new WrappedJoinRequest();
        if (gzip)
        {
            using var ms = new MemoryStream();
            using (var gz = new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            {
                gz.Write(payload);
            }

            wrapped.Compression = WrappedJoinRequest.Types.Compression.Gzip;
            payload = ms.ToArray();
        }

        wrapped.JoinRequest = ByteString.CopyFrom(payload);
        var b64 = Convert.ToBase64String(wrapped.ToByteArray()).Replace('+', '-').Replace('/', '_');
        return new Uri(_http.Replace("http", "ws", StringComparison.Ordinal) + "/rtc/v1?join_request=" + b64);
    }

    [Fact]
    public async Task V0Join_SendsJoinResponseFirstThenSubscriberOffer()
    {
        await using var client = await SignalClient.ConnectAsync(V0(Token("alice")));
        var first = await client.NextAsync();
        Assert.Equal(SignalResponse.MessageOneofCase.Join, first!.MessageCase);
        var join = first.Join;
        Assert.StartsWith("RM_", join.Room.Sid, StringComparison.Ordinal);
        Assert.StartsWith("PA_", join.Participant.Sid, StringComparison.Ordinal);
        Assert.Equal("alice", join.Participant.Identity);
        Assert.True(join.PingInterval > 0 && join.PingTimeout > 0);
        Assert.True(Version.Parse(join.ServerInfo.Version) >= new Version(1, 8, 0));
        Assert.Equal(join.ServerInfo.Version, join.ServerVersion);
        Assert.Equal(17, join.ServerInfo.Protocol);
        Assert.True(join.SubscriberPrimary);
        Assert.Equal(2, join.Participant.ClientProtocol);
        var offer = await client.NextAsync(SignalResponse.MessageOneofCase.Offer);
        Assert.Equal(1u, offer.Offer.Id);
        Assert.Equal(["_reliable", "_lossy", "_data_track"], _transports.Primary(join.Participant.Sid).Channels);
        await client.SendAsync(new SignalRequest { Answer = new SessionDescription { Type = "answer", Sdp = "v=0\r\n", Id = 1 } });
        await Eventually.True(() => _server.Rooms.Find("r")?.Find("alice")?.State == ParticipantInfo.Types.State.Active, TimeSpan.FromSeconds(5), "alice active");
    }

    /// <summary>A browser's v0 publisher offer: one sendonly opus section whose msid track id is the cid.</summary>
    private static string PublisherOffer(string cid) =>
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=msid-semantic: WMS\r\n"
        + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:cli1\r\na=ice-pwd:client-password-01234\r\n"
        + "a=fingerprint:sha-256 " + string.Join(':', Enumerable.Repeat("AB", 32)) + "\r\na=setup:actpass\r\na=mid:0\r\na=sendonly\r\n"
        + $"a=msid:stream {cid}\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\na=ssrc:77 cname:c\r\n";

    /// <summary>A browser's answer to a server offer: recvonly where we send, inactive elsewhere.</summary>
    private static string AnswerTo(string offerSdp)
    {
        Assert.True(Starling.Wire.Sdp.SdpSessionDescription.TryParse(offerSdp, out var offer, out var error), error);
        var text = new System.Text.StringBuilder("v=0\r\no=- 9 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        foreach (var media in offer.MediaDescriptions)
        {
            text.Append($"m={media.Media} 9 {media.Protocol} {string.Join(' ', media.Formats)}\r\nc=IN IP4 0.0.0.0\r\n");
            text.Append("a=ice-ufrag:cli2\r\na=ice-pwd:client-password-56789\r\na=fingerprint:sha-256 ").Append(string.Join(':', Enumerable.Repeat("AB", 32)));
            text.Append($"\r\na=setup:active\r\na=mid:{media.Mid}\r\n");
            if (!media.IsApplication)
            {
                text.Append(media.Direction == Starling.Wire.Sdp.SdpDirection.SendOnly ? "a=recvonly\r\n" : "a=inactive\r\n");
                text.Append(string.Concat(media.RtpMaps.Select(m => "a=rtpmap:" + m.ToValue() + "\r\n")));
            }
        }

        return text.ToString();
    }

    [Fact]
    public async Task V0_PublishedTrack_IsOfferedToASubscriberAfterTheUpdateThatNamesIt()
    {
        await using var bob = await SignalClient.ConnectAsync(V0(Token("bob")));
        await bob.NextAsync();
        var first = await bob.NextAsync(SignalResponse.MessageOneofCase.Offer);
        await bob.SendAsync(new SignalRequest { Answer = new SessionDescription { Type = "answer", Sdp = AnswerTo(first.Offer.Sdp), Id = first.Offer.Id } });

        // alice publishes on her publisher PC: add_track, then the offer carrying the track (msid track id = cid)
        await using var alice = await SignalClient.ConnectAsync(V0(Token("alice")));
        var aliceSid = (await alice.NextAsync())!.Join.Participant.Sid;
        await alice.SendAsync(new SignalRequest { AddTrack = new AddTrackRequest { Cid = "mic-cid", Type = TrackType.Audio, Source = TrackSource.Microphone } });
        var published = (await alice.NextAsync(SignalResponse.MessageOneofCase.TrackPublished)).TrackPublished;
        await alice.SendAsync(new SignalRequest { Offer = new SessionDescription { Type = "offer", Sdp = PublisherOffer("mic-cid"), Id = 1 } });
        var answer = await alice.NextAsync(SignalResponse.MessageOneofCase.Answer);
        Assert.Equal(1u, answer.Answer.Id);
        Assert.Empty(answer.Answer.MidToTrackId);

        // bob: first the update naming the track, then a new subscriber offer that sends it
        var trackSid = published.Track.Sid;
        SignalResponse next;
        do
        {
            next = (await bob.NextAsync())!;
            Assert.NotEqual(SignalResponse.MessageOneofCase.Offer, next.MessageCase);
        }
        while (!(next.MessageCase == SignalResponse.MessageOneofCase.Update && next.Update.Participants.Any(p => p.Tracks.Any(t => t.Sid == trackSid))));

        var offer = (await bob.NextAsync(SignalResponse.MessageOneofCase.Offer)).Offer;
        Assert.Equal(2u, offer.Id);
        Assert.Equal(trackSid, offer.MidToTrackId["1"]);
        Assert.True(Starling.Wire.Sdp.SdpSessionDescription.TryParse(offer.Sdp, out var sdp, out _));
        var section = sdp.FindByMid("1")!;
        Assert.Equal(Starling.Wire.Sdp.SdpDirection.SendOnly, section.Direction);
        Assert.Equal(aliceSid + "|" + trackSid, Assert.Single(section.Msids).StreamId);

        await bob.SendAsync(new SignalRequest { Answer = new SessionDescription { Type = "answer", Sdp = AnswerTo(offer.Sdp), Id = offer.Id } });
        var track = _server.Rooms.Find("r")!.PublishedTracksExcept(_server.Rooms.Find("r")!.Find("bob")!).Single();
        await Eventually.True(() => track.Router.DownTracks.Count == 1, TimeSpan.FromSeconds(5), "bob's down-track starts with his answer");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task V1Join_AnswersTheOfferInTheUrlWithItsId(bool gzip)
    {
        await using var client = await SignalClient.ConnectAsync(V1("v=0\r\nfake-offer\r\n", gzip: gzip), Token("bob"));
        var join = (await client.NextAsync())!;
        Assert.Equal(SignalResponse.MessageOneofCase.Join, join.MessageCase);
        Assert.False(join.Join.SubscriberPrimary);
        var answer = await client.NextAsync(SignalResponse.MessageOneofCase.Answer);
        Assert.Equal(7u, answer.Answer.Id);
        Assert.Equal("answer", answer.Answer.Type);
        Assert.Equal(1, join.Join.Participant.ClientProtocol);
    }

    [Fact]
    public async Task Participants_SeeEachOtherJoinAndLeave()
    {
        await using var alice = await SignalClient.ConnectAsync(V0(Token("alice")));
        var aliceJoin = (await alice.NextAsync())!.Join;
        await using var bob = await SignalClient.ConnectAsync(V0(Token("bob")));
        var bobJoin = (await bob.NextAsync())!.Join;
        Assert.Equal("alice", Assert.Single(bobJoin.OtherParticipants).Identity);
        while (!(await alice.NextAsync(SignalResponse.MessageOneofCase.Update)).Update.Participants.Any(p => p.Identity == "bob"))
        {
        }

        await bob.SendAsync(new SignalRequest { Leave = new LeaveRequest { Reason = DisconnectReason.ClientInitiated } });
        while (true)
        {
            var next = await alice.NextAsync(SignalResponse.MessageOneofCase.Update);
            var gone = next.Update.Participants.FirstOrDefault(p => p.Identity == "bob" && p.State == ParticipantInfo.Types.State.Disconnected);
            if (gone is not null)
            {
                Assert.Equal(bobJoin.Participant.Sid, gone.Sid);
                break;
            }
        }

        Assert.Null(_server.Rooms.Find("r")!.Find("bob"));
        Assert.NotNull(aliceJoin);
    }

    [Fact]
    public async Task Ping_IsAnsweredWithPongs()
    {
        await using var client = await SignalClient.ConnectAsync(V0(Token("alice")));
        await client.NextAsync();
        await client.SendAsync(new SignalRequest { PingReq = new Ping { Timestamp = 12345, Rtt = 3 } });
        var pong = await client.NextAsync(SignalResponse.MessageOneofCase.PongResp);
        Assert.Equal(12345, pong.PongResp.LastPingTimestamp);
        await client.SendAsync(new SignalRequest { Ping = 1 });
        Assert.True((await client.NextAsync(SignalResponse.MessageOneofCase.Pong)).Pong > 0);
    }

    [Fact]
    public async Task RandomBytes_AreDroppedAndTheSessionGoesOn()
    {
        await using var client = await SignalClient.ConnectAsync(V0(Token("alice")));
        await client.NextAsync();
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 300)];
            random.NextBytes(bytes);
            await client.SendRawAsync(bytes);
        }

        await client.SendRawAsync("{not json"u8.ToArray(), WebSocketMessageType.Text);
        await client.SendAsync(new SignalRequest { PingReq = new Ping { Timestamp = 99 } });
        Assert.Equal(99, (await client.NextAsync(SignalResponse.MessageOneofCase.PongResp)).PongResp.LastPingTimestamp);
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task Data_IsRoutedWithTheSenderIdentityAndDestinations()
    {
        await using var alice = await SignalClient.ConnectAsync(V0(Token("alice")));
        var aliceSid = (await alice.NextAsync())!.Join.Participant.Sid;
        await using var bob = await SignalClient.ConnectAsync(V0(Token("bob")));
        var bobSid = (await bob.NextAsync())!.Join.Participant.Sid;
        await using var carol = await SignalClient.ConnectAsync(V0(Token("carol", grant: v => v with { CanPublishData = false })));
        var carolSid = (await carol.NextAsync())!.Join.Participant.Sid;

        var packet = new DataPacket { Sequence = 1, ParticipantIdentity = "spoofed", User = new UserPacket { Payload = ByteString.CopyFromUtf8("hi"), Topic = "chat" }, DestinationIdentities = { "bob" } };
        _transports.Primary(aliceSid).Receive("_reliable", packet.ToByteArray());
        await Eventually.True(() => !_transports.Primary(bobSid).Sent.IsEmpty, TimeSpan.FromSeconds(5), "bob received");
        Assert.True(_transports.Primary(bobSid).Sent.TryPeek(out var got));
        Assert.Equal("_reliable", got.Label);
        var received = DataPacket.Parser.ParseFrom(got.Data);
        Assert.Equal("alice", received.ParticipantIdentity);
        Assert.Equal(aliceSid, received.ParticipantSid);
        Assert.Equal("chat", received.User.Topic);
        Assert.Equal(1u, received.Sequence);
        Assert.Empty(_transports.Primary(carolSid).Sent);

        _transports.Primary(aliceSid).Receive("_reliable", packet.ToByteArray());
        _transports.Primary(carolSid).Receive("_reliable", new DataPacket { User = new UserPacket { Payload = ByteString.CopyFromUtf8("x") } }.ToByteArray());
        _transports.Primary(aliceSid).Receive("_lossy", [0xff, 0xff, 0xff]);
        await Task.Yield();
        Assert.Single(_transports.Primary(bobSid).Sent);
        Assert.Empty(_transports.Primary(aliceSid).Sent);
    }

    [Fact]
    public async Task Resume_KeepsTheParticipantAndReportsTheLastSequence()
    {
        var token = Token("alice");
        var client = await SignalClient.ConnectAsync(V0(token));
        var sid = (await client.NextAsync())!.Join.Participant.Sid;
        _transports.Primary(sid).Receive("_reliable", new DataPacket { Sequence = 5, User = new UserPacket { Payload = ByteString.CopyFromUtf8("a") } }.ToByteArray());
        client.Abort();
        await client.DisposeAsync();

        await using var resumed = await SignalClient.ConnectAsync(V0(token, "&reconnect=1&sid=" + sid));
        var first = (await resumed.NextAsync())!;
        Assert.Equal(SignalResponse.MessageOneofCase.Reconnect, first.MessageCase);
        Assert.Equal(5u, first.Reconnect.LastMessageSeq);
        Assert.Equal(sid, _server.Rooms.Find("r")!.Find("alice")!.Sid);
        await resumed.NextAsync(SignalResponse.MessageOneofCase.Update);
    }

    [Fact]
    public async Task Resume_UnknownSid_AsksForAFullReconnect()
    {
        await using var client = await SignalClient.ConnectAsync(V0(Token("alice"), "&reconnect=1&sid=PA_unknown"));
        var first = (await client.NextAsync())!;
        Assert.Equal(DisconnectReason.StateMismatch, first.Leave.Reason);
        Assert.Equal(LeaveRequest.Types.Action.Reconnect, first.Leave.Action);
    }

    [Fact]
    public async Task UpdateMetadata_NeedsPermission()
    {
        await using var plain = await SignalClient.ConnectAsync(V0(Token("alice")));
        await plain.NextAsync();
        await plain.SendAsync(new SignalRequest { UpdateMetadata = new UpdateParticipantMetadata { Metadata = "m", RequestId = 3 } });
        var refused = await plain.NextAsync(SignalResponse.MessageOneofCase.RequestResponse);
        Assert.Equal(RequestResponse.Types.Reason.NotAllowed, refused.RequestResponse.Reason);
        Assert.Equal(3u, refused.RequestResponse.RequestId);

        await using var allowed = await SignalClient.ConnectAsync(V0(Token("bob", grant: v => v with { CanUpdateOwnMetadata = true })));
        await allowed.NextAsync();
        await allowed.SendAsync(new SignalRequest { UpdateMetadata = new UpdateParticipantMetadata { Metadata = "m2", Name = "Bob", RequestId = 4 } });
        while (true)
        {
            var update = await allowed.NextAsync(SignalResponse.MessageOneofCase.Update);
            if (update.Update.Participants.Any(p => p.Identity == "bob" && p.Metadata == "m2" && p.Name == "Bob"))
            {
                break;
            }
        }
    }

    [Fact]
    public async Task AddTrack_WithoutPublishPermission_IsNotAllowed()
    {
        await using var client = await SignalClient.ConnectAsync(V0(Token("alice", grant: v => v with { CanPublish = false, CanPublishData = true })));
        await client.NextAsync();
        await client.SendAsync(new SignalRequest { AddTrack = new AddTrackRequest { Cid = "c1", Type = TrackType.Audio, Source = TrackSource.Microphone } });
        var refused = await client.NextAsync(SignalResponse.MessageOneofCase.RequestResponse);
        Assert.Equal(RequestResponse.Types.Reason.NotAllowed, refused.RequestResponse.Reason);
        Assert.Equal("c1", refused.RequestResponse.AddTrack.Cid);
    }

    [Fact]
    public async Task AddTrack_Allowed_IsPublishedAtOnceWithATrackSid()
    {
        await using var client = await SignalClient.ConnectAsync(V0(Token("alice")));
        await client.NextAsync();
        await client.SendAsync(new SignalRequest { AddTrack = new AddTrackRequest { Cid = "c1", Type = TrackType.Video, Source = TrackSource.Camera, Width = 640, Height = 360 } });
        var published = await client.NextAsync(SignalResponse.MessageOneofCase.TrackPublished);
        Assert.Equal("c1", published.TrackPublished.Cid);
        Assert.StartsWith("TR_", published.TrackPublished.Track.Sid, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveParticipantApi_SendsLeaveWithReason()
    {
        await using var client = await SignalClient.ConnectAsync(V0(Token("alice")));
        await client.NextAsync();
        _server.Rooms.Find("r")!.RemoveParticipant("alice");
        var leave = await client.NextAsync(SignalResponse.MessageOneofCase.Leave);
        Assert.Equal(DisconnectReason.ParticipantRemoved, leave.Leave.Reason);
        Assert.Null(await client.NextAsync());
    }

    [Fact]
    public async Task DuplicateIdentity_KicksTheFirstSession()
    {
        await using var first = await SignalClient.ConnectAsync(V0(Token("alice")));
        await first.NextAsync();
        await using var second = await SignalClient.ConnectAsync(V0(Token("alice")));
        await second.NextAsync();
        var leave = await first.NextAsync(SignalResponse.MessageOneofCase.Leave);
        Assert.Equal(DisconnectReason.DuplicateIdentity, leave.Leave.Reason);
    }

    [Theory]
    [InlineData("/rtc/validate?access_token=garbage", 401, "invalid authorization token")]
    [InlineData("/rtc/validate", 401, "permissions denied")]
    [InlineData("/rtc/v1/validate?access_token={token}", 400, "missing join_request")]
    [InlineData("/rtc/v1/validate?access_token={token}&join_request=%%%", 400, "malformed join_request")]
    [InlineData("/rtc/validate?access_token={token}", 200, "success")]
    [InlineData("/rtc/validate?access_token={nojoin}", 401, "roomJoin")]
    [InlineData("/rtc/validate?access_token={badsecret}", 401, "signature")]
    [InlineData("/rtc?access_token={token}", 404, "WebSocket")]
    public async Task Validate_AnswersLikeLiveKit(string path, int status, string text)
    {
        using var http = new HttpClient();
        var url = _http + path.Replace("{token}", Token("alice"), StringComparison.Ordinal)
            .Replace("{nojoin}", Token("alice", grant: v => v with { RoomJoin = false }), StringComparison.Ordinal)
            .Replace("{badsecret}", Token("alice", secret: "wrong"), StringComparison.Ordinal);
        var response = await http.GetAsync(url);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(text, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Validate_BearerHeaderIsAccepted()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, _http + "/rtc/validate");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token("alice"));
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task V1Disabled_Answers404WithoutTheNoRoomText()
    {
        await _server.DisposeAsync();
        var config = new StarlingConfig();
        config.Rtc.SinglePeerConnection = false;
        await StartAsync(config);
        using var http = new HttpClient();
        var response = await http.GetAsync(_http + "/rtc/v1/validate?access_token=" + Token("alice"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("requested room does not exist", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AutoCreateOff_MissingRoomIs404WithTheClientText()
    {
        await _server.DisposeAsync();
        var config = new StarlingConfig();
        config.Room.AutoCreate = false;
        await StartAsync(config);
        using var http = new HttpClient();
        var response = await http.GetAsync(_http + "/rtc/validate?access_token=" + Token("alice"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("requested room does not exist", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedSignalMessage_ClosesThatConnectionOnly()
    {
        await using var big = await SignalClient.ConnectAsync(V0(Token("alice")));
        await big.NextAsync();
        await big.SendRawAsync(new byte[3 * 1024 * 1024]);
        while (await big.NextAsync() is not null)
        {
        }

        await using var other = await SignalClient.ConnectAsync(V0(Token("bob")));
        Assert.Equal(SignalResponse.MessageOneofCase.Join, (await other.NextAsync())!.MessageCase);
    }

    [Fact]
    public async Task RefreshToken_IsPushedWithTheSameIdentityAndGrants()
    {
        await _server.DisposeAsync();
        await StartAsync(new StarlingConfig(), new Starling.Rooms.Signal.SignalOptions { TokenRefreshInterval = TimeSpan.FromMilliseconds(200) });
        await using var client = await SignalClient.ConnectAsync(V0(Token("alice", grant: v => v with { CanPublish = false })));
        await client.NextAsync();
        var refreshed = (await client.NextAsync(SignalResponse.MessageOneofCase.RefreshToken)).RefreshToken;
        var claims = AccessTokenCodec.Verify(refreshed, k => k == "devkey" ? "secret" : null, DateTimeOffset.UtcNow);
        Assert.Equal("alice", claims.Identity);
        Assert.Equal("r", claims.Video!.Room);
        Assert.False(claims.Video.CanPublish);
        Assert.True(claims.Expires > DateTimeOffset.UtcNow.AddMinutes(9).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task UnpaddedJoinRequest_IsAccepted()
    {
        var uri = V1("v=0\r\n").ToString().TrimEnd('=');
        await using var client = await SignalClient.ConnectAsync(new Uri(uri), Token("dave"));
        Assert.Equal(SignalResponse.MessageOneofCase.Join, (await client.NextAsync())!.MessageCase);
        _ = Base64Url.IsValid("x");
    }
}
