using System.CommandLine;
using System.Text.Json;
using Starling.Cli.Service;

namespace Starling.Cli.Commands;

/// <summary>
/// <c>starling discover</c>: finds LiveKit-compatible servers on this machine — the default port 7880 and the ports
/// of installed Starling services — asks each one's <c>/health</c> (or <c>/</c>, for livekit-server), and says whether
/// its API keys are known (the installed service's config, or the dev keys of <c>serve --dev</c>).
/// </summary>
internal static class DiscoverCommand
{
    internal sealed record Found(string Url, string WsUrl, string Source, bool Healthy, string? State, string? Version, string? NodeId, bool KeysKnown, string? ApiKey, string? ApiSecret);

    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "machine-readable JSON output" };
        var ports = new Option<int[]>("--port") { Description = "also look at this port (repeatable)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("discover", "Find LiveKit-compatible servers on this machine and check their health") { json, ports };
        CliAction.Set(command, context, async (parse, ct) =>
        {
            var found = await DiscoverAsync(context, parse.GetValue(ports) ?? [], ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.WriteLine(JsonSerializer.Serialize(found, CliOutput.SnakeCase));
                return;
            }

            if (found.Count == 0)
            {
                context.WriteLine("no server found (looked at port 7880 and the installed service's port)");
                return;
            }

            var table = CliOutput.NewTable("URL", "Source", "Health", "Version", "Keys");
            foreach (var f in found)
            {
                table.AddTextRow(f.WsUrl, f.Source, f.Healthy ? "ok" : f.State ?? "unhealthy", f.Version ?? "-", f.KeysKnown ? $"known ({f.ApiKey})" : "unknown");
            }

            context.Write(table);
        });
        return command;
    }

    public static async Task<List<Found>> DiscoverAsync(CliContext context, IEnumerable<int> extraPorts, CancellationToken cancellationToken)
    {
        var candidates = new List<(int Port, string Source, string? Key, string? Secret)>();
        var manager = new ServiceManager(context);
        foreach (var scope in new[] { ServiceScope.User, ServiceScope.System })
        {
            if (manager.Find(scope) is { } service)
            {
                var (key, secret) = ServiceManager.ReadKeys(service.Layout);
                candidates.Add((service.Manifest.Port, $"service ({scope.ToString().ToLowerInvariant()})", key, secret));
            }
        }

        foreach (var port in extraPorts.Prepend(7880))
        {
            if (candidates.All(c => c.Port != port))
            {
                candidates.Add((port, port == 7880 ? "default port" : "--port", null, null));
            }
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var found = new List<Found>();
        foreach (var (port, source, key, secret) in candidates)
        {
            var url = $"http://127.0.0.1:{port}";
            var health = await HealthProbe.ProbeAsync(http, url, cancellationToken).ConfigureAwait(false);
            if (!health.Reachable)
            {
                continue;
            }

            // a server without known keys may be `serve --dev`: its dev keys are known when they work
            var (k, s) = key is not null ? (key, secret) : await DevKeysWorkAsync(url, cancellationToken).ConfigureAwait(false);
            found.Add(new Found(url, $"ws://127.0.0.1:{port}", source, health.Healthy, health.State, health.Version, health.NodeId, k is not null, k, s));
        }

        return found;
    }

    private static async Task<(string? Key, string? Secret)> DevKeysWorkAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            var rooms = new Starling.Sdk.RoomServiceClient(url, ApiOptions.DevKey, ApiOptions.DevSecret);
            await rooms.ListRoomsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return (ApiOptions.DevKey, ApiOptions.DevSecret);
        }
        catch (Exception ex) when (ex is Starling.Sdk.TwirpException or HttpRequestException or TaskCanceledException)
        {
            return default;
        }
    }
}
