using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Starling.Rooms;
using Starling.Rooms.Agents;
using Starling.Rooms.Signal;
using Starling.Server.Agents;
using Starling.Server.Config;
using Starling.Server.Signal;
using Starling.Server.Twirp;
using Starling.Server.Webhooks;
using Starling.Transport.WebRtc;
using Starling.Protocol.Twirp;

namespace Starling.Server;

/// <summary>
/// The Starling server process: Kestrel on the configured port serving health (<c>GET /</c>), the Twirp APIs
/// and (later) signalling, over the room registry and the webhook dispatcher.
/// </summary>
internal sealed partial class StarlingServer : IAsyncDisposable
{
    /// <summary>The LiveKit server version Starling presents to clients (semver ≥ 1.8 so RPC is allowed).</summary>
    public const string CompatibleLiveKitVersion = "1.9.0";

    private readonly WebApplication _app;
    private readonly ILogger _logger;
    private bool _stopped;
    private RtcTransportFactory? _ownedTransports;

    private StarlingServer(WebApplication app, StarlingConfig config, RoomManager rooms, AgentDispatcher agents, WebhookDispatcher webhooks, SignalService? signal)
    {
        _app = app;
        Config = config;
        Rooms = rooms;
        Agents = agents;
        Webhooks = webhooks;
        Signal = signal;
        _logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Starling");
    }

    public StarlingConfig Config { get; }

    public RoomManager Rooms { get; }

    /// <summary>Agent workers and jobs (the <c>/agent</c> endpoint's state).</summary>
    public AgentDispatcher Agents { get; }

    public WebhookDispatcher Webhooks { get; }

    /// <summary>The signalling service; null when no WebRTC transport is available.</summary>
    public SignalService? Signal { get; }

    /// <summary>The URLs Kestrel listens on (after <see cref="StartAsync"/>; port 0 resolved).</summary>
    public IReadOnlyList<string> Urls =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    public static StarlingServer Create(StarlingConfig config, TimeProvider? time = null, HttpMessageHandler? webhookHandler = null, IRtcTransportFactory? transports = null, SignalOptions? signalOptions = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64L * 1024 * 1024;
            var ports = config.PrometheusPort is { } metricsPort && metricsPort != config.Port ? [config.Port, metricsPort] : new[] { config.Port };
            foreach (var port in ports)
            {
                if (config.BindAddresses.Count == 0)
                {
                    kestrel.Listen(IPAddress.IPv6Any, port);
                }
                else
                {
                    foreach (var address in config.BindAddresses)
                    {
                        kestrel.Listen(IPAddress.Parse(address), port);
                    }
                }
            }
        });
        ConfigureLogging(builder.Logging, config.Logging);

        var app = builder.Build();
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        var secret = config.Webhook.ApiKey is { } key && config.Keys.TryGetValue(key, out var s) ? s : string.Empty;
        var webhooks = new WebhookDispatcher(
            new WebhookOptions
            {
                Urls = config.Webhook.Urls.Select(u => new Uri(u)).ToList(),
                ApiKey = config.Webhook.ApiKey ?? string.Empty,
                ApiSecret = secret,
            },
            webhookHandler is null ? new HttpClient() : new HttpClient(webhookHandler),
            time,
            loggerFactory.CreateLogger<WebhookDispatcher>());
        var agents = new AgentDispatcher(
            new AgentOptions
            {
                TargetLoad = config.Agents.TargetLoad,
                EnableUserDataRecording = config.Agents.EnableUserDataRecording,
                EnableUserDataRedaction = config.Agents.EnableUserDataRedaction,
                ServerVersion = CompatibleLiveKitVersion,
                NodeId = (signalOptions ?? new SignalOptions()).NodeId,
            },
            time,
            loggerFactory.CreateLogger<AgentDispatcher>());
        var rooms = new RoomManager(
            new RoomOptions
            {
                AutoCreate = config.Room.AutoCreate,
                EmptyTimeout = config.Room.EmptyTimeout,
                DepartureTimeout = config.Room.DepartureTimeout,
                MaxParticipants = config.Room.MaxParticipants,
                EnableRemoteUnmute = config.Room.EnableRemoteUnmute,
            },
            time,
            webhooks,
            agents);

        var twirp = new TwirpEndpoint(k => config.Keys.GetValueOrDefault(k), time, loggerFactory.CreateLogger<TwirpEndpoint>());
        new RoomServiceHandlers(rooms).Register(twirp);
        new AgentDispatchHandlers(rooms).Register(twirp);

        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(10) });
        new AgentEndpoint(agents, k => config.Keys.GetValueOrDefault(k), loggerFactory).Map(app);
        new AgentAdminEndpoint(agents, k => config.Keys.GetValueOrDefault(k)).Map(app);
        SignalService? signal = null;
        if (transports is not null)
        {
            signal = new SignalService(rooms, k => config.Keys.GetValueOrDefault(k), transports, signalOptions ?? new SignalOptions(), time, loggerFactory);
            new SignalEndpoint(signal, config.Rtc.SinglePeerConnection, loggerFactory.CreateLogger<SignalEndpoint>()).Map(app);
        }

        app.MapGet("/", () => Results.Text("OK", "text/plain"));
        if (config.PrometheusPort is { } prometheusPort)
        {
            app.MapGet("/metrics", () => Results.Text(Metrics.PrometheusExporter.Render(rooms, agents), Metrics.PrometheusExporter.ContentType))
                .RequireHost($"*:{prometheusPort}");
        }

        app.Map("/twirp/{service}/{method}", (HttpContext ctx, string service, string method) => twirp.HandleAsync(ctx, service + "/" + method));
        app.Map("/twirp/{**rest}", (HttpContext ctx, string? rest) =>
            TwirpEndpoint.WriteErrorAsync(ctx, TwirpErrorCode.BadRoute, $"no handler for path \"/twirp/{rest}\""));

        return new StarlingServer(app, config, rooms, agents, webhooks, signal);
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LoggingConfig config)
    {
        logging.ClearProviders();
        if (config.Json)
        {
            logging.AddJsonConsole();
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        logging.SetMinimumLevel(config.Level switch
        {
            "debug" => LogLevel.Debug,
            "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.Information,
        });
        logging.AddFilter("Microsoft", LogLevel.Warning);
    }

    /// <summary>The production server: the WebRTC transport binds <c>rtc.udp_port</c>/<c>rtc.tcp_port</c>.</summary>
    public static StarlingServer CreateWithTransport(StarlingConfig config, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var transports = RtcTransportFactory.Start(TransportOptionsFrom(config), time);
        var server = Create(config, time, transports: transports);
        server._ownedTransports = transports;
        return server;
    }

    internal static RtcTransportOptions TransportOptionsFrom(StarlingConfig config)
    {
        var bind = config.BindAddresses.Select(IPAddress.Parse).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? IPAddress.Any;
        IReadOnlyList<IPAddress> advertised;
        if (config.Rtc.NodeIp is { Length: > 0 } nodeIp)
        {
            advertised = [IPAddress.Parse(nodeIp)];
        }
        else if (!bind.Equals(IPAddress.Any))
        {
            advertised = config.BindAddresses.Select(IPAddress.Parse).Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork).ToList();
        }
        else
        {
            var found = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(u => u.Address))
                .Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && (config.Rtc.EnableLoopbackCandidate || !IPAddress.IsLoopback(a)))
                .ToList();
            advertised = found.Count > 0 ? found : [IPAddress.Loopback];
        }

        return new RtcTransportOptions
        {
            BindAddress = bind,
            UdpPort = config.Rtc.UdpPort,
            TcpPort = config.Rtc.TcpPort,
            AdvertisedAddresses = advertised,
        };
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Graceful stop: rooms close (room_finished), queued webhooks get a few seconds, Kestrel stops.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        Rooms.CloseAll();
        Agents.CloseAll();
        Signal?.Dispose();
        await Webhooks.FlushAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Runs until SIGTERM/SIGINT, printing what it serves; returns the process exit code.</summary>
    public async Task<int> RunAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            await StartAsync().ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await output.WriteLineAsync($"starling: cannot listen on port {Config.Port}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync($"Starling {typeof(StarlingServer).Assembly.GetName().Version?.ToString(3)} (LiveKit protocol 17) is running").ConfigureAwait(false);
        foreach (var url in Urls)
        {
            if (Config.PrometheusPort is { } metricsPort && metricsPort != Config.Port && url.EndsWith(":" + metricsPort, StringComparison.Ordinal))
            {
                await output.WriteLineAsync($"  metrics {url}/metrics").ConfigureAwait(false);
                continue;
            }

            await output.WriteLineAsync($"  serving {url}  (signal ws{url[4..]}, API {url}/twirp)").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"  rtc: udp port {Config.Rtc.UdpPort}, tcp port {Config.Rtc.TcpPort}{(Config.Rtc.NodeIp is { } ip ? ", node ip " + ip : string.Empty)}").ConfigureAwait(false);
        if (Config.Development)
        {
            foreach (var (key, secret) in Config.Keys)
            {
                await output.WriteLineAsync($"  dev mode: API key '{key}', secret '{secret}'").ConfigureAwait(false);
            }
        }

        foreach (var warning in Config.Warnings)
        {
            LogConfigWarning(_logger, warning);
        }

        await _app.WaitForShutdownAsync().ConfigureAwait(false);
        LogStopping(_logger);
        await StopAsync().ConfigureAwait(false);
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Rooms.Dispose();
        await Webhooks.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (_ownedTransports is not null)
        {
            await _ownedTransports.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "config: {Warning}")]
    private static partial void LogConfigWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "shutting down: closing rooms and flushing webhooks")]
    private static partial void LogStopping(ILogger logger);
}
