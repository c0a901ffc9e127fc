using System.Net;
using System.Text.Json;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Server.Tests.Signal;

namespace Starling.Server.Tests.Health;

/// <summary><c>/health</c> while serving and draining, <c>/</c> unchanged, and the drain telling connected clients to reconnect.</summary>
public sealed class HealthEndpointTests : IAsyncLifetime
{
    private readonly FakeRtcTransportFactory _transports = new();
    private readonly HttpClient _http = new();
    private StarlingServer _server = null!;
    private string _url = string.Empty;

    public async Task InitializeAsync()
    {
        _server = StarlingServer.Create(TestServer.Config(), transports: _transports);
        await _server.StartAsync();
        _url = _server.Urls[0];
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private static string JoinToken(string identity) => TestServer.Token(new VideoGrant { RoomJoin = true, Room = "r" }, identity);

    private Uri V0(string identity) => new(_url.Replace("http", "ws", StringComparison.Ordinal) + "/rtc?access_token=" + JoinToken(identity) + "&protocol=17");

    [Fact]
    public async Task Health_WhileServing_Is200WithCounts()
    {
        await using var alice = await SignalClient.ConnectAsync(V0("alice"));
        await alice.NextAsync(SignalResponse.MessageOneofCase.Join);

        using var response = await _http.GetAsync(_url + "/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+$", body.GetProperty("version").GetString()!);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("node_id").GetString()));
        Assert.True(body.GetProperty("uptime_seconds").GetDouble() >= 0);
        Assert.Equal(1, body.GetProperty("rooms").GetInt32());
        Assert.Equal(1, body.GetProperty("participants").GetInt32());

        Assert.Equal("OK", await _http.GetStringAsync(_url + "/"));
    }

    [Fact]
    public async Task Health_WhileDraining_Is503()
    {
        _server.Health!.Draining = true;
        using var response = await _http.GetAsync(_url + "/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("draining", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Stop_WithAConnectedClient_SendsLeaveWithReconnectAndRefusesNewJoins()
    {
        await using var alice = await SignalClient.ConnectAsync(V0("alice"));
        await alice.NextAsync(SignalResponse.MessageOneofCase.Join);
        Assert.Equal(1, _server.Signal!.Drain());
        var leave = await alice.NextAsync(SignalResponse.MessageOneofCase.Leave);
        Assert.Equal(DisconnectReason.ServerShutdown, leave.Leave.Reason);
        Assert.Equal(LeaveRequest.Types.Action.Reconnect, leave.Leave.Action);

        using var refused = await _http.GetAsync(_url + "/rtc/validate?access_token=" + JoinToken("bob"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
    }
}
