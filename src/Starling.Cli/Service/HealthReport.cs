namespace Starling.Cli.Service;

/// <summary>What <c>GET /health</c> said, or why it could not be asked.</summary>
internal sealed record HealthReport(bool Reachable, int Status, string? State, string? Version, string? NodeId, double? UptimeSeconds, int? Rooms, int? Participants, string? Error)
{
    public bool Healthy => Reachable && Status == 200 && State == "ok";
}
