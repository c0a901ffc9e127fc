using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Starling.Cli.Mcp;
using Starling.Cli.Service;

namespace Starling.Cli.Commands;

/// <summary>
/// <c>starling mcp</c>: a Model Context Protocol server over stdio (the official ModelContextProtocol SDK) with the
/// <see cref="StarlingTools"/>. It finds its server like <c>lk</c>: <c>--url/--api-key/--api-secret</c>, else
/// <c>LIVEKIT_URL</c>/<c>LIVEKIT_API_KEY</c>/<c>LIVEKIT_API_SECRET</c>, else the installed service's config, else a
/// <c>serve --dev</c> on localhost. Logs go to stderr (stdout carries the protocol).
/// </summary>
internal static class McpCommand
{
    public static Command Create(CliContext context)
    {
        var api = new ApiOptions(withJson: false);
        var command = new Command("mcp", "Serve Model Context Protocol tools over stdio (service, rooms, participants, tokens, data, agents) for AI assistants");
        api.AddTo(command);
        CliAction.Set(command, context, async (parse, cancellationToken) =>
        {
            var target = Resolve(parse, api, context);
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton(target);
            // stdout carries the protocol: whatever the service commands print goes to stderr
            builder.Services.AddSingleton(new CliContext { Out = context.Error, Error = context.Error, Environment = context.Environment, Time = context.Time, Plain = true });
            builder.Services
                .AddMcpServer(o => o.ServerInfo = new() { Name = "starling", Version = Starling.Server.HealthEndpoint.Version })
                .WithStdioServerTransport()
                .WithTools<StarlingTools>();
            using var host = builder.Build();
            await context.Error.WriteLineAsync($"starling mcp: serving tools for {target.Url} ({target.Source}) on stdio").ConfigureAwait(false);
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    internal static McpTarget Resolve(ParseResult parse, ApiOptions api, CliContext context)
    {
        var flagUrl = parse.GetValue(api.Url);
        var envUrl = context.Environment("LIVEKIT_URL");
        if (!string.IsNullOrWhiteSpace(flagUrl) || !string.IsNullOrWhiteSpace(envUrl)
            || !string.IsNullOrWhiteSpace(parse.GetValue(api.ApiKey)) || !string.IsNullOrWhiteSpace(context.Environment("LIVEKIT_API_KEY")))
        {
            var url = api.ResolveUrl(parse, context);
            var (key, secret) = api.ResolveCredentials(parse, context);
            return new McpTarget(url, key, secret, string.IsNullOrWhiteSpace(flagUrl) ? "environment" : "flags");
        }

        if (new ServiceManager(context).Find(null) is { } service && ServiceManager.ReadKeys(service.Layout) is { Key: { } k, Secret: { } s })
        {
            return new McpTarget(service.Manifest.HttpUrl, k, s, "installed service");
        }

        return new McpTarget(ApiOptions.DefaultUrl, ApiOptions.DevKey, ApiOptions.DevSecret, "serve --dev default");
    }
}
