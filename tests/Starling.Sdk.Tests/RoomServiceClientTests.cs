using Google.Protobuf;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Testing;

namespace Starling.Sdk.Tests;

public sealed class RoomServiceClientTests
{
    private static readonly Dictionary<string, (Func<RoomServiceClient, Task> Call, VideoGrant Grant)> Cases = new()
    {
        ["CreateRoom"] = (c => c.CreateRoomAsync("r"), new VideoGrant { RoomCreate = true }),
        ["ListRooms"] = (c => c.ListRoomsAsync(["r"]), new VideoGrant { RoomList = true }),
        ["DeleteRoom"] = (c => c.DeleteRoomAsync("r"), new VideoGrant { RoomCreate = true }),
        ["UpdateRoomMetadata"] = (c => c.UpdateRoomMetadataAsync("r", "m"), Admin("r")),
        ["ListParticipants"] = (c => c.ListParticipantsAsync("r"), Admin("r")),
        ["GetParticipant"] = (c => c.GetParticipantAsync("r", "i"), Admin("r")),
        ["RemoveParticipant"] = (c => c.RemoveParticipantAsync("r", "i"), Admin("r")),
        ["MutePublishedTrack"] = (c => c.MutePublishedTrackAsync("r", "i", "TR_1", true), Admin("r")),
        ["UpdateParticipant"] = (c => c.UpdateParticipantAsync("r", "i", metadata: "m"), Admin("r")),
        ["UpdateSubscriptions"] = (c => c.UpdateSubscriptionsAsync("r", "i", ["TR_1"], true), Admin("r")),
        ["SendData"] = (c => c.SendDataAsync("r", new byte[] { 1 }), Admin("r")),
        ["ForwardParticipant"] = (c => c.ForwardParticipantAsync("r", "i", "r2"), Admin("r") with { DestinationRoom = "r2" }),
        ["MoveParticipant"] = (c => c.MoveParticipantAsync("r", "i", "r2"), Admin("r") with { DestinationRoom = "r2" }),
        ["PerformRpc"] = (c => c.PerformRpcAsync("r", "i", "m", "p"), Admin("r")),
    };

    private readonly FakeHttpHandler _handler = new();

    [Fact]
    public void Cases_CoverEveryRoomServiceMethod()
    {
        var methods = RoomServiceReflection.Descriptor.Services.Single(s => s.Name == "RoomService").Methods.Select(m => m.Name);
        Assert.Equal(methods.Order(StringComparer.Ordinal), Cases.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("CreateRoom")]
    [InlineData("ListRooms")]
    [InlineData("DeleteRoom")]
    [InlineData("UpdateRoomMetadata")]
    [InlineData("ListParticipants")]
    [InlineData("GetParticipant")]
    [InlineData("RemoveParticipant")]
    [InlineData("MutePublishedTrack")]
    [InlineData("UpdateParticipant")]
    [InlineData("UpdateSubscriptions")]
    [InlineData("SendData")]
    [InlineData("ForwardParticipant")]
    [InlineData("MoveParticipant")]
    [InlineData("PerformRpc")]
    public async Task Method_PostsToItsPathWithExactlyItsGrant(string method)
    {
        var (call, grant) = Cases[method];

        await call(Client());

        var request = _handler.Last;
        Assert.Equal($"/twirp/livekit.RoomService/{method}", request.Uri.AbsolutePath);
        Assert.Equal("application/protobuf", request.ContentType);
        var claims = AccessTokenCodec.Verify(request.BearerToken!, k => k == "key" ? "secret" : null, DateTimeOffset.UtcNow);
        Assert.Equal(grant, claims.Video);
        Assert.Null(claims.Subject);
    }

    [Fact]
    public async Task ListRooms_SendsNamesAndReturnsRooms()
    {
        var response = new ListRoomsResponse { Rooms = { new Room { Name = "a" }, new Room { Name = "b" } } };
        _handler.Respond = _ => FakeHttpHandler.Protobuf(response.ToByteArray());

        var rooms = await Client().ListRoomsAsync(["a", "b"]);

        Assert.Equal(["a", "b"], rooms.Select(r => r.Name));
        Assert.Equal(["a", "b"], ListRoomsRequest.Parser.ParseFrom(_handler.Last.Body).Names);
    }

    [Fact]
    public async Task CreateRoom_Request_SendsAllFields()
    {
        var request = new CreateRoomRequest { Name = "r", EmptyTimeout = 10, MaxParticipants = 3, Metadata = "m" };
        request.Agents.Add(new RoomAgentDispatch { AgentName = "bot" });

        await Client().CreateRoomAsync(request);

        Assert.Equal(request, CreateRoomRequest.Parser.ParseFrom(_handler.Last.Body));
    }

    [Fact]
    public async Task SendData_Convenience_SendsPayloadTopicDestinationsAndRandomNonce()
    {
        var client = Client();
        await client.SendDataAsync("r", new byte[] { 1, 2, 3 }, DataPacket.Types.Kind.Lossy, ["bob"], "chat");
        await client.SendDataAsync("r", new byte[] { 1, 2, 3 }, DataPacket.Types.Kind.Lossy, ["bob"], "chat");

        var first = SendDataRequest.Parser.ParseFrom(_handler.Requests[0].Body);
        var second = SendDataRequest.Parser.ParseFrom(_handler.Requests[1].Body);
        Assert.Equal(new byte[] { 1, 2, 3 }, first.Data.ToByteArray());
        Assert.Equal(DataPacket.Types.Kind.Lossy, first.Kind);
        Assert.Equal(["bob"], first.DestinationIdentities);
        Assert.Equal("chat", first.Topic);
        Assert.Equal(16, first.Nonce.Length);
        Assert.NotEqual(first.Nonce, second.Nonce);
    }

    [Fact]
    public async Task SendData_RequestWithNonce_KeepsItAndDoesNotMutateCaller()
    {
        var nonce = ByteString.CopyFrom(new byte[16]);
        var withNonce = new SendDataRequest { Room = "r", Nonce = nonce };
        var without = new SendDataRequest { Room = "r" };

        await Client().SendDataAsync(withNonce);
        await Client().SendDataAsync(without);

        Assert.Equal(nonce, SendDataRequest.Parser.ParseFrom(_handler.Requests[0].Body).Nonce);
        Assert.True(without.Nonce.IsEmpty);
        Assert.Equal(16, SendDataRequest.Parser.ParseFrom(_handler.Requests[1].Body).Nonce.Length);
    }

    [Fact]
    public async Task SendData_NoTopic_LeavesTopicUnset()
    {
        await Client().SendDataAsync("r", new byte[] { 1 });
        Assert.False(SendDataRequest.Parser.ParseFrom(_handler.Last.Body).HasTopic);
    }

    [Fact]
    public async Task UpdateParticipant_SendsMetadataNameAttributesPermission()
    {
        _handler.Respond = _ => FakeHttpHandler.Protobuf(new ParticipantInfo { Identity = "i", Name = "N" }.ToByteArray());

        var info = await Client().UpdateParticipantAsync(
            "r", "i", "meta", new ParticipantPermission { CanPublish = true }, "N", new Dictionary<string, string> { ["k"] = "v" });

        Assert.Equal("N", info.Name);
        var sent = UpdateParticipantRequest.Parser.ParseFrom(_handler.Last.Body);
        Assert.Equal(("r", "i", "meta", "N"), (sent.Room, sent.Identity, sent.Metadata, sent.Name));
        Assert.True(sent.Permission.CanPublish);
        Assert.Equal("v", sent.Attributes["k"]);
    }

    [Fact]
    public async Task MutePublishedTrack_ReturnsTrack()
    {
        _handler.Respond = _ => FakeHttpHandler.Protobuf(new MuteRoomTrackResponse { Track = new TrackInfo { Sid = "TR_1", Muted = true } }.ToByteArray());

        var track = await Client().MutePublishedTrackAsync("r", "i", "TR_1", true);

        Assert.True(track.Muted);
        var sent = MuteRoomTrackRequest.Parser.ParseFrom(_handler.Last.Body);
        Assert.Equal(("TR_1", true), (sent.TrackSid, sent.Muted));
    }

    [Fact]
    public async Task PerformRpc_SendsTimeoutAndReturnsPayload()
    {
        _handler.Respond = _ => FakeHttpHandler.Protobuf(new PerformRpcResponse { Payload = "pong" }.ToByteArray());

        var payload = await Client().PerformRpcAsync("r", "bob", "ping", "x", TimeSpan.FromSeconds(5));

        Assert.Equal("pong", payload);
        var sent = PerformRpcRequest.Parser.ParseFrom(_handler.Last.Body);
        Assert.Equal(("bob", "ping", "x", 5000u), (sent.DestinationIdentity, sent.Method, sent.Payload, sent.ResponseTimeoutMs));
    }

    [Fact]
    public async Task NullRequest_ThrowsArgumentNull()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Client().GetParticipantAsync((RoomParticipantIdentity)null!));
    }

    private static VideoGrant Admin(string room) => new() { RoomAdmin = true, Room = room };

    private RoomServiceClient Client() => new("http://localhost:7880", "key", "secret", _handler.CreateClient());
}
