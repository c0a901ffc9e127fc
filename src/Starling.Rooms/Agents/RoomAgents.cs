using Starling.Proto;
using Starling.Protocol.Ids;

namespace Starling.Rooms.Agents;

/// <summary>
/// A room's agent dispatches and the job launches they cause, as livekit-server does it: a room created without explicit
/// agents gets one default dispatch with an empty agent name (automatic dispatch); every dispatch launches one JT_ROOM job,
/// a JT_PARTICIPANT job per non-agent participant that joins and a JT_PUBLISHER job per non-agent participant that first
/// publishes. Called by its <see cref="Room"/> outside the room's lock.
/// </summary>
internal sealed class RoomAgents
{
    private readonly object _gate = new();
    private readonly List<AgentDispatch> _dispatches = [];
    private readonly List<ITimer> _timers = [];
    private readonly Room _room;
    private readonly IAgentDispatcher? _dispatcher;
    private readonly TimeProvider _time;
    private readonly TimeSpan _leaveGrace;

    public RoomAgents(Room room, IAgentDispatcher? dispatcher, TimeProvider time, TimeSpan leaveGrace)
    {
        _room = room;
        _dispatcher = dispatcher;
        _time = time;
        _leaveGrace = leaveGrace;
    }

    /// <summary>At room creation: the explicit dispatches, or the default (automatic) one when there are none.</summary>
    public void Start(IReadOnlyCollection<RoomAgentDispatch> agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        IEnumerable<RoomAgentDispatch> list = agents.Count == 0 ? [new RoomAgentDispatch()] : agents;
        foreach (var agent in list)
        {
            Create(agent.AgentName, agent.Metadata, agent.Attributes, agent.RestartPolicy, agent.Deployment);
        }
    }

    /// <summary>Adds a dispatch and launches its jobs: the room job, and jobs for the participants already in.</summary>
    public AgentDispatch Create(string agentName, string metadata, IReadOnlyDictionary<string, string>? attributes, JobRestartPolicy restartPolicy, string deployment)
    {
        if (WorkerSession.DeploymentError(deployment ?? string.Empty) is { } error)
        {
            throw RoomException.Invalid("deployment " + error);
        }

        Limits.CheckMetadata(metadata ?? string.Empty);
        if (attributes is not null)
        {
            Limits.CheckAttributes(attributes);
        }

        var dispatch = new AgentDispatch
        {
            Id = SidGenerator.New(SidGenerator.AgentDispatch),
            AgentName = agentName ?? string.Empty,
            Room = _room.Name,
            Metadata = metadata ?? string.Empty,
            RestartPolicy = restartPolicy,
            Deployment = deployment ?? string.Empty,
            State = new AgentDispatchState { CreatedAt = _time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000 },
        };
        foreach (var (key, value) in attributes ?? new Dictionary<string, string>())
        {
            dispatch.Attributes[key] = value;
        }

        lock (_gate)
        {
            _dispatches.Add(dispatch);
        }

        var snapshot = Snapshot(dispatch);
        Launch(snapshot, JobType.JtRoom, null);
        foreach (var participant in _room.ListParticipants())
        {
            if (IsDependent(participant))
            {
                continue;
            }

            if (participant.IsPublisher)
            {
                Launch(snapshot, JobType.JtPublisher, participant);
            }

            Launch(snapshot, JobType.JtParticipant, participant);
        }

        return WithJobs(dispatch);
    }

    /// <summary>Removes a dispatch: its jobs end (workers get <c>termination</c>) and its agents are removed after a grace period.</summary>
    public AgentDispatch Delete(string dispatchId)
    {
        AgentDispatch dispatch;
        lock (_gate)
        {
            dispatch = _dispatches.Find(d => d.Id == dispatchId) ?? throw RoomException.NotFound($"dispatch {dispatchId} not found");
            _dispatches.Remove(dispatch);
            dispatch.State.DeletedAt = _time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
        }

        foreach (var identity in _dispatcher?.EndDispatch(_room.Sid, dispatchId) ?? [])
        {
            ScheduleRemoval(identity);
        }

        return WithJobs(dispatch);
    }

    public IReadOnlyList<AgentDispatch> List(string? dispatchId)
    {
        List<AgentDispatch> dispatches;
        lock (_gate)
        {
            dispatches = _dispatches.Where(d => string.IsNullOrEmpty(dispatchId) || d.Id == dispatchId).ToList();
        }

        return dispatches.Select(WithJobs).ToList();
    }

    /// <summary>A non-dependent participant joined: a JT_PARTICIPANT job per dispatch.</summary>
    public void OnJoined(ParticipantInfo participant) => LaunchForAll(JobType.JtParticipant, participant);

    /// <summary>A non-dependent participant published for the first time: a JT_PUBLISHER job per dispatch.</summary>
    public void OnFirstPublish(ParticipantInfo participant) => LaunchForAll(JobType.JtPublisher, participant);

    public void OnLeft(string identity, bool isAgent, long joinedAtMs, DisconnectReason reason) =>
        _dispatcher?.OnParticipantLeft(_room.Sid, identity, isAgent, joinedAtMs, reason);

    /// <summary>The room closed: every job ends.</summary>
    public void OnClosed()
    {
        lock (_gate)
        {
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
        }

        _dispatcher?.EndRoom(_room.Sid);
    }

    /// <summary>Agents and egress do not keep a room open and do not count against max_participants.</summary>
    public static bool IsDependent(ParticipantInfo participant) =>
        participant.Kind is ParticipantInfo.Types.Kind.Agent or ParticipantInfo.Types.Kind.Egress;

    private void LaunchForAll(JobType type, ParticipantInfo participant)
    {
        List<AgentDispatch> dispatches;
        lock (_gate)
        {
            dispatches = _dispatches.Select(Snapshot).ToList();
        }

        foreach (var dispatch in dispatches)
        {
            Launch(dispatch, type, participant);
        }
    }

    private void Launch(AgentDispatch dispatch, JobType type, ParticipantInfo? participant)
    {
        if (_dispatcher is null || _room.IsClosed)
        {
            return;
        }

        _dispatcher.Launch(new JobRequest(_room.ToProto(), dispatch, type, participant));
        if (_room.IsClosed)
        {
            // closed while launching: the room's EndRoom may have run before this job existed
            _dispatcher.EndRoom(_room.Sid);
        }
    }

    private void ScheduleRemoval(string identity)
    {
        ITimer? timer = null;
        timer = _time.CreateTimer(
            _ =>
            {
                lock (_gate)
                {
                    if (timer is not null)
                    {
                        _timers.Remove(timer);
                    }
                }

                timer?.Dispose();
                if (_room.Find(identity) is { IsAgent: true })
                {
                    try
                    {
                        _room.RemoveParticipant(identity);
                    }
                    catch (RoomException)
                    {
                        // it left in the meantime
                    }
                }
            },
            null,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(_leaveGrace, Timeout.InfiniteTimeSpan);
    }

    private static AgentDispatch Snapshot(AgentDispatch dispatch)
    {
        var copy = dispatch.Clone();
        copy.State = null;
        return copy;
    }

    private AgentDispatch WithJobs(AgentDispatch dispatch)
    {
        AgentDispatch copy;
        lock (_gate)
        {
            copy = dispatch.Clone();
        }

        if (_dispatcher is not null)
        {
            copy.State.Jobs.Add(_dispatcher.JobsOf(_room.Sid, dispatch.Id));
        }

        return copy;
    }
}
