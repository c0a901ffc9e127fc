using Starling.Proto;
using Starling.Rooms.Tests.Media;

namespace Starling.Rooms.Tests.Agents;

/// <summary>The dispatch rules of livekit-server: which jobs a room launches, to which workers, and how they end.</summary>
public sealed class RoomAgentsTests : IDisposable
{
    private readonly AgentHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static Starling.Rooms.Media.PublishedTrack Track(Participant owner, string sid) =>
        new(owner, new TrackInfo { Sid = sid, Type = TrackType.Audio }, "0", "audio/opus", 111, 48000, new FakeTransport(), nack: false, TimeSpan.TicksPerSecond);

    [Fact]
    public void RoomWithoutAgents_GetsOneDefaultDispatch_ThatOnlyUnnamedWorkersServe()
    {
        var (_, named) = _h.Worker(agentName: "bot");
        var (_, automatic) = _h.Worker();

        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r" });

        var dispatch = Assert.Single(room.ListDispatches(null));
        Assert.StartsWith("AD_", dispatch.Id, StringComparison.Ordinal);
        Assert.Equal((string.Empty, "r"), (dispatch.AgentName, dispatch.Room));
        Assert.Empty(named.Offers);
        var offer = Assert.Single(automatic.Offers);
        Assert.Equal(dispatch.Id, offer.Job.DispatchId);
    }

    [Fact]
    public void CreateRoomWithAgents_NamedWorkersGetJobs_NoDefaultDispatch()
    {
        var (_, named) = _h.Worker(agentName: "bot");
        var (_, automatic) = _h.Worker();

        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r", Agents = { new RoomAgentDispatch { AgentName = "bot", Metadata = "job-meta", Attributes = { ["x"] = "y" } } } });

        Assert.Equal("bot", Assert.Single(room.ListDispatches(null)).AgentName);
        Assert.Empty(automatic.Offers);
        var job = Assert.Single(named.Offers).Job;
        Assert.Equal(("bot", "job-meta", "y"), (job.AgentName, job.Metadata, job.Attributes["x"]));
    }

    [Fact]
    public void CreateRoom_OnExistingRoom_AddsNoDispatches()
    {
        _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r" });
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r", Agents = { new RoomAgentDispatch { AgentName = "bot" } } });
        Assert.Equal(string.Empty, Assert.Single(room.ListDispatches(null)).AgentName);
    }

    [Fact]
    public void TokenRoomConfigAgents_ApplyWhenTheJoinCreatesTheRoom()
    {
        var (_, named) = _h.Worker(agentName: "bot");
        var config = new RoomConfiguration { Agents = { new RoomAgentDispatch { AgentName = "bot" } } };

        var room = _h.Rooms.GetForJoin("r", config);
        var again = _h.Rooms.GetForJoin("r", new RoomConfiguration { Agents = { new RoomAgentDispatch { AgentName = "other" } } });

        Assert.Same(room, again);
        Assert.Equal("bot", Assert.Single(room.ListDispatches(null)).AgentName);
        Assert.Single(named.Offers);
    }

    [Fact]
    public void CreateDispatch_OnLiveRoom_LaunchesRoomJobAndJobsForParticipantsAlreadyIn()
    {
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r" });
        var alice = AgentHarness.Join(room, "alice");
        room.PublishTrack(Track(alice, "TR_a"));
        AgentHarness.Join(room, "bob");
        AgentHarness.Join(room, "agent-1", ParticipantInfo.Types.Kind.Agent);
        var (_, roomWorker) = _h.Worker(agentName: "bot");
        var (_, participantWorker) = _h.Worker(agentName: "bot", type: JobType.JtParticipant);
        var (_, publisherWorker) = _h.Worker(agentName: "bot", type: JobType.JtPublisher);

        var dispatch = room.CreateDispatch("bot", "m", null, JobRestartPolicy.JrpOnFailure, string.Empty);

        Assert.Single(roomWorker.Offers);
        Assert.Equal(["alice", "bob"], participantWorker.Offers.Select(o => o.Job.Participant.Identity).Order());
        Assert.Equal("alice", Assert.Single(publisherWorker.Offers).Job.Participant.Identity);
        Assert.Equal(4, Assert.Single(room.ListDispatches(dispatch.Id)).State.Jobs.Count);
    }

    [Fact]
    public void ParticipantJoin_LaunchesParticipantJob_AgentsAndEgressDoNot()
    {
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r" });
        var (_, participantWorker) = _h.Worker(type: JobType.JtParticipant);

        AgentHarness.Join(room, "alice");
        AgentHarness.Join(room, "agent-1", ParticipantInfo.Types.Kind.Agent);
        AgentHarness.Join(room, "egress", ParticipantInfo.Types.Kind.Egress);

        var job = Assert.Single(participantWorker.Offers).Job;
        Assert.Equal((JobType.JtParticipant, "alice", "PA_alice"), (job.Type, job.Participant.Identity, job.Participant.Sid));
    }

    [Fact]
    public void FirstPublish_LaunchesPublisherJobOnce()
    {
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r" });
        var (_, publisherWorker) = _h.Worker(type: JobType.JtPublisher);
        var alice = AgentHarness.Join(room, "alice");
        Assert.Empty(publisherWorker.Offers);

        room.PublishTrack(Track(alice, "TR_1"));
        room.PublishTrack(Track(alice, "TR_2"));
        var agent = AgentHarness.Join(room, "agent-1", ParticipantInfo.Types.Kind.Agent);
        room.PublishTrack(Track(agent, "TR_3"));

        var job = Assert.Single(publisherWorker.Offers).Job;
        Assert.Equal((JobType.JtPublisher, "alice"), (job.Type, job.Participant.Identity));
        Assert.True(job.Participant.IsPublisher);
    }

    [Fact]
    public void Deployment_MustMatch()
    {
        var (_, staging) = _h.Worker(agentName: "bot", deployment: "staging");
        var (_, prod) = _h.Worker(agentName: "bot", deployment: "prod");
        _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r", Agents = { new RoomAgentDispatch { AgentName = "bot", Deployment = "prod" } } });
        Assert.Empty(staging.Offers);
        Assert.Equal("prod", Assert.Single(prod.Offers).Job.Deployment);
    }

    [Fact]
    public void Namespaces_OneJobPerNamespaceOfTheRegisteredWorkers()
    {
        var (_, one) = _h.Worker(ns: "ns1");
        var (_, two) = _h.Worker(ns: "ns2");
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r" });
        Assert.Equal("ns1", Assert.Single(one.Offers).Job.Namespace);
        Assert.Equal("ns2", Assert.Single(two.Offers).Job.Namespace);
        Assert.Equal(2, Assert.Single(room.ListDispatches(null)).State.Jobs.Count);
    }

    [Fact]
    public void DeleteDispatch_TerminatesRunningJob_AndRemovesTheAgentAfterItsGrace()
    {
        var (worker, connection) = _h.Worker();
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r" });
        var offer = Assert.Single(connection.Offers);
        AgentHarness.Accept(worker, offer, identity: "agent-1");
        var agentSink = new RecordingSink();
        room.AddParticipant(new Participant("PA_agent", "agent-1", agentSink) { Kind = ParticipantInfo.Types.Kind.Agent });
        AgentHarness.Join(room, "alice");

        var deleted = room.DeleteDispatch(offer.Job.DispatchId);

        Assert.Equal(offer.Job.Id, Assert.Single(connection.Terminations));
        Assert.True(deleted.State.DeletedAt > 0);
        Assert.Equal(JobStatus.JsSuccess, deleted.State.Jobs.Single(j => j.Type == JobType.JtRoom).State.Status);
        Assert.Equal(JobStatus.JsFailed, deleted.State.Jobs.Single(j => j.Type == JobType.JtParticipant).State.Status); // waited for a worker
        Assert.Empty(room.ListDispatches(null));
        Assert.NotNull(room.Find("agent-1"));
        _h.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Null(room.Find("agent-1"));
        Assert.Equal([DisconnectReason.ParticipantRemoved], agentSink.Disconnects);
    }

    [Fact]
    public void DeleteDispatch_UnknownId_IsNotFound()
    {
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r" });
        Assert.Equal(RoomErrorCode.NotFound, Assert.Throws<RoomException>(() => room.DeleteDispatch("AD_nope")).Code);
    }

    [Fact]
    public void RoomClose_TerminatesJobs_AndFailsWaitingOnes()
    {
        var (worker, connection) = _h.Worker();
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r", Agents = { new RoomAgentDispatch(), new RoomAgentDispatch { AgentName = "nobody" } } });
        var offer = Assert.Single(connection.Offers);
        AgentHarness.Accept(worker, offer);

        _h.Rooms.DeleteRoom("r");

        Assert.Equal(offer.Job.Id, Assert.Single(connection.Terminations));
        Assert.Equal(1, _h.Dispatcher.Metrics.JobsEnded(JobStatus.JsSuccess));
        Assert.Equal(1, _h.Dispatcher.Metrics.JobsEnded(JobStatus.JsFailed));
        Assert.Empty(Assert.Single(_h.Dispatcher.ListWorkers()).Jobs);
        Assert.All(_h.Dispatcher.JobCounts().Values, c => Assert.Equal(0, c));
        _ = room;
    }

    [Theory]
    [InlineData(DisconnectReason.ClientInitiated, JobStatus.JsSuccess)]
    [InlineData(DisconnectReason.SignalClose, JobStatus.JsFailed)]
    [InlineData(DisconnectReason.ParticipantRemoved, JobStatus.JsFailed)]
    public void AgentLeaves_EndsItsJob_StatusFromTheLeaveReason(DisconnectReason reason, JobStatus expected)
    {
        var (worker, connection) = _h.Worker();
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r" });
        var offer = Assert.Single(connection.Offers);
        AgentHarness.Accept(worker, offer, identity: "agent-1");
        var agent = AgentHarness.Join(room, "agent-1", ParticipantInfo.Types.Kind.Agent);

        room.Leave(agent, reason);

        var job = Assert.Single(Assert.Single(room.ListDispatches(null)).State.Jobs);
        Assert.Equal(expected, job.State.Status);
        Assert.Equal(offer.Job.Id, Assert.Single(connection.Terminations));
    }

    [Fact]
    public void AgentReplacedByDuplicateIdentity_KeepsTheJob()
    {
        var (worker, connection) = _h.Worker();
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r" });
        AgentHarness.Accept(worker, Assert.Single(connection.Offers), identity: "agent-1");
        AgentHarness.Join(room, "agent-1", ParticipantInfo.Types.Kind.Agent);
        AgentHarness.Join(room, "agent-1", ParticipantInfo.Types.Kind.Agent);
        Assert.Equal(JobStatus.JsRunning, Assert.Single(Assert.Single(room.ListDispatches(null)).State.Jobs).State.Status);
    }

    [Fact]
    public void AgentOfAFailedWorker_LeavingAfterTheJobMoved_DoesNotEndTheNewAssignment()
    {
        var (first, firstConnection) = _h.Worker();
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r" });
        var offer = Assert.Single(firstConnection.Offers);
        AgentHarness.Accept(first, offer, identity: "agent-1");
        var leftover = AgentHarness.Join(room, "agent-1", ParticipantInfo.Types.Kind.Agent);
        var (second, secondConnection) = _h.Worker();
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        first.OnDisconnected();
        AgentHarness.Accept(second, Assert.Single(secondConnection.Offers), identity: "agent-1");

        room.Leave(leftover, DisconnectReason.ConnectionTimeout);

        var job = Assert.Single(Assert.Single(room.ListDispatches(null)).State.Jobs);
        Assert.Equal((JobStatus.JsRunning, second.Worker!.Id), (job.State.Status, job.State.WorkerId));
        Assert.Empty(secondConnection.Terminations);
    }

    [Fact]
    public void WaitingParticipantJob_IsDroppedWhenTheParticipantLeaves()
    {
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r" });
        var alice = AgentHarness.Join(room, "alice");
        room.Leave(alice, DisconnectReason.ClientInitiated);
        var (_, late) = _h.Worker(type: JobType.JtParticipant);
        Assert.Empty(late.Offers);
    }

    [Fact]
    public void RoomWithOnlyAgentsLeft_ClosesAfterDepartureTimeout()
    {
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r", DepartureTimeout = 5 });
        var alice = AgentHarness.Join(room, "alice");
        var agentSink = new RecordingSink();
        room.AddParticipant(new Participant("PA_agent", "agent-1", agentSink) { Kind = ParticipantInfo.Types.Kind.Agent });
        Assert.Equal(1u, room.ToProto().NumParticipants);

        room.Leave(alice, DisconnectReason.ClientInitiated);
        _h.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.NotNull(_h.Rooms.Find("r"));
        _h.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(_h.Rooms.Find("r"));
        Assert.Equal([DisconnectReason.RoomClosed], agentSink.Disconnects);
    }

    [Fact]
    public void RoomWithOnlyAnAgent_NeverJoinedByOthers_ClosesAfterEmptyTimeout()
    {
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r", EmptyTimeout = 10 });
        AgentHarness.Join(room, "agent-1", ParticipantInfo.Types.Kind.Agent);
        _h.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(_h.Rooms.Find("r"));
    }

    [Fact]
    public void MaxParticipants_DoesNotCountAgents()
    {
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r", MaxParticipants = 1 });
        AgentHarness.Join(room, "agent-1", ParticipantInfo.Types.Kind.Agent);
        AgentHarness.Join(room, "alice");
        AgentHarness.Join(room, "agent-2", ParticipantInfo.Types.Kind.Agent);
        Assert.Equal(RoomErrorCode.ResourceExhausted, Assert.Throws<RoomException>(() => AgentHarness.Join(room, "bob")).Code);
    }

    [Fact]
    public void CreateDispatch_InvalidDeployment_IsInvalidArgument()
    {
        var room = _h.Rooms.CreateRoom(new CreateRoomRequest { Name = "r" });
        var ex = Assert.Throws<RoomException>(() => room.CreateDispatch("bot", string.Empty, null, JobRestartPolicy.JrpOnFailure, "a_b"));
        Assert.Equal(RoomErrorCode.InvalidArgument, ex.Code);
    }
}
