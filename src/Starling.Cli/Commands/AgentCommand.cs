using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Starling.Protocol.Auth;
using Starling.Sdk;

namespace Starling.Cli.Commands;

/// <summary><c>starling agent workers</c>: the agent workers connected to a Starling server (its admin API).</summary>
internal static class AgentCommand
{
    public static Command Create(CliContext context) => new("agent", "Agent workers")
    {
        Workers(context),
    };

    private static Command Workers(CliContext context)
    {
        var api = new ApiOptions();
        var command = new Command("workers", "List the agent workers connected to the server (Starling admin API, roomList grant)");
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var (key, secret) = api.ResolveCredentials(parse, context);
            var token = new AccessToken(key, secret, context.Time) { Ttl = TimeSpan.FromMinutes(10), VideoGrant = new VideoGrant { RoomList = true } }.ToJwt();
            using var request = new HttpRequestMessage(HttpMethod.Get, api.ResolveUrl(parse, context) + Starling.Server.Agents.AgentAdminEndpoint.WorkersPath);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var http = context.HttpClient ?? SharedClient.Value;
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new CliException("the server has no agent admin API (it is not Starling, or too old)");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new CliException($"{(int)response.StatusCode}: {body.Trim()}");
            }

            JsonNode root;
            try
            {
                root = JsonNode.Parse(body) ?? throw new CliException("empty answer from the server");
            }
            catch (JsonException ex)
            {
                throw new CliException("the server's answer is not JSON: " + ex.Message);
            }

            if (api.WantsJson(parse))
            {
                context.WriteJson(root);
                return;
            }

            var workers = root["workers"]?.AsArray() ?? [];
            if (workers.Count == 0)
            {
                context.WriteLine("no workers");
                return;
            }

            var table = CliOutput.NewTable("ID", "Name", "Type", "Version", "Load", "Status", "Jobs");
            foreach (var w in workers)
            {
                var name = w?["agentName"]?.GetValue<string>() ?? string.Empty;
                table.AddTextRow(
                    w?["id"]?.GetValue<string>(),
                    name.Length == 0 ? "(automatic)" : name,
                    w?["jobType"]?.GetValue<string>(),
                    w?["version"]?.GetValue<string>(),
                    (w?["load"]?.GetValue<double>() ?? 0).ToString("0.00", CultureInfo.InvariantCulture),
                    w?["status"]?.GetValue<string>(),
                    (w?["jobCount"]?.GetValue<int>() ?? 0).ToString(CultureInfo.InvariantCulture));
            }

            context.Write(table);
        });
        return command;
    }

    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
}
