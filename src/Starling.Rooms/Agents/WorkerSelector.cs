namespace Starling.Rooms.Agents;

/// <summary>
/// Chooses the worker a job is offered to next (pure). Candidates serve the job, are eligible (WS_AVAILABLE, load below
/// 1) and have not been tried for it. Workers below the target load come first, then lower load, then fewer jobs in hand
/// (so equally loaded workers share a burst of jobs before their next load report), then registration order.
/// </summary>
internal static class WorkerSelector
{
    public static AgentWorker? Choose(IEnumerable<AgentWorker> workers, AgentJob job, float targetLoad)
    {
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(job);
        AgentWorker? best = null;
        foreach (var worker in workers)
        {
            if (!worker.IsEligible || !worker.Serves(job) || job.Attempted.Contains(worker))
            {
                continue;
            }

            if (best is null || Better(worker, best, targetLoad))
            {
                best = worker;
            }
        }

        return best;
    }

    private static bool Better(AgentWorker a, AgentWorker b, float targetLoad)
    {
        var aOver = a.Load >= targetLoad;
        var bOver = b.Load >= targetLoad;
        if (aOver != bOver)
        {
            return !aOver;
        }

        if (a.Load != b.Load)
        {
            return a.Load < b.Load;
        }

        var aJobs = a.Jobs.Count + a.Offers;
        var bJobs = b.Jobs.Count + b.Offers;
        return aJobs != bJobs ? aJobs < bJobs : a.Sequence < b.Sequence;
    }
}
