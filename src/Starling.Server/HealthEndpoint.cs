using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Starling.Rooms;

namespace Starling.Server;

/// <summary>
/// <c>GET /health</c>: 200 with <c>{"status":"ok", "version", "node_id", "uptime_seconds", "rooms", "participants"}</c>
/// while serving, 503 with <c>"status":"draining"</c> once shutdown began, so supervisors and load balancers stop
/// sending work. (<c>GET /</c> keeps answering <c>OK</c> like livekit-server.)
/// </summary>
internal sealed class HealthEndpoint(RoomManager rooms, TimeProvider time, string nodeId)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly long _startedAt = time.GetTimestamp();

    /// <summary>The Starling version (assembly version, three parts).</summary>
    public static string Version { get; } = typeof(HealthEndpoint).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Set when shutdown begins: the endpoint answers 503 from then on.</summary>
    public bool Draining { get; set; }

    public IResult Handle()
    {
        var list = rooms.List();
        var body = new
        {
            status = Draining ? "draining" : "ok",
            version = Version,
            node_id = nodeId,
            uptime_seconds = Math.Round(time.GetElapsedTime(_startedAt).TotalSeconds, 1),
            rooms = list.Count,
            participants = list.Sum(r => r.ListParticipants().Count),
        };
        return Results.Json(body, Json, statusCode: Draining ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
