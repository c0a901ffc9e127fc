using System.Net.WebSockets;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Rooms.Agents;
using Starling.Testing;

namespace Starling.Server.Tests.Agents;

/// <summary>The register deadline at the edge, on a manual clock: no sleeps.</summary>
public sealed class AgentRegisterTimeoutTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private StarlingServer _server = null!;
    private string _http = string.Empty;

    public async Task InitializeAsync()
    {
        _server = StarlingServer.Create(TestServer.Config("error"), _time);
        await _server.StartAsync();
        _http = _server.Urls[0];
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string Token() => TestServer.Token(new VideoGrant { Agent = true }, now: _time.GetUtcNow());

    [Fact]
    public async Task NoRegisterWithin10Seconds_ServerClosesWithPolicyViolation_RegisteredWorkerStays()
    {
        var (registered, _) = await FakeWorker.RegisterAsync(_http, Token());
        await using var __ = registered;
        await using var silent = await FakeWorker.ConnectAsync(_http, Token());
        // The server arms the deadline just after the upgrade, which the client may see first: move the clock one
        // second at a time and note when the close comes (never before 10 s of the server clock).
        var advanced = TimeSpan.Zero;
        await Eventually.True(
            () =>
            {
                if (silent.Closed.IsCompleted)
                {
                    return true;
                }

                _time.Advance(TimeSpan.FromSeconds(1));
                advanced += TimeSpan.FromSeconds(1);
                return false;
            },
            TimeSpan.FromSeconds(10),
            "the silent worker is closed");
        Assert.True(advanced >= TimeSpan.FromSeconds(10), $"closed after {advanced.TotalSeconds} s of server clock");
        await silent.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, silent.CloseStatus);
        Assert.StartsWith("register_timeout", silent.CloseDescription, StringComparison.Ordinal);
        Assert.Equal(1, _server.Agents.Metrics.Closes(WorkerCloseReason.RegisterTimeout));
        Assert.Single(_server.Agents.ListWorkers());
        await registered.SendAsync(new WorkerMessage { Ping = new WorkerPing { Timestamp = 3 } });
        Assert.Equal(3, (await registered.ReceiveAsync()).Pong.LastTimestamp);
    }
}
