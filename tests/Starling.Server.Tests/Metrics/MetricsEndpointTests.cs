using System.Net;
using System.Net.Sockets;
using Starling.Server.Config;
using Starling.Wire.Diagnostics;

namespace Starling.Server.Tests.Metrics;

public sealed class MetricsEndpointTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Metrics_ServedOnPrometheusPortOnly_InTextFormat()
    {
        var config = new StarlingConfig { Port = FreePort(), PrometheusPort = FreePort(), BindAddresses = ["127.0.0.1"] };
        config.Keys["devkey"] = "secret";
        config.Logging.Level = "warn";
        await using var server = StarlingServer.Create(config);
        await server.StartAsync();
        server.Rooms.CreateRoom(new Starling.Proto.CreateRoomRequest { Name = "metrics-room" });
        MediaCounters.RtpMalformed.Increment();

        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{config.PrometheusPort}/metrics"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE starling_rtp_malformed_total counter\n", body, StringComparison.Ordinal);
        Assert.Contains("\nstarling_rooms 1\n", body, StringComparison.Ordinal);
        foreach (var counter in MediaCounters.All)
        {
            var line = body.Split('\n').Single(l => l.StartsWith(counter.Name + " ", StringComparison.Ordinal));
            Assert.True(long.Parse(line[(counter.Name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture) >= 0);
        }

        Assert.Matches(@"\nstarling_rtp_malformed_total [1-9]\d*\n", body);

        using var onApiPort = await http.GetAsync(new Uri($"http://127.0.0.1:{config.Port}/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, onApiPort.StatusCode);
    }

    [Fact]
    public void StripedCounter_SumsAcrossThreads()
    {
        var counter = new StripedCounter("t_total", "test");
        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => counter.Increment());
        counter.Add(5);
        Assert.Equal(10_005, counter.Value);
    }
}
