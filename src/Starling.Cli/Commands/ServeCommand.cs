using System.CommandLine;
using Starling.Server;
using Starling.Server.Config;

namespace Starling.Cli.Commands;

/// <summary><c>starling serve</c>: runs the server, configured like livekit-server.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var dev = new Option<bool>("--dev") { Description = "development mode: keys 'devkey: secret', bind to loopback, debug logs" };
        var config = new Option<string?>("--config") { Description = "path to a livekit.yaml-style config file (env LIVEKIT_CONFIG_FILE)" };
        var configBody = new Option<string?>("--config-body") { Description = "the config file's YAML given inline (env LIVEKIT_CONFIG)" };
        var keys = new Option<string?>("--keys") { Description = "API keys as 'key: secret' (env LIVEKIT_KEYS)" };
        var bind = new Option<string[]>("--bind") { Description = "IP address to listen on (repeatable)", AllowMultipleArgumentsPerToken = false };
        var nodeIp = new Option<string?>("--node-ip") { Description = "IP address advertised in ICE candidates" };
        var udpPort = new Option<int?>("--udp-port") { Description = "UDP port for WebRTC media (default 7882)" };
        var port = new Option<int?>("--port") { Description = "HTTP port for signalling and APIs (default 7880)" };
        var command = new Command("serve", "Run the Starling server")
        {
            dev, config, configBody, keys, bind, nodeIp, udpPort, port,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServeOptions
            {
                Dev = parse.GetValue(dev),
                ConfigFile = parse.GetValue(config) ?? NullIfEmpty(Environment.GetEnvironmentVariable("LIVEKIT_CONFIG_FILE")),
                ConfigBody = parse.GetValue(configBody) ?? NullIfEmpty(Environment.GetEnvironmentVariable("LIVEKIT_CONFIG")),
                Keys = parse.GetValue(keys) ?? NullIfEmpty(Environment.GetEnvironmentVariable("LIVEKIT_KEYS")),
                Bind = parse.GetValue(bind) ?? [],
                NodeIp = parse.GetValue(nodeIp),
                UdpPort = parse.GetValue(udpPort),
                Port = parse.GetValue(port),
            };
            return await RunAsync(options).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> RunAsync(ServeOptions options)
    {
        StarlingConfig config;
        try
        {
            config = ConfigLoader.Load(options);
        }
        catch (ConfigException ex)
        {
            await Console.Error.WriteLineAsync("starling: invalid configuration: " + ex.Message).ConfigureAwait(false);
            return 1;
        }

        StarlingServer server;
        try
        {
            server = StarlingServer.CreateWithTransport(config);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            await Console.Error.WriteLineAsync($"starling: cannot bind the media ports (udp {config.Rtc.UdpPort}, tcp {config.Rtc.TcpPort}): {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await using var _ = server;
        return await server.RunAsync(Console.Out).ConfigureAwait(false);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
