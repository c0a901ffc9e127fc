using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Starling.Protocol.Auth;
using Starling.Rooms.Agents;
using Starling.Server.Http;

namespace Starling.Server.Agents;

/// <summary>
/// <c>GET /admin/agents/workers</c>: the connected agent workers as JSON, for <c>starling agent workers</c>. Needs a
/// bearer token with the <c>roomList</c> or <c>roomAdmin</c> grant (401 without a valid token, 403 without the grant).
/// </summary>
internal sealed class AgentAdminEndpoint(AgentDispatcher dispatcher, Func<string, string?> secretForKey)
{
    public const string WorkersPath = "/admin/agents/workers";

    public void Map(WebApplication app) => app.MapGet(WorkersPath, HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        TokenClaims claims;
        try
        {
            var token = AgentEndpoint.BearerToken(context.Request) ?? throw new TokenValidationException(TokenValidationError.Malformed, "no access token");
            claims = AccessTokenCodec.Verify(token, secretForKey, dispatcher.Time.GetUtcNow());
        }
        catch (TokenValidationException ex)
        {
            await PlainText.WriteAsync(context, 401, "invalid authorization token: " + ex.Message).ConfigureAwait(false);
            return;
        }

        if (claims.Video?.RoomList != true && claims.Video?.RoomAdmin != true)
        {
            await PlainText.WriteAsync(context, 403, "permissions denied: listing agent workers needs the roomList or roomAdmin grant").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Render(dispatcher.ListWorkers()).ToJsonString()).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>{"workers":[{"id","agentName","namespace","deployment","version","jobType","status","load","jobCount",
    /// "reportedJobCount","registeredAt","jobs":[...]}]}</c>; enums by their protobuf names, times as ISO 8601 UTC.
    /// </summary>
    public static JsonObject Render(IReadOnlyList<WorkerSnapshot> workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        var list = new JsonArray();
        foreach (var w in workers)
        {
            list.Add(new JsonObject
            {
                ["id"] = w.Id,
                ["agentName"] = w.AgentName,
                ["namespace"] = w.Namespace,
                ["deployment"] = w.Deployment,
                ["version"] = w.Version,
                ["jobType"] = ProtoNames.Of(w.JobType),
                ["status"] = ProtoNames.Of(w.Status),
                ["load"] = Math.Round(w.Load, 3),
                ["jobCount"] = w.Jobs.Count,
                ["reportedJobCount"] = w.ReportedJobCount,
                ["registeredAt"] = w.RegisteredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["jobs"] = new JsonArray(w.Jobs.Select(j => (JsonNode?)JsonValue.Create(j)).ToArray()),
            });
        }

        return new JsonObject { ["workers"] = list };
    }
}
