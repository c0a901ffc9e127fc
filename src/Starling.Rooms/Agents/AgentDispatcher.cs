using Microsoft.Extensions.Logging;
using Starling.Proto;
using Starling.Protocol.Ids;

namespace Starling.Rooms.Agents;

/// <summary>
/// The node's agent workers and jobs: registration, assignment and the job lifecycle. A job is offered to one worker at a
/// time (<see cref="WorkerSelector"/>); a worker that declines or does not answer within
/// <see cref="AgentOptions.AvailabilityTimeout"/> is skipped for it; with no worker left the job waits until a matching
/// worker registers or becomes available. State changes happen under one short lock; messages to workers and log lines
/// are queued while it is held and go out after it is released, in order.
/// </summary>
internal sealed partial class AgentDispatcher : IAgentDispatcher
{
    private readonly object _gate = new();
    private readonly Dictionary<string, AgentWorker> _workers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentJob> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AgentJob>> _jobsByRoom = new(StringComparer.Ordinal);
    private readonly LinkedList<AgentJob> _waiting = new();
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _sequence;

    public AgentDispatcher(AgentOptions options, TimeProvider time, ILogger<AgentDispatcher> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    public AgentOptions Options => _options;

    public TimeProvider Time => _time;

    public AgentMetrics Metrics { get; } = new();

    // ------------------------------------------------------------------ workers

    /// <summary>A worker that registered (its register response is already queued): it joins the pool and gets waiting jobs.</summary>
    public AgentWorker Add(RegisterWorkerRequest registration, string apiKey, string apiSecret, IWorkerConnection connection, string workerId)
    {
        var outbox = new List<Action>();
        AgentWorker worker;
        lock (_gate)
        {
            worker = new AgentWorker(workerId, registration, apiKey, apiSecret, connection, _time.GetUtcNow(), ++_sequence);
            _workers[worker.Id] = worker;
            ServeWaitingLocked(worker, outbox);
        }

        Run(outbox);
        return worker;
    }

    /// <summary>A worker's connection ended: its offers go to the next worker, its jobs restart (JRP_ON_FAILURE) or fail.</summary>
    public void Remove(AgentWorker worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var outbox = new List<Action>();
        lock (_gate)
        {
            if (!_workers.Remove(worker.Id))
            {
                return;
            }

            worker.Closed = true;
            foreach (var job in _jobs.Values.Where(j => j.OfferedTo == worker).ToList())
            {
                ClearOfferLocked(job);
                job.Attempted.Add(worker);
                TryAssignLocked(job, outbox);
            }

            foreach (var job in worker.Jobs.ToList())
            {
                worker.Jobs.Remove(job);
                job.Worker = null;
                if (job.RestartPolicy == JobRestartPolicy.JrpOnFailure)
                {
                    RequeueLocked(job, worker, outbox);
                }
                else
                {
                    EndLocked(job, JobStatus.JsFailed, "agent worker disconnected", "worker disconnected", sendTermination: false, outbox);
                }
            }
        }

        Run(outbox);
    }

    /// <summary>UpdateWorkerStatus: status and load; a worker that becomes eligible is offered the waiting jobs (again).</summary>
    public void OnUpdateWorker(AgentWorker worker, UpdateWorkerStatus update)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(update);
        var outbox = new List<Action>();
        lock (_gate)
        {
            var wasEligible = worker.IsEligible;
            if (update.HasStatus)
            {
                worker.Status = update.Status;
            }

            worker.Load = float.IsFinite(update.Load) ? Math.Max(0f, update.Load) : 1f;
            worker.ReportedJobCount = update.JobCount;
            if (!wasEligible && worker.IsEligible)
            {
                foreach (var job in _waiting)
                {
                    job.Attempted.Remove(worker);
                }

                ServeWaitingLocked(worker, outbox);
            }
        }

        Run(outbox);
    }

    /// <summary>AvailabilityResponse: accept (assignment with a fresh agent token), decline (next worker) or terminate.</summary>
    public void OnAvailability(AgentWorker worker, AvailabilityResponse answer)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(answer);
        var outbox = new List<Action>();
        lock (_gate)
        {
            if (!_jobs.TryGetValue(answer.JobId, out var job) || job.OfferedTo != worker)
            {
                outbox.Add(() => LogUnexpectedAvailability(_logger, worker.Id, answer.JobId));
            }
            else
            {
                ClearOfferLocked(job);
                if (answer.Terminate)
                {
                    EndLocked(job, JobStatus.JsSuccess, string.Empty, "worker answered terminate", sendTermination: false, outbox);
                }
                else if (!answer.Available)
                {
                    job.Attempted.Add(worker);
                    outbox.Add(() => LogDeclined(_logger, job.Id, worker.Id));
                    TryAssignLocked(job, outbox);
                }
                else
                {
                    AssignLocked(job, worker, answer, outbox);
                }
            }
        }

        Run(outbox);
    }

    /// <summary>UpdateJobStatus from the worker running the job; SUCCESS or FAILED end it.</summary>
    public void OnUpdateJob(AgentWorker worker, UpdateJobStatus update)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(update);
        var outbox = new List<Action>();
        lock (_gate)
        {
            if (!_jobs.TryGetValue(update.JobId, out var job) || job.Worker != worker || job.Ended)
            {
                outbox.Add(() => LogUnknownJobUpdate(_logger, worker.Id, update.JobId));
            }
            else if (update.Status is JobStatus.JsSuccess or JobStatus.JsFailed)
            {
                EndLocked(job, update.Status, update.Error, "update_job", sendTermination: false, outbox);
            }
            else
            {
                job.Job.State.Status = update.Status;
                job.Job.State.Error = update.Error;
                job.Job.State.UpdatedAt = NowNanos();
            }
        }

        Run(outbox);
    }

    public IReadOnlyList<WorkerSnapshot> ListWorkers()
    {
        lock (_gate)
        {
            return _workers.Values
                .OrderBy(w => w.Sequence)
                .Select(w => new WorkerSnapshot(
                    w.Id, w.AgentName, w.Namespace, w.Deployment, w.Version, w.JobType, w.Status, w.Load, w.ReportedJobCount, w.RegisteredAt,
                    w.Jobs.Select(j => j.Id).Order(StringComparer.Ordinal).ToList()))
                .ToList();
        }
    }

    /// <summary>Jobs of open rooms by phase: pending, offered, running, success, failed.</summary>
    public IReadOnlyDictionary<string, long> JobCounts()
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["pending"] = 0, ["offered"] = 0, ["running"] = 0, ["success"] = 0, ["failed"] = 0,
        };
        lock (_gate)
        {
            foreach (var job in _jobs.Values)
            {
                counts[job.Phase]++;
            }
        }

        return counts;
    }

    /// <summary>Server shutdown: every worker connection is closed.</summary>
    public void CloseAll()
    {
        List<AgentWorker> workers;
        lock (_gate)
        {
            workers = [.. _workers.Values];
        }

        foreach (var worker in workers)
        {
            worker.Connection.Close(WorkerCloseReason.Shutdown, "server shutting down");
        }
    }

    // ------------------------------------------------------------------ rooms (IAgentDispatcher)

    public void Launch(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outbox = new List<Action>();
        lock (_gate)
        {
            var dispatch = request.Dispatch;
            var namespaces = _workers.Values
                .Where(w => w.AgentName == dispatch.AgentName && w.JobType == request.Type && w.Deployment == dispatch.Deployment)
                .Select(w => w.Namespace)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
            var bound = namespaces.Count > 0;
            if (!bound)
            {
                namespaces.Add(string.Empty);
            }

            foreach (var ns in namespaces)
            {
                var job = new Job
                {
                    Id = SidGenerator.New(SidGenerator.AgentJob),
                    DispatchId = dispatch.Id,
                    Type = request.Type,
                    Room = request.Room.Clone(),
                    Participant = request.Participant?.Clone(),
                    Namespace = ns,
                    Metadata = dispatch.Metadata,
                    AgentName = dispatch.AgentName,
                    State = new JobState { Status = JobStatus.JsPending, UpdatedAt = NowNanos() },
                    EnableRecording = _options.EnableUserDataRecording,
                    EnableRedaction = _options.EnableUserDataRedaction,
                    Deployment = dispatch.Deployment,
                };
                job.Attributes.Add(dispatch.Attributes);
                var agentJob = new AgentJob(job, dispatch.RestartPolicy, bound, _time.GetTimestamp());
                _jobs[job.Id] = agentJob;
                if (!_jobsByRoom.TryGetValue(agentJob.RoomSid, out var list))
                {
                    _jobsByRoom[agentJob.RoomSid] = list = [];
                }

                list.Add(agentJob);
                TryAssignLocked(agentJob, outbox);
            }
        }

        Run(outbox);
    }

    public void OnParticipantLeft(string roomSid, string identity, bool isAgent, long joinedAtMs, DisconnectReason reason)
    {
        var outbox = new List<Action>();
        lock (_gate)
        {
            foreach (var job in RoomJobsLocked(roomSid))
            {
                if (job.Ended)
                {
                    continue;
                }

                if (isAgent && job.Worker is not null && job.Job.State.ParticipantIdentity == identity && reason != DisconnectReason.DuplicateIdentity
                    && joinedAtMs * 1_000_000 >= job.Job.State.StartedAt)
                {
                    var clean = reason == DisconnectReason.ClientInitiated;
                    EndLocked(
                        job,
                        clean ? JobStatus.JsSuccess : JobStatus.JsFailed,
                        clean ? string.Empty : $"agent left the room ({reason})",
                        "agent left: " + reason,
                        sendTermination: true,
                        outbox);
                }
                else if (!isAgent && job.Worker is null && job.Job.Participant?.Identity == identity)
                {
                    EndLocked(job, JobStatus.JsFailed, "the participant left before a worker took the job", "participant left", sendTermination: false, outbox);
                }
            }
        }

        Run(outbox);
    }

    public IReadOnlyList<string> EndDispatch(string roomSid, string dispatchId)
    {
        var outbox = new List<Action>();
        var identities = new List<string>();
        lock (_gate)
        {
            foreach (var job in RoomJobsLocked(roomSid))
            {
                if (job.Ended || job.Job.DispatchId != dispatchId)
                {
                    continue;
                }

                if (job.Worker is not null)
                {
                    identities.Add(job.Job.State.ParticipantIdentity);
                    EndLocked(job, JobStatus.JsSuccess, string.Empty, "dispatch deleted", sendTermination: true, outbox);
                }
                else
                {
                    EndLocked(job, JobStatus.JsFailed, "the dispatch was deleted before a worker took the job", "dispatch deleted", sendTermination: false, outbox);
                }
            }
        }

        Run(outbox);
        return identities;
    }

    public void EndRoom(string roomSid)
    {
        var outbox = new List<Action>();
        lock (_gate)
        {
            if (!_jobsByRoom.Remove(roomSid, out var jobs))
            {
                return;
            }

            foreach (var job in jobs)
            {
                if (!job.Ended)
                {
                    if (job.Worker is not null)
                    {
                        EndLocked(job, JobStatus.JsSuccess, string.Empty, "room closed", sendTermination: true, outbox);
                    }
                    else
                    {
                        EndLocked(job, JobStatus.JsFailed, "the room closed before a worker took the job", "room closed", sendTermination: false, outbox);
                    }
                }

                _jobs.Remove(job.Id);
            }
        }

        Run(outbox);
    }

    public IReadOnlyList<Job> JobsOf(string roomSid, string dispatchId)
    {
        lock (_gate)
        {
            return RoomJobsLocked(roomSid).Where(j => j.Job.DispatchId == dispatchId).Select(j => j.Job.Clone()).ToList();
        }
    }

    // ------------------------------------------------------------------ assignment

    /// <summary>Offers the waiting jobs <paramref name="trigger"/> serves (it registered or became eligible), oldest first.</summary>
    private void ServeWaitingLocked(AgentWorker trigger, List<Action> outbox)
    {
        foreach (var job in _waiting.Where(trigger.Serves).ToList())
        {
            TryAssignLocked(job, outbox);
        }
    }

    private void TryAssignLocked(AgentJob job, List<Action> outbox)
    {
        if (job.Ended || job.Worker is not null || job.OfferedTo is not null)
        {
            return;
        }

        var worker = WorkerSelector.Choose(_workers.Values, job, _options.TargetLoad);
        if (worker is null)
        {
            if (job.WaitingNode is null)
            {
                job.WaitingNode = _waiting.AddLast(job);
                outbox.Add(() => LogWaiting(_logger, job.Id, ProtoNames.Of(job.Job.Type), job.Job.Room.Name, job.Job.AgentName));
            }

            return;
        }

        StopWaitingLocked(job);
        job.OfferedTo = worker;
        worker.Offers++;
        var sequence = ++job.OfferSequence;
        job.OfferTimer = _time.CreateTimer(_ => OnOfferTimeout(job, sequence), null, _options.AvailabilityTimeout, Timeout.InfiniteTimeSpan);
        var offered = job.Job.Clone();
        var now = NowNanos();
        offered.Namespace = job.NamespaceBound ? offered.Namespace : worker.Namespace;
        offered.State.Status = JobStatus.JsRunning;
        offered.State.WorkerId = worker.Id;
        offered.State.StartedAt = now;
        offered.State.UpdatedAt = now;
        var message = new ServerMessage { Availability = new AvailabilityRequest { Job = offered, Resuming = job.Resuming } };
        outbox.Add(() => worker.Connection.Send(message));
    }

    private void OnOfferTimeout(AgentJob job, int sequence)
    {
        var outbox = new List<Action>();
        lock (_gate)
        {
            if (job.OfferSequence != sequence || job.OfferedTo is not { } worker)
            {
                return;
            }

            ClearOfferLocked(job);
            job.Attempted.Add(worker);
            outbox.Add(() => LogAvailabilityTimeout(_logger, job.Id, worker.Id, _options.AvailabilityTimeout.TotalSeconds));
            TryAssignLocked(job, outbox);
        }

        Run(outbox);
    }

    private void AssignLocked(AgentJob job, AgentWorker worker, AvailabilityResponse answer, List<Action> outbox)
    {
        var identity = answer.ParticipantIdentity.Length > 0 ? answer.ParticipantIdentity : "agent-" + job.Id;
        if (identity.Length > Limits.MaxNameLength)
        {
            job.Attempted.Add(worker);
            outbox.Add(() => LogBadIdentity(_logger, job.Id, worker.Id));
            TryAssignLocked(job, outbox);
            return;
        }

        if (!job.NamespaceBound)
        {
            job.Job.Namespace = worker.Namespace;
            job.NamespaceBound = true;
        }

        var now = _time.GetUtcNow();
        var state = job.Job.State;
        state.Status = JobStatus.JsRunning;
        state.Error = string.Empty;
        state.WorkerId = worker.Id;
        state.ParticipantIdentity = identity;
        state.StartedAt = Nanos(now);
        state.UpdatedAt = Nanos(now);
        state.EndedAt = 0;
        job.Worker = worker;
        job.Resuming = false;
        worker.Jobs.Add(job);
        var timestamp = _time.GetTimestamp();
        job.AssignedTimestamp = timestamp;
        var latency = _time.GetElapsedTime(job.CreatedTimestamp, timestamp);
        Metrics.DispatchLatency.Observe(latency);
        Metrics.CountAssigned();
        var token = AgentTokenMinter.Mint(worker, job.Job.Room.Name, answer, identity, now, _options.AgentTokenTtl);
        var message = new ServerMessage { Assignment = new JobAssignment { Job = job.Job.Clone(), Token = token } };
        var j = job.Job;
        outbox.Add(() => worker.Connection.Send(message));
        outbox.Add(() => LogJobStarted(_logger, j.Id, ProtoNames.Of(j.Type), j.Room.Name, j.DispatchId, j.AgentName, worker.Id, identity, (long)latency.TotalMilliseconds));
    }

    private void RequeueLocked(AgentJob job, AgentWorker lost, List<Action> outbox)
    {
        var state = job.Job.State;
        state.Status = JobStatus.JsPending;
        state.WorkerId = string.Empty;
        state.Error = "agent worker disconnected; dispatching again";
        state.UpdatedAt = NowNanos();
        job.Resuming = true;
        job.Attempted.Clear();
        job.Attempted.Add(lost);
        job.AssignedTimestamp = null;
        job.CreatedTimestamp = _time.GetTimestamp();
        outbox.Add(() => LogRequeued(_logger, job.Id, lost.Id));
        TryAssignLocked(job, outbox);
    }

    private void StopWaitingLocked(AgentJob job)
    {
        if (job.WaitingNode is { } node)
        {
            _waiting.Remove(node);
            job.WaitingNode = null;
        }
    }

    private static void ClearOfferLocked(AgentJob job)
    {
        if (job.OfferedTo is { } worker)
        {
            worker.Offers--;
        }

        job.OfferedTo = null;
        job.OfferTimer?.Dispose();
        job.OfferTimer = null;
    }

    private void EndLocked(AgentJob job, JobStatus status, string error, string reason, bool sendTermination, List<Action> outbox)
    {
        ClearOfferLocked(job);
        StopWaitingLocked(job);
        var now = NowNanos();
        var state = job.Job.State;
        state.Status = status;
        state.Error = error ?? string.Empty;
        state.EndedAt = now;
        state.UpdatedAt = now;
        var worker = job.Worker;
        job.Worker = null;
        if (worker is not null)
        {
            worker.Jobs.Remove(job);
            if (sendTermination && !worker.Closed)
            {
                var termination = new ServerMessage { Termination = new JobTermination { JobId = job.Id } };
                outbox.Add(() => worker.Connection.Send(termination));
            }
        }

        Metrics.CountEnded(status);
        var duration = job.AssignedTimestamp is { } assigned ? (long)_time.GetElapsedTime(assigned).TotalMilliseconds : 0;
        var j = job.Job;
        var statusName = ProtoNames.Of(status);
        outbox.Add(() => LogJobEnded(_logger, j.Id, ProtoNames.Of(j.Type), j.Room.Name, j.DispatchId, j.AgentName, worker?.Id ?? string.Empty, statusName, reason, duration));
    }

    private List<AgentJob> RoomJobsLocked(string roomSid) =>
        _jobsByRoom.TryGetValue(roomSid, out var jobs) ? jobs : [];

    private long NowNanos() => Nanos(_time.GetUtcNow());

    /// <summary>livekit-server stamps job and dispatch times in unix nanoseconds.</summary>
    private static long Nanos(DateTimeOffset time) => time.ToUnixTimeMilliseconds() * 1_000_000;

    private static void Run(List<Action> outbox)
    {
        foreach (var action in outbox)
        {
            action();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "agent job started: job={JobId} type={JobType} room={Room} dispatch={DispatchId} agent_name={AgentName} worker={WorkerId} participant={Identity} latency_ms={LatencyMs}")]
    private static partial void LogJobStarted(ILogger logger, string jobId, string jobType, string room, string dispatchId, string agentName, string workerId, string identity, long latencyMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "agent job ended: job={JobId} type={JobType} room={Room} dispatch={DispatchId} agent_name={AgentName} worker={WorkerId} status={Status} reason={Reason} duration_ms={DurationMs}")]
    private static partial void LogJobEnded(ILogger logger, string jobId, string jobType, string room, string dispatchId, string agentName, string workerId, string status, string reason, long durationMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "agent job {JobId} ({JobType}, room {Room}, agent '{AgentName}') waits for a worker")]
    private static partial void LogWaiting(ILogger logger, string jobId, string jobType, string room, string agentName);

    [LoggerMessage(Level = LogLevel.Debug, Message = "agent job {JobId}: worker {WorkerId} declined")]
    private static partial void LogDeclined(ILogger logger, string jobId, string workerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent job {JobId}: worker {WorkerId} did not answer the availability request within {Seconds} s")]
    private static partial void LogAvailabilityTimeout(ILogger logger, string jobId, string workerId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent job {JobId}: worker {WorkerId} answered with an identity over 256 characters; trying the next worker")]
    private static partial void LogBadIdentity(ILogger logger, string jobId, string workerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "agent job {JobId}: worker {WorkerId} disconnected; dispatching the job again (JRP_ON_FAILURE)")]
    private static partial void LogRequeued(ILogger logger, string jobId, string workerId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "agent worker {WorkerId}: availability answer for job {JobId}, which is not offered to it")]
    private static partial void LogUnexpectedAvailability(ILogger logger, string workerId, string jobId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "agent worker {WorkerId}: update for job {JobId}, which it does not run")]
    private static partial void LogUnknownJobUpdate(ILogger logger, string workerId, string jobId);
}
