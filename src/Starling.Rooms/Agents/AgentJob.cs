using Starling.Proto;

namespace Starling.Rooms.Agents;

/// <summary>
/// One job and where it is in its life: waiting for a worker, offered to one (availability request out), running on one,
/// or ended. Owned by <see cref="AgentDispatcher"/>; changed only under its lock. <see cref="Job"/> is the wire form whose
/// <c>state</c> is kept current.
/// </summary>
internal sealed class AgentJob
{
    public AgentJob(Job job, JobRestartPolicy restartPolicy, bool namespaceBound, long createdTimestamp)
    {
        Job = job;
        RestartPolicy = restartPolicy;
        NamespaceBound = namespaceBound;
        CreatedTimestamp = createdTimestamp;
    }

    public Job Job { get; }

    public string Id => Job.Id;

    public string RoomSid => Job.Room?.Sid ?? string.Empty;

    public JobRestartPolicy RestartPolicy { get; }

    /// <summary>
    /// False when the job was created while no worker of its name existed: it then goes to a worker of any namespace
    /// and takes that worker's namespace (namespaces are deprecated; agents-js never sets one).
    /// </summary>
    public bool NamespaceBound { get; set; }

    /// <summary>When the job was created or, after a worker failure, re-queued (dispatch latency is measured from here).</summary>
    public long CreatedTimestamp { get; set; }

    /// <summary>When it was assigned (duration in the end log line is measured from here).</summary>
    public long? AssignedTimestamp { get; set; }

    /// <summary>Workers that declined the job or did not answer in time.</summary>
    public HashSet<AgentWorker> Attempted { get; } = [];

    /// <summary>The worker whose availability answer is awaited.</summary>
    public AgentWorker? OfferedTo { get; set; }

    public ITimer? OfferTimer { get; set; }

    /// <summary>Its place in the dispatcher's queue of jobs waiting for a worker; null when not waiting.</summary>
    public LinkedListNode<AgentJob>? WaitingNode { get; set; }

    /// <summary>Bumped with every offer so a late timer of an earlier offer is recognised.</summary>
    public int OfferSequence { get; set; }

    /// <summary>The worker running the job.</summary>
    public AgentWorker? Worker { get; set; }

    /// <summary>The job was assigned before and is being dispatched again (AvailabilityRequest.resuming).</summary>
    public bool Resuming { get; set; }

    public bool Ended => Job.State.Status is JobStatus.JsSuccess or JobStatus.JsFailed;

    /// <summary>The <c>state</c> label of the jobs gauge.</summary>
    public string Phase => Job.State.Status switch
    {
        JobStatus.JsSuccess => "success",
        JobStatus.JsFailed => "failed",
        _ when Worker is not null => "running",
        _ when OfferedTo is not null => "offered",
        _ => "pending",
    };
}
