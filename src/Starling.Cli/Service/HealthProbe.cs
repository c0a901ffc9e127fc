using System.Net.Sockets;
using System.Text.Json;

namespace Starling.Cli.Service;

/// <summary>Asks servers on this machine whether they are healthy, and whether a port is taken.</summary>
internal static class HealthProbe
{
    /// <summary>Asks <c>{url}/health</c> (a Starling server), falling back to <c>/</c> (livekit-server answers <c>OK</c> there).</summary>
    public static async Task<HealthReport> ProbeAsync(HttpClient http, string url, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await http.GetAsync(url.TrimEnd('/') + "/health", cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if ((int)response.StatusCode == 404)
            {
                using var root = await http.GetAsync(url.TrimEnd('/') + "/", cancellationToken).ConfigureAwait(false);
                var ok = (int)root.StatusCode == 200 && (await root.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim() == "OK";
                return new HealthReport(true, ok ? 200 : (int)root.StatusCode, ok ? "ok" : null, null, null, null, null, null, ok ? null : "no /health and no OK at /");
            }

            using var json = JsonDocument.Parse(text);
            var body = json.RootElement;
            return new HealthReport(true, (int)response.StatusCode, Str(body, "status"), Str(body, "version"), Str(body, "node_id"),
                body.TryGetProperty("uptime_seconds", out var up) ? up.GetDouble() : null,
                body.TryGetProperty("rooms", out var rooms) ? rooms.GetInt32() : null,
                body.TryGetProperty("participants", out var participants) ? participants.GetInt32() : null, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or SocketException or InvalidOperationException)
        {
            return new HealthReport(false, 0, null, null, null, null, null, null, ex.Message);
        }
    }

    /// <summary>Polls until healthy or <paramref name="timeout"/>.</summary>
    public static async Task<HealthReport> WaitHealthyAsync(HttpClient http, string url, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (;;)
        {
            var report = await ProbeAsync(http, url, cancellationToken).ConfigureAwait(false);
            if (report.Healthy || DateTime.UtcNow >= deadline)
            {
                return report;
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Something accepts TCP connections on <paramref name="port"/> (loopback).</summary>
    public static bool PortInUse(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string? Str(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
