using Starling.Proto;

namespace Starling.Rooms.Agents;

/// <summary>A registered worker as the admin API and <c>starling agent workers</c> show it.</summary>
internal sealed record WorkerSnapshot(
    string Id,
    string AgentName,
    string Namespace,
    string Deployment,
    string Version,
    JobType JobType,
    WorkerStatus Status,
    float Load,
    uint ReportedJobCount,
    DateTimeOffset RegisteredAt,
    IReadOnlyList<string> Jobs);
