using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Rooms.Agents;

namespace Starling.Rooms.Tests.Agents;

public sealed class AgentDispatcherTests : IDisposable
{
    private readonly AgentHarness _h = new();

    public void Dispose() => _h.Dispose();

    private Room CreateRoom(string name = "r") => _h.Rooms.CreateRoom(new CreateRoomRequest { Name = name });

    private Job OnlyJob(Room room) => Assert.Single(Assert.Single(room.ListDispatches(null)).State.Jobs);

    [Fact]
    public void Accept_SendsAssignmentWithAgentToken_AndJobRuns()
    {
        var (session, connection) = _h.Worker();
        var room = CreateRoom();
        var offer = Assert.Single(connection.Offers);
        Assert.Equal((JobType.JtRoom, "r", JobStatus.JsRunning, session.Worker!.Id), (offer.Job.Type, offer.Job.Room.Name, offer.Job.State.Status, offer.Job.State.WorkerId));
        Assert.StartsWith("AJ_", offer.Job.Id, StringComparison.Ordinal);
        Assert.Equal(JobStatus.JsPending, OnlyJob(room).State.Status);

        session.Handle(new WorkerMessage
        {
            Availability = new AvailabilityResponse
            {
                JobId = offer.Job.Id, Available = true, ParticipantIdentity = "agent-x", ParticipantName = "Bot", ParticipantMetadata = "m",
                ParticipantAttributes = { ["a"] = "b" },
            },
        });

        var assignment = Assert.Single(connection.Assignments);
        Assert.Equal(offer.Job.Id, assignment.Job.Id);
        Assert.False(assignment.HasUrl);
        var claims = AccessTokenCodec.Verify(assignment.Token, k => k == "devkey" ? "secret" : null, _h.Time.GetUtcNow());
        Assert.Equal(("agent-x", "Bot", "m", "agent"), (claims.Identity, claims.Name, claims.Metadata, claims.Kind));
        Assert.Equal(new Dictionary<string, string> { ["a"] = "b", ["lk.agent_name"] = string.Empty }, claims.Attributes);
        Assert.Equal(_h.Time.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), claims.Expires);
        Assert.Equal(new VideoGrant { RoomJoin = true, Agent = true, Room = "r", CanSubscribe = true, CanPublish = true, CanPublishData = true, CanUpdateOwnMetadata = true, CanSubscribeMetrics = false, Hidden = false }, claims.Video);
        var job = OnlyJob(room);
        Assert.Equal((JobStatus.JsRunning, "agent-x", session.Worker.Id), (job.State.Status, job.State.ParticipantIdentity, job.State.WorkerId));
        Assert.Equal(job.Id, Assert.Single(Assert.Single(_h.Dispatcher.ListWorkers()).Jobs));
        Assert.Equal(1, _h.Dispatcher.Metrics.DispatchLatency.Count);
    }

    [Fact]
    public void Accept_WithoutIdentity_UsesAgentDashJobId()
    {
        var (session, connection) = _h.Worker();
        CreateRoom();
        var offer = Assert.Single(connection.Offers);
        session.Handle(new WorkerMessage { Availability = new AvailabilityResponse { JobId = offer.Job.Id, Available = true } });
        var claims = AccessTokenCodec.DecodeUnverified(Assert.Single(connection.Assignments).Token);
        Assert.Equal("agent-" + offer.Job.Id, claims.Identity);
    }

    [Fact]
    public void AllowedPermissions_BecomeTheAgentGrants()
    {
        var (session, connection) = _h.Connect();
        session.Handle(new WorkerMessage
        {
            Register = new RegisterWorkerRequest
            {
                AllowedPermissions = new ParticipantPermission { CanSubscribe = true, CanPublish = false, CanPublishData = true, Hidden = true, Agent = true, CanPublishSources = { TrackSource.Microphone } },
            },
        });
        CreateRoom();
        AgentHarness.Accept(session, Assert.Single(connection.Offers));
        var video = AccessTokenCodec.DecodeUnverified(Assert.Single(connection.Assignments).Token).Video!;
        Assert.Equal((true, false, true, true, false), (video.CanSubscribe, video.CanPublish, video.CanPublishData, video.Hidden, video.CanUpdateOwnMetadata));
        Assert.Equal(["microphone"], video.CanPublishSources);
    }

    [Fact]
    public void WorkerNeverAnswers_After10Seconds_NextWorkerGetsTheJob()
    {
        var (_, silent) = _h.Worker();
        var (next, nextConnection) = _h.Worker();
        var room = CreateRoom();
        var offer = Assert.Single(silent.Offers);
        Assert.Empty(nextConnection.Offers);

        _h.Time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Empty(nextConnection.Offers);
        _h.Time.Advance(TimeSpan.FromMilliseconds(100));

        var second = Assert.Single(nextConnection.Offers);
        Assert.Equal(offer.Job.Id, second.Job.Id);
        AgentHarness.Accept(next, second);
        Assert.Single(nextConnection.Assignments);
        Assert.Empty(silent.Assignments);
        Assert.Equal(next.Worker!.Id, OnlyJob(room).State.WorkerId);
    }

    [Fact]
    public void LateAnswer_AfterTimeout_IsIgnored()
    {
        var (slow, slowConnection) = _h.Worker();
        var (_, otherConnection) = _h.Worker();
        CreateRoom();
        var offer = Assert.Single(slowConnection.Offers);
        _h.Time.Advance(TimeSpan.FromSeconds(10));
        AgentHarness.Accept(slow, offer);
        Assert.Empty(slowConnection.Assignments);
        Assert.Single(otherConnection.Offers);
    }

    [Fact]
    public void Decline_NextWorkerGetsTheJob()
    {
        var (first, firstConnection) = _h.Worker();
        var (_, secondConnection) = _h.Worker();
        CreateRoom();
        AgentHarness.Decline(first, Assert.Single(firstConnection.Offers));
        Assert.Single(secondConnection.Offers);
    }

    [Fact]
    public void FullOrFullyLoadedWorker_IsNotOffered_AvailableOneIs()
    {
        var (full, fullConnection) = _h.Worker();
        AgentHarness.Report(full, 0.1f, WorkerStatus.WsFull);
        var (overloaded, overloadedConnection) = _h.Worker();
        AgentHarness.Report(overloaded, 1.0f);
        var (_, freeConnection) = _h.Worker();
        CreateRoom();
        Assert.Empty(fullConnection.Offers);
        Assert.Empty(overloadedConnection.Offers);
        Assert.Single(freeConnection.Offers);
    }

    [Fact]
    public void OnlyWorkerFull_JobWaits_UntilItReportsAvailable()
    {
        var (worker, connection) = _h.Worker();
        AgentHarness.Report(worker, 0.9f, WorkerStatus.WsFull);
        var room = CreateRoom();
        Assert.Empty(connection.Offers);
        Assert.Equal(JobStatus.JsPending, OnlyJob(room).State.Status);

        AgentHarness.Report(worker, 0.2f, WorkerStatus.WsAvailable);

        Assert.Single(connection.Offers);
    }

    [Fact]
    public void NoWorker_JobWaits_AndIsAssignedWhenAMatchingWorkerRegisters()
    {
        var room = CreateRoom();
        Assert.Equal(JobStatus.JsPending, OnlyJob(room).State.Status);
        Assert.Equal(1, _h.Dispatcher.JobCounts()["pending"]);
        _h.Time.Advance(TimeSpan.FromSeconds(30));

        var (_, namedConnection) = _h.Worker(agentName: "someone-else");
        Assert.Empty(namedConnection.Offers);
        var (worker, connection) = _h.Worker();

        var offer = Assert.Single(connection.Offers);
        Assert.Equal(OnlyJob(room).Id, offer.Job.Id);
        AgentHarness.Accept(worker, offer);
        Assert.Equal(JobStatus.JsRunning, OnlyJob(room).State.Status);
        Assert.Equal(30, _h.Dispatcher.Metrics.DispatchLatency.SumSeconds, 3);
    }

    [Fact]
    public void EveryWorkerDeclined_JobWaits_ForANewWorker()
    {
        var (only, onlyConnection) = _h.Worker();
        var room = CreateRoom();
        AgentHarness.Decline(only, Assert.Single(onlyConnection.Offers));
        Assert.Equal(JobStatus.JsPending, OnlyJob(room).State.Status);

        var (_, lateConnection) = _h.Worker();
        Assert.Single(lateConnection.Offers);
        Assert.Single(onlyConnection.Offers);
    }

    [Fact]
    public void Choice_PrefersBelowTargetLoad_ThenLowestLoad()
    {
        var (a, aConnection) = _h.Worker();
        AgentHarness.Report(a, 0.5f);
        var (b, bConnection) = _h.Worker();
        AgentHarness.Report(b, 0.3f);
        var (c, cConnection) = _h.Worker();
        AgentHarness.Report(c, 0.72f);

        CreateRoom("r1");
        Assert.Single(bConnection.Offers);
        AgentHarness.Report(b, 0.95f);
        AgentHarness.Report(a, 0.75f);
        CreateRoom("r2");
        Assert.Single(cConnection.Offers); // both over the 0.7 target: the lower of them
        Assert.Empty(aConnection.Offers);
    }

    [Fact]
    public void EqualLoad_JobsAreSpreadAcrossWorkers()
    {
        var (_, aConnection) = _h.Worker();
        var (_, bConnection) = _h.Worker();
        CreateRoom("r1");
        CreateRoom("r2");
        Assert.Single(aConnection.Offers);
        Assert.Single(bConnection.Offers);
    }

    [Fact]
    public void WorkerDisconnects_OnFailurePolicy_JobIsDispatchedAgainToAnotherWorker()
    {
        var (first, firstConnection) = _h.Worker();
        var room = CreateRoom();
        AgentHarness.Accept(first, Assert.Single(firstConnection.Offers));
        var jobId = OnlyJob(room).Id;
        var (second, secondConnection) = _h.Worker();

        first.OnDisconnected();

        var offer = Assert.Single(secondConnection.Offers);
        Assert.Equal(jobId, offer.Job.Id);
        Assert.True(offer.Resuming);
        Assert.Equal(JobStatus.JsPending, OnlyJob(room).State.Status);
        AgentHarness.Accept(second, offer);
        Assert.Equal(second.Worker!.Id, OnlyJob(room).State.WorkerId);
    }

    [Fact]
    public void WorkerDisconnects_NeverPolicy_JobFails()
    {
        var (worker, connection) = _h.Worker(agentName: "bot");
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r", Agents = { new RoomAgentDispatch { AgentName = "bot", RestartPolicy = JobRestartPolicy.JrpNever } } });
        AgentHarness.Accept(worker, Assert.Single(connection.Offers));
        _h.Worker(agentName: "bot");

        worker.OnDisconnected();

        var job = OnlyJob(room);
        Assert.Equal(JobStatus.JsFailed, job.State.Status);
        Assert.Equal("agent worker disconnected", job.State.Error);
        Assert.Equal(1, _h.Dispatcher.Metrics.JobsEnded(JobStatus.JsFailed));
    }

    [Fact]
    public void OfferedWorkerDisconnects_NextWorkerIsAsked()
    {
        var (first, firstConnection) = _h.Worker();
        var (_, secondConnection) = _h.Worker();
        CreateRoom();
        Assert.Single(firstConnection.Offers);
        first.OnDisconnected();
        Assert.Single(secondConnection.Offers);
    }

    [Theory]
    [InlineData(JobStatus.JsSuccess, "")]
    [InlineData(JobStatus.JsFailed, "boom")]
    public void UpdateJob_Ended_EndsTheJob(JobStatus status, string error)
    {
        var (worker, connection) = _h.Worker();
        var room = CreateRoom();
        AgentHarness.Accept(worker, Assert.Single(connection.Offers));
        var jobId = OnlyJob(room).Id;

        worker.Handle(new WorkerMessage { UpdateJob = new UpdateJobStatus { JobId = jobId, Status = JobStatus.JsRunning } });
        Assert.Equal(JobStatus.JsRunning, OnlyJob(room).State.Status);
        worker.Handle(new WorkerMessage { UpdateJob = new UpdateJobStatus { JobId = jobId, Status = status, Error = error } });

        var job = OnlyJob(room);
        Assert.Equal((status, error), (job.State.Status, job.State.Error));
        Assert.True(job.State.EndedAt > 0);
        Assert.Empty(Assert.Single(_h.Dispatcher.ListWorkers()).Jobs);
    }

    [Fact]
    public void UpdateJob_FromAnotherWorker_IsIgnored()
    {
        var (worker, connection) = _h.Worker();
        var (other, _) = _h.Worker(agentName: "x");
        var room = CreateRoom();
        AgentHarness.Accept(worker, Assert.Single(connection.Offers));
        other.Handle(new WorkerMessage { UpdateJob = new UpdateJobStatus { JobId = OnlyJob(room).Id, Status = JobStatus.JsFailed } });
        Assert.Equal(JobStatus.JsRunning, OnlyJob(room).State.Status);
    }

    [Fact]
    public void TerminateAnswer_EndsTheJobAsSuccess()
    {
        var (worker, connection) = _h.Worker();
        var room = CreateRoom();
        worker.Handle(new WorkerMessage { Availability = new AvailabilityResponse { JobId = Assert.Single(connection.Offers).Job.Id, Terminate = true } });
        Assert.Equal(JobStatus.JsSuccess, OnlyJob(room).State.Status);
        Assert.Empty(connection.Assignments);
    }
}
