using Starling.Proto;

namespace Starling.Rooms.Agents;

/// <summary>
/// A registered worker: what it registered with, what it last reported, and the jobs the dispatcher gave it. Mutable
/// state is owned by <see cref="AgentDispatcher"/> and changed only under its lock.
/// </summary>
internal sealed class AgentWorker
{
    public AgentWorker(string id, RegisterWorkerRequest registration, string apiKey, string apiSecret, IWorkerConnection connection, DateTimeOffset registeredAt, long sequence)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Id = id;
        AgentName = registration.AgentName;
        Namespace = registration.HasNamespace ? registration.Namespace : string.Empty;
        JobType = registration.Type;
        Deployment = registration.Deployment;
        Version = registration.Version;
        Permissions = registration.AllowedPermissions?.Clone() ?? DefaultPermissions();
        ApiKey = apiKey;
        ApiSecret = apiSecret;
        Connection = connection;
        RegisteredAt = registeredAt;
        Sequence = sequence;
    }

    public string Id { get; }

    public string AgentName { get; }

    public string Namespace { get; }

    public JobType JobType { get; }

    public string Deployment { get; }

    public string Version { get; }

    /// <summary>The grants of the agents this worker starts (livekit-server's defaults when it sent none).</summary>
    public ParticipantPermission Permissions { get; }

    /// <summary>The API key the worker authenticated with; agent tokens are signed with it.</summary>
    public string ApiKey { get; }

    public string ApiSecret { get; }

    public IWorkerConnection Connection { get; }

    public DateTimeOffset RegisteredAt { get; }

    /// <summary>Registration order on this node (the last tie-break when choosing a worker).</summary>
    public long Sequence { get; }

    public WorkerStatus Status { get; set; } = WorkerStatus.WsAvailable;

    public float Load { get; set; }

    /// <summary>The job count the worker last reported (agents-js does not report one).</summary>
    public uint ReportedJobCount { get; set; }

    public bool Closed { get; set; }

    /// <summary>Jobs assigned to this worker that have not ended.</summary>
    public HashSet<AgentJob> Jobs { get; } = [];

    /// <summary>Availability requests sent to this worker and not answered yet.</summary>
    public int Offers { get; set; }

    /// <summary>Whether it may be offered a job now: connected, WS_AVAILABLE and below full load.</summary>
    public bool IsEligible => !Closed && Status == WorkerStatus.WsAvailable && Load < 1f;

    /// <summary>Whether it serves <paramref name="job"/>: same agent name, job type and deployment (and namespace once bound).</summary>
    public bool Serves(AgentJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return string.Equals(AgentName, job.Job.AgentName, StringComparison.Ordinal)
            && JobType == job.Job.Type
            && string.Equals(Deployment, job.Job.Deployment, StringComparison.Ordinal)
            && (!job.NamespaceBound || string.Equals(Namespace, job.Job.Namespace, StringComparison.Ordinal));
    }

    public static ParticipantPermission DefaultPermissions() => new()
    {
        CanSubscribe = true,
        CanPublish = true,
        CanPublishData = true,
        CanUpdateMetadata = true,
    };
}
