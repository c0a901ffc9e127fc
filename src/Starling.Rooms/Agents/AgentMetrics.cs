using Starling.Proto;

namespace Starling.Rooms.Agents;

/// <summary>Counters of the agent subsystem (rendered by the server's Prometheus exporter).</summary>
internal sealed class AgentMetrics
{
    private readonly long[] _closes = new long[Enum.GetValues<WorkerCloseReason>().Length];
    private long _jobsSucceeded;
    private long _jobsFailed;
    private long _jobsAssigned;

    /// <summary>Job creation (or re-queue) to assignment sent, in seconds.</summary>
    public LatencyHistogram DispatchLatency { get; } = new([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]);

    public long JobsAssigned => Interlocked.Read(ref _jobsAssigned);

    public long Closes(WorkerCloseReason reason) => Interlocked.Read(ref _closes[(int)reason]);

    public long JobsEnded(JobStatus status) => status == JobStatus.JsSuccess ? Interlocked.Read(ref _jobsSucceeded) : Interlocked.Read(ref _jobsFailed);

    public void CountClose(WorkerCloseReason reason) => Interlocked.Increment(ref _closes[(int)reason]);

    public void CountAssigned() => Interlocked.Increment(ref _jobsAssigned);

    public void CountEnded(JobStatus status)
    {
        if (status == JobStatus.JsSuccess)
        {
            Interlocked.Increment(ref _jobsSucceeded);
        }
        else
        {
            Interlocked.Increment(ref _jobsFailed);
        }
    }
}
