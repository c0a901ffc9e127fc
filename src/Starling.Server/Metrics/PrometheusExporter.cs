using System.Globalization;
using System.Text;
using Starling.Proto;
using Starling.Rooms;
using Starling.Rooms.Agents;
using Starling.Wire.Diagnostics;

namespace Starling.Server.Metrics;

/// <summary>
/// Renders the server's metrics in the Prometheus text exposition format (version 0.0.4): the media-path counters
/// (<see cref="MediaCounters"/>) and gauges of rooms, participants and published tracks. Served at <c>/metrics</c> on
/// <c>prometheus_port</c>, as livekit-server does.
/// </summary>
internal static class PrometheusExporter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(RoomManager rooms, AgentDispatcher? agents = null)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        var text = new StringBuilder();
        foreach (var counter in MediaCounters.All)
        {
            Append(text, counter.Name, counter.Help, "counter", counter.Value);
        }

        var list = rooms.List();
        long participants = 0;
        long tracks = 0;
        foreach (var room in list)
        {
            foreach (var participant in room.ListParticipants())
            {
                participants++;
                tracks += participant.Tracks.Count;
            }
        }

        Append(text, "starling_rooms", "Rooms open on this node.", "gauge", list.Count);
        Append(text, "starling_participants", "Participants in rooms on this node.", "gauge", participants);
        Append(text, "starling_published_tracks", "Tracks published by participants on this node.", "gauge", tracks);
        if (agents is not null)
        {
            AppendAgents(text, agents);
        }

        return text.ToString();
    }

    /// <summary>
    /// Workers by status, jobs of open rooms by phase, jobs ended by status, worker connections the server closed by
    /// reason, and the dispatch latency histogram (job creation to assignment).
    /// </summary>
    private static void AppendAgents(StringBuilder text, AgentDispatcher agents)
    {
        var workers = agents.ListWorkers();
        Header(text, "starling_agent_workers", "Agent workers registered on this node, by status.", "gauge");
        Sample(text, "starling_agent_workers", "status", "available", workers.Count(w => w.Status == WorkerStatus.WsAvailable));
        Sample(text, "starling_agent_workers", "status", "full", workers.Count(w => w.Status == WorkerStatus.WsFull));

        Header(text, "starling_agent_jobs", "Agent jobs of open rooms, by state (pending: waiting for a worker; offered: availability asked).", "gauge");
        foreach (var (state, jobs) in agents.JobCounts())
        {
            Sample(text, "starling_agent_jobs", "state", state, jobs);
        }

        var metrics = agents.Metrics;
        Append(text, "starling_agent_jobs_assigned_total", "Agent jobs assigned to a worker.", "counter", metrics.JobsAssigned);
        Header(text, "starling_agent_jobs_ended_total", "Agent jobs that ended, by status.", "counter");
        Sample(text, "starling_agent_jobs_ended_total", "status", "success", metrics.JobsEnded(JobStatus.JsSuccess));
        Sample(text, "starling_agent_jobs_ended_total", "status", "failed", metrics.JobsEnded(JobStatus.JsFailed));

        Header(text, "starling_agent_worker_closes_total", "Agent worker connections closed by the server, by reason.", "counter");
        foreach (var reason in Enum.GetValues<WorkerCloseReason>())
        {
            Sample(text, "starling_agent_worker_closes_total", "reason", WorkerSession.ReasonLabel(reason), metrics.Closes(reason));
        }

        var histogram = metrics.DispatchLatency;
        const string name = "starling_agent_dispatch_latency_seconds";
        Header(text, name, "Time from job creation to its assignment to a worker.", "histogram");
        for (var i = 0; i < histogram.Bounds.Count; i++)
        {
            Sample(text, name + "_bucket", "le", histogram.Bounds[i].ToString(CultureInfo.InvariantCulture), histogram.CumulativeCount(i));
        }

        var count = histogram.Count;
        Sample(text, name + "_bucket", "le", "+Inf", count);
        text.Append(name).Append("_sum ").Append(histogram.SumSeconds.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(name).Append("_count ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Header(StringBuilder text, string name, string help, string type)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    private static void Sample(StringBuilder text, string name, string label, string value, long sample)
    {
        text.Append(name).Append('{').Append(label).Append("=\"").Append(value).Append("\"} ")
            .Append(sample.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Append(StringBuilder text, string name, string help, string type, long value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
