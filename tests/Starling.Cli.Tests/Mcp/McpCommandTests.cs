using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Starling.Protocol.Auth;
using Starling.Server;
using Starling.Server.Config;

namespace Starling.Cli.Tests.Mcp;

/// <summary>
/// <c>starling mcp</c> driven by the official MCP SDK's client over stdio, against a real server: the tools are listed
/// with descriptions, and creating a room, listing it, minting a token and asking for the service work through them.
/// </summary>
public sealed class McpCommandTests : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("starling-mcp-home-").FullName;
    private StarlingServer _server = null!;
    private McpClient _client = null!;

    public async Task InitializeAsync()
    {
        var config = new StarlingConfig { Port = 0, BindAddresses = ["127.0.0.1"] };
        config.Keys["devkey"] = "secret";
        config.Logging.Level = "warn";
        _server = StarlingServer.Create(config);
        await _server.StartAsync();
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "starling",
            Command = "dotnet",
            Arguments = [Path.Combine(AppContext.BaseDirectory, "starling.dll"), "mcp", "--url", _server.Urls[0], "--api-key", "devkey", "--api-secret", "secret"],
            EnvironmentVariables = new Dictionary<string, string?> { ["HOME"] = _home, ["STARLING_SERVICE_MANAGER"] = "supervisor" },
        });
        _client = await McpClient.CreateAsync(transport);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    private async Task<JsonElement> CallAsync(string tool, Dictionary<string, object?> arguments)
    {
        var result = await _client.CallToolAsync(tool, arguments);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.True(result.IsError != true, $"{tool} failed: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task ListTools_OffersEveryToolWithADescription()
    {
        var tools = await _client.ListToolsAsync();
        Assert.Equal(
            ["create_room", "create_token", "delete_room", "dispatch_agent", "list_participants", "list_rooms", "send_data", "service_start", "service_status", "service_stop"],
            tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(tools, t => Assert.False(string.IsNullOrWhiteSpace(t.Description)));
    }

    [Fact]
    public async Task CreateRoom_ThroughTheTool_CreatesItOnTheServer()
    {
        var created = await CallAsync("create_room", new() { ["name"] = "mcp-room", ["maxParticipants"] = 3 });
        Assert.Equal("mcp-room", created.GetProperty("name").GetString());
        var api = new Starling.Sdk.RoomServiceClient(_server.Urls[0], "devkey", "secret");
        var room = Assert.Single(await api.ListRoomsAsync(["mcp-room"]));
        Assert.Equal(3u, room.MaxParticipants);

        var listed = await CallAsync("list_rooms", []);
        Assert.Contains(listed.EnumerateArray(), r => r.GetProperty("name").GetString() == "mcp-room");

        await CallAsync("delete_room", new() { ["name"] = "mcp-room" });
        Assert.Empty(await api.ListRoomsAsync(["mcp-room"]));
    }

    [Fact]
    public async Task CreateToken_IsSignedWithTheServersKey()
    {
        var minted = await CallAsync("create_token", new() { ["room"] = "r", ["identity"] = "alice", ["canPublish"] = false });
        var claims = AccessTokenCodec.Verify(minted.GetProperty("token").GetString()!, k => k == "devkey" ? "secret" : null, DateTimeOffset.UtcNow);
        Assert.Equal("alice", claims.Identity);
        Assert.Equal("r", claims.Video!.Room);
        Assert.False(claims.Video.CanPublish);
        Assert.StartsWith("ws://127.0.0.1:", minted.GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceStatus_WithNothingInstalled_SaysSo()
    {
        var status = await CallAsync("service_status", []);
        Assert.False(status.GetProperty("installed").GetBoolean());
        Assert.Equal("not installed", status.GetProperty("state").GetString());

        var start = await _client.CallToolAsync("service_start", new Dictionary<string, object?>());
        Assert.True(start.IsError);
        Assert.Contains("not installed", Assert.IsType<TextContentBlock>(Assert.Single(start.Content)).Text, StringComparison.Ordinal);
    }
}
