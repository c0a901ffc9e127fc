using Google.Protobuf;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Testing;

namespace Starling.Sdk.Tests;

public sealed class AgentDispatchClientTests
{
    private readonly FakeHttpHandler _handler = new();

    [Fact]
    public async Task CreateDispatch_PostsRequestWithRoomAdminGrant()
    {
        _handler.Respond = _ => FakeHttpHandler.Protobuf(new AgentDispatch { Id = "AD_1", AgentName = "bot", Room = "r" }.ToByteArray());

        var dispatch = await Client().CreateDispatchAsync("r", "bot", "meta");

        Assert.Equal("AD_1", dispatch.Id);
        Assert.Equal("/twirp/livekit.AgentDispatchService/CreateDispatch", _handler.Last.Uri.AbsolutePath);
        var sent = CreateAgentDispatchRequest.Parser.ParseFrom(_handler.Last.Body);
        Assert.Equal(("r", "bot", "meta"), (sent.Room, sent.AgentName, sent.Metadata));
        AssertAdminGrant("r");
    }

    [Fact]
    public async Task DeleteDispatch_PostsIdAndRoom()
    {
        _handler.Respond = _ => FakeHttpHandler.Protobuf(new AgentDispatch { Id = "AD_1" }.ToByteArray());

        await Client().DeleteDispatchAsync("AD_1", "r");

        Assert.Equal("/twirp/livekit.AgentDispatchService/DeleteDispatch", _handler.Last.Uri.AbsolutePath);
        var sent = DeleteAgentDispatchRequest.Parser.ParseFrom(_handler.Last.Body);
        Assert.Equal(("AD_1", "r"), (sent.DispatchId, sent.Room));
        AssertAdminGrant("r");
    }

    [Fact]
    public async Task ListDispatch_ReturnsDispatches()
    {
        _handler.Respond = _ => FakeHttpHandler.Protobuf(new ListAgentDispatchResponse
        {
            AgentDispatches = { new AgentDispatch { Id = "AD_1" }, new AgentDispatch { Id = "AD_2" } },
        }.ToByteArray());

        var list = await Client().ListDispatchAsync("r");

        Assert.Equal(["AD_1", "AD_2"], list.Select(d => d.Id));
        Assert.Equal("/twirp/livekit.AgentDispatchService/ListDispatch", _handler.Last.Uri.AbsolutePath);
        Assert.Equal("", ListAgentDispatchRequest.Parser.ParseFrom(_handler.Last.Body).DispatchId);
        AssertAdminGrant("r");
    }

    [Fact]
    public async Task GetDispatch_FiltersByIdAndReturnsNullWhenAbsent()
    {
        var client = Client();
        _handler.Respond = _ => FakeHttpHandler.Protobuf(new ListAgentDispatchResponse { AgentDispatches = { new AgentDispatch { Id = "AD_2" } } }.ToByteArray());
        Assert.Equal("AD_2", (await client.GetDispatchAsync("AD_2", "r"))!.Id);
        Assert.Equal("AD_2", ListAgentDispatchRequest.Parser.ParseFrom(_handler.Last.Body).DispatchId);

        _handler.Respond = _ => FakeHttpHandler.Protobuf([]);
        Assert.Null(await client.GetDispatchAsync("AD_3", "r"));
    }

    private void AssertAdminGrant(string room)
    {
        var claims = AccessTokenCodec.DecodeUnverified(_handler.Last.BearerToken!);
        Assert.Equal(new VideoGrant { RoomAdmin = true, Room = room }, claims.Video);
    }

    private AgentDispatchClient Client() => new("wss://lk.example.com", "key", "secret", _handler.CreateClient());
}
