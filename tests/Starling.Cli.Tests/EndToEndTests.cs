using System.Text.Json;
using Starling.Proto;
using Starling.Sdk;
using Starling.Server;
using Starling.Server.Config;
using Starling.Protocol.Twirp;

namespace Starling.Cli.Tests;

/// <summary>The SDK and the CLI against an in-process Starling server on a loopback port.</summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private StarlingServer _server = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        var config = new StarlingConfig
        {
            Port = 0,
            BindAddresses = ["127.0.0.1"],
            Keys = { ["devkey"] = "secret", ["k2"] = "another-secret" },
            Logging = { Level = "error" },
        };
        _server = StarlingServer.Create(config);
        await _server.StartAsync();
        _url = _server.Urls[0].Replace("http://", "ws://", StringComparison.Ordinal) + "/";
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Sdk_RoomLifecycle_AgainstServer()
    {
        var rooms = new RoomServiceClient(_url, "k2", "another-secret");

        var created = await rooms.CreateRoomAsync(new CreateRoomRequest { Name = "e2e", Metadata = "m", MaxParticipants = 4 });
        Assert.StartsWith("RM_", created.Sid, StringComparison.Ordinal);
        Assert.Equal(4u, created.MaxParticipants);

        Assert.Contains(await rooms.ListRoomsAsync(), r => r.Name == "e2e");
        Assert.Equal("new", (await rooms.UpdateRoomMetadataAsync("e2e", "new")).Metadata);
        Assert.Empty(await rooms.ListParticipantsAsync("e2e"));
        await rooms.SendDataAsync("e2e", "hi"u8.ToArray(), topic: "t");

        var ex = await Assert.ThrowsAsync<TwirpException>(() => rooms.GetParticipantAsync("e2e", "nobody"));
        Assert.Equal(TwirpErrorCode.NotFound, ex.Code);
        Assert.Equal(404, ex.HttpStatus);

        await rooms.DeleteRoomAsync("e2e");
        Assert.DoesNotContain(await rooms.ListRoomsAsync(), r => r.Name == "e2e");
    }

    [Fact]
    public async Task Cli_AgentWorkers_AgainstServer()
    {
        var cli = new CliHarness { RealNetwork = true, Clock = TimeProvider.System };
        var result = (await cli.RunAsync("agent", "workers", "--url", _url, "--api-key", "devkey", "--api-secret", "secret")).AssertSuccess();
        Assert.Equal("no workers", result.Line);
    }

    [Fact]
    public async Task Sdk_AgentDispatch_AgainstServer()
    {
        var dispatches = new AgentDispatchClient(_url, "devkey", "secret");

        var created = await dispatches.CreateDispatchAsync("e2e-agents", "bot", "meta");
        Assert.StartsWith("AD_", created.Id, StringComparison.Ordinal);
        Assert.Equal(created.Id, (await dispatches.GetDispatchAsync(created.Id, "e2e-agents"))!.Id);
        Assert.Contains(await dispatches.ListDispatchAsync("e2e-agents"), d => d.Id == created.Id);
        await dispatches.DeleteDispatchAsync(created.Id, "e2e-agents");
        Assert.DoesNotContain(await dispatches.ListDispatchAsync("e2e-agents"), d => d.Id == created.Id);
    }

    [Fact]
    public async Task Sdk_WrongSecret_IsUnauthenticated()
    {
        var rooms = new RoomServiceClient(_url, "devkey", "wrong");
        var ex = await Assert.ThrowsAsync<TwirpException>(() => rooms.ListRoomsAsync());
        Assert.Equal(TwirpErrorCode.Unauthenticated, ex.Code);
        Assert.Equal(401, ex.HttpStatus);
    }

    [Fact]
    public async Task Cli_RoomCommands_UseDevKeysForLocalhost()
    {
        var cli = new CliHarness { RealNetwork = true, Clock = TimeProvider.System };

        (await cli.RunAsync("room", "create", "cli-e2e", "--url", _url, "--metadata", "hello")).AssertSuccess();
        var listed = (await cli.RunAsync("room", "list", "--url", _url, "--json")).AssertSuccess();
        using (var doc = JsonDocument.Parse(listed.Stdout))
        {
            Assert.Contains(doc.RootElement.GetProperty("rooms").EnumerateArray(), r => r.GetProperty("name").GetString() == "cli-e2e");
        }

        (await cli.RunAsync("participant", "get", "--url", _url, "--room", "cli-e2e", "--identity", "ghost")).AssertError("error: not_found:");
        (await cli.RunAsync("room", "delete", "cli-e2e", "--url", _url)).AssertSuccess();
        (await cli.RunAsync("room", "delete", "cli-e2e", "--url", _url)).AssertError("error: not_found:");
    }
}
