using System.Text.Json;
using Google.Protobuf;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Testing;

namespace Starling.Cli.Tests.Commands;

public sealed class DispatchCommandTests
{
    private readonly CliHarness _cli = new();

    [Fact]
    public async Task Create_SendsAgentAndMetadata()
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Protobuf(new AgentDispatch { Id = "AD_1", AgentName = "bot", Room = "r" }.ToByteArray());

        var result = (await _cli.RunAsync("dispatch", "create", "--room", "r", "--agent-name", "bot", "--metadata", "m")).AssertSuccess();

        Assert.Equal("/twirp/livekit.AgentDispatchService/CreateDispatch", _cli.Http.Last.Uri.AbsolutePath);
        var sent = CreateAgentDispatchRequest.Parser.ParseFrom(_cli.Http.Last.Body);
        Assert.Equal(("r", "bot", "m"), (sent.Room, sent.AgentName, sent.Metadata));
        Assert.Equal(new VideoGrant { RoomAdmin = true, Room = "r" }, _cli.LastClaims().Video);
        Assert.Contains("AD_1", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Json_PrintsDispatches()
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Protobuf(new ListAgentDispatchResponse { AgentDispatches = { new AgentDispatch { Id = "AD_1" } } }.ToByteArray());

        var result = (await _cli.RunAsync("dispatch", "list", "--room", "r", "--json")).AssertSuccess();

        Assert.Equal("AD_1", JsonDocument.Parse(result.Stdout).RootElement.GetProperty("agentDispatches")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Delete_SendsIdAndRoom()
    {
        var result = (await _cli.RunAsync("dispatch", "delete", "--room", "r", "--id", "AD_1")).AssertSuccess();

        var sent = DeleteAgentDispatchRequest.Parser.ParseFrom(_cli.Http.Last.Body);
        Assert.Equal(("AD_1", "r"), (sent.DispatchId, sent.Room));
        Assert.Equal("deleted dispatch AD_1", result.Line);
    }

    [Fact]
    public async Task Create_WithoutAgentName_IsParseError()
    {
        Assert.Equal(1, (await _cli.RunAsync("dispatch", "create", "--room", "r")).ExitCode);
        Assert.Empty(_cli.Http.Requests);
    }
}
