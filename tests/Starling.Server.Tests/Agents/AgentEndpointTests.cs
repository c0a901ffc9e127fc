using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Testing;

namespace Starling.Server.Tests.Agents;

/// <summary>The <c>/agent</c> edge and the admin API on a real server with a scripted worker.</summary>
public sealed class AgentEndpointTests : IAsyncLifetime
{
    private StarlingServer _server = null!;
    private string _http = string.Empty;

    public async Task InitializeAsync()
    {
        _server = StarlingServer.Create(TestServer.Config());
        await _server.StartAsync();
        _http = _server.Urls[0];
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Token(VideoGrant? video, string secret = "secret") => TestServer.Token(video, secret: secret);

    private static string AgentToken() => Token(new VideoGrant { Agent = true });

    [Fact]
    public async Task Connect_WithoutToken_Is401()
    {
        var (worker, status) = await FakeWorker.TryConnectAsync(_http, null);
        Assert.Null(worker);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Theory]
    [InlineData(false, "secret")]
    [InlineData(true, "wrong-secret")]
    public async Task Connect_TokenWithoutAgentGrantOrBadSignature_Is401(bool agent, string secret)
    {
        var (worker, status) = await FakeWorker.TryConnectAsync(_http, Token(new VideoGrant { Agent = agent, RoomJoin = true, Room = "r" }, secret));
        Assert.Null(worker);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Register_FirstServerMessageIsRegisterResponseWithWorkerIdAndServerInfo()
    {
        var (worker, registered) = await FakeWorker.RegisterAsync(_http, AgentToken());
        await using var _ = worker;
        Assert.StartsWith("AW_", registered.WorkerId, StringComparison.Ordinal);
        Assert.Equal("1.9.0", registered.ServerInfo.Version);
        Assert.Equal(1, registered.ServerInfo.AgentProtocol);
        Assert.Equal(17, registered.ServerInfo.Protocol);
        await worker.SendAsync(new WorkerMessage { Ping = new WorkerPing { Timestamp = 42 } });
        var pong = await worker.ReceiveAsync();
        Assert.Equal(42, pong.Pong.LastTimestamp);
    }

    [Fact]
    public async Task RoomCreated_AutomaticDispatch_AssignsJobWithAgentToken()
    {
        var (worker, registered) = await FakeWorker.RegisterAsync(_http, AgentToken());
        await using var _ = worker;
        _server.Rooms.CreateRoom(new CreateRoomRequest { Name = "agents-room" });

        var (offered, assignment) = await worker.AcceptNextAsync();

        Assert.Equal(JobType.JtRoom, offered.Type);
        Assert.Equal("agents-room", offered.Room.Name);
        Assert.Equal(registered.WorkerId, offered.State.WorkerId);
        Assert.False(assignment.HasUrl);
        var claims = AccessTokenCodec.Verify(assignment.Token, k => k == "devkey" ? "secret" : null, DateTimeOffset.UtcNow);
        Assert.Equal("agent-" + offered.Id, claims.Identity);
        Assert.Equal("agent", claims.Kind);
        Assert.Equal(("bot", "meta"), (claims.Name, claims.Metadata));
        Assert.Equal("v", claims.Attributes!["k"]);
        Assert.Equal(string.Empty, claims.Attributes["lk.agent_name"]);
        Assert.True(claims.Video!.RoomJoin);
        Assert.True(claims.Video.Agent);
        Assert.Equal("agents-room", claims.Video.Room);
        Assert.True(claims.Video.CanPublish);
        var dispatch = Assert.Single(_server.Rooms.Require("agents-room").ListDispatches(null));
        var job = Assert.Single(dispatch.State.Jobs);
        Assert.Equal((JobStatus.JsRunning, "agent-" + offered.Id), (job.State.Status, job.State.ParticipantIdentity));
    }

    [Fact]
    public async Task GarbageFrame_ClosesThatWorkerOnly_AndCountsIt()
    {
        var (good, _) = await FakeWorker.RegisterAsync(_http, AgentToken());
        await using var __ = good;
        var (bad, _) = await FakeWorker.RegisterAsync(_http, AgentToken());
        await using var ___ = bad;

        await bad.SendRawAsync([0xff, 0xff, 0xff, 0x01]);
        await bad.Closed.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, bad.CloseStatus);
        Assert.Equal(1, _server.Agents.Metrics.Closes(Rooms.Agents.WorkerCloseReason.Garbage));
        await Eventually.True(() => _server.Agents.ListWorkers().Count == 1, TimeSpan.FromSeconds(5), "the bad worker is unregistered");
        await good.SendAsync(new WorkerMessage { Ping = new WorkerPing { Timestamp = 7 } });
        Assert.Equal(7, (await good.ReceiveAsync()).Pong.LastTimestamp);
    }

    [Fact]
    public async Task WorkerClosesSocket_IsUnregistered()
    {
        var (worker, _) = await FakeWorker.RegisterAsync(_http, AgentToken());
        Assert.Single(_server.Agents.ListWorkers());
        await worker.DisposeAsync();
        await Eventually.True(() => _server.Agents.ListWorkers().Count == 0, TimeSpan.FromSeconds(5), "the worker is unregistered on close");
    }

    [Fact]
    public async Task AdminWorkers_ListsRegisteredWorkers_WithRoomListGrant()
    {
        var (worker, registered) = await FakeWorker.RegisterAsync(_http, AgentToken(), new RegisterWorkerRequest { Type = JobType.JtRoom, AgentName = "bot", Version = "1.7.0" });
        await using var _ = worker;
        await worker.SendAsync(new WorkerMessage { UpdateWorker = new UpdateWorkerStatus { Load = 0.25f, Status = WorkerStatus.WsFull } });
        using var http = new HttpClient();

        async Task<HttpResponseMessage> Get(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _http + "/admin/agents/workers");
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return await http.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Get(Token(new VideoGrant { RoomJoin = true, Room = "r" }))).StatusCode);
        await Eventually.True(() => _server.Agents.ListWorkers().Single().Status == WorkerStatus.WsFull, TimeSpan.FromSeconds(5), "update_worker applied");
        var response = await Get(Token(new VideoGrant { RoomList = true }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listed = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("workers")[0];
        Assert.Equal(registered.WorkerId, listed.GetProperty("id").GetString());
        Assert.Equal("bot", listed.GetProperty("agentName").GetString());
        Assert.Equal("1.7.0", listed.GetProperty("version").GetString());
        Assert.Equal("WS_FULL", listed.GetProperty("status").GetString());
        Assert.Equal(0.25, listed.GetProperty("load").GetDouble(), 3);
        Assert.Equal(0, listed.GetProperty("jobCount").GetInt32());
    }

    [Fact]
    public async Task TwirpDispatch_CreateListDelete_ReachesTheNamedWorker()
    {
        var (worker, _) = await FakeWorker.RegisterAsync(_http, AgentToken(), new RegisterWorkerRequest { Type = JobType.JtRoom, AgentName = "bot" });
        await using var _ = worker;
        using var http = new HttpClient();
        var admin = Token(new VideoGrant { RoomAdmin = true, Room = "twirp-room" });

        async Task<JsonElement> Call(string method, string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _http + "/twirp/livekit.AgentDispatchService/" + method)
            {
                Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            return JsonDocument.Parse(body).RootElement.Clone();
        }

        var created = await Call("CreateDispatch", """{"room":"twirp-room","agent_name":"bot","metadata":"hello"}""");
        var dispatchId = created.GetProperty("id").GetString()!;
        var (offered, _) = await worker.AcceptNextAsync();
        Assert.Equal((dispatchId, "hello", "bot"), (offered.DispatchId, offered.Metadata, offered.AgentName));

        // the auto-created room also got the default (automatic) dispatch, as in livekit-server
        var listed = await Call("ListDispatch", """{"room":"twirp-room"}""");
        var dispatches = listed.GetProperty("agent_dispatches").EnumerateArray().ToList();
        Assert.Equal(2, dispatches.Count);
        var bot = dispatches.Single(d => d.GetProperty("id").GetString() == dispatchId);
        Assert.Equal("JS_RUNNING", bot.GetProperty("state").GetProperty("jobs")[0].GetProperty("state").GetProperty("status").GetString());

        await Call("DeleteDispatch", $$"""{"room":"twirp-room","dispatch_id":"{{dispatchId}}"}""");
        var termination = await worker.ReceiveAsync(ServerMessage.MessageOneofCase.Termination);
        Assert.Equal(offered.Id, termination.Termination.JobId);
    }

    [Fact]
    public async Task Metrics_RenderWorkersJobsClosesAndDispatchLatency()
    {
        var (worker, _) = await FakeWorker.RegisterAsync(_http, AgentToken());
        await using var _ = worker;
        _server.Rooms.CreateRoom(new CreateRoomRequest { Name = "metrics-agents" });
        await worker.AcceptNextAsync();

        var text = Starling.Server.Metrics.PrometheusExporter.Render(_server.Rooms, _server.Agents);

        Assert.Contains("# TYPE starling_agent_workers gauge\nstarling_agent_workers{status=\"available\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("starling_agent_jobs{state=\"running\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("starling_agent_jobs_assigned_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("starling_agent_worker_closes_total{reason=\"register_timeout\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE starling_agent_dispatch_latency_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("starling_agent_dispatch_latency_seconds_bucket{le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("starling_agent_dispatch_latency_seconds_count 1\n", text, StringComparison.Ordinal);
    }
}
