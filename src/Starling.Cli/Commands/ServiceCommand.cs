using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Starling.Cli.Service;

namespace Starling.Cli.Commands;

/// <summary>
/// <c>starling service install|start|stop|restart|status|logs|uninstall</c> (and the internal <c>supervise</c> and
/// <c>wait-healthy</c> used by the supervisor and the systemd unit). See <see cref="ServiceManager"/>.
/// </summary>
internal static class ServiceCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("service", "Install and run Starling as a local service (systemd, launchd or Starling's supervisor)")
        {
            Install(context),
            Simple(context, "start", "Start the installed service and wait until it is healthy", (m, scope, ct) => m.StartAsync(scope, ct)),
            Simple(context, "stop", "Stop the installed service", (m, scope, _) => { m.Stop(scope); return Task.CompletedTask; }),
            Simple(context, "restart", "Stop, then start the installed service", async (m, scope, ct) => { m.Stop(scope); await m.StartAsync(scope, ct).ConfigureAwait(false); }),
            Status(context),
            Logs(context),
            Uninstall(context),
            Supervise(context),
            WaitHealthy(context),
        };
        return command;
    }

    private static (Option<bool> User, Option<bool> System) ScopeOptions(Command command)
    {
        var user = new Option<bool>("--user") { Description = "the service installed for this user (the default)" };
        var system = new Option<bool>("--system") { Description = "the service installed for the whole system" };
        command.Options.Add(user);
        command.Options.Add(system);
        return (user, system);
    }

    private static ServiceScope? Scope(ParseResult parse, (Option<bool> User, Option<bool> System) options)
    {
        var user = parse.GetValue(options.User);
        var system = parse.GetValue(options.System);
        if (user && system)
        {
            throw new CliException("use --user or --system, not both");
        }

        return system ? ServiceScope.System : user ? ServiceScope.User : null;
    }

    private static Command Install(CliContext context)
    {
        var port = new Option<int>("--port") { Description = "HTTP port (ICE/TCP uses port+1, media UDP port+2)", DefaultValueFactory = _ => 7880 };
        var dev = new Option<bool>("--dev") { Description = "dev keys devkey/secret and loopback only, instead of a fresh random key and secret" };
        var dir = new Option<string?>("--dir") { Description = "where to install (default ~/.starling/services/starling, or /opt/starling with --system)" };
        var command = new Command("install", "Install the built server as a service: copy it, write livekit.yaml and the service definition") { port, dev, dir };
        var scope = ScopeOptions(command);
        CliAction.Set(command, context, (parse, _) =>
        {
            new ServiceManager(context).Install(Scope(parse, scope) ?? ServiceScope.User, parse.GetValue(port), parse.GetValue(dev), parse.GetValue(dir));
            return Task.CompletedTask;
        });
        return command;
    }

    private static Command Simple(CliContext context, string name, string description, Func<ServiceManager, ServiceScope?, CancellationToken, Task> body)
    {
        var command = new Command(name, description);
        var scope = ScopeOptions(command);
        CliAction.Set(command, context, (parse, ct) => body(new ServiceManager(context), Scope(parse, scope), ct));
        return command;
    }

    private static Command Status(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "machine-readable JSON output" };
        var command = new Command("status", "Show whether the service runs and is healthy, its pid, uptime, URL, version, rooms, and the LIVEKIT_* lines to use (exit code 3 when not running)") { json };
        var scope = ScopeOptions(command);
        command.SetAction(async (parse, ct) =>
        {
            ServiceStatus status;
            try
            {
                status = await new ServiceManager(context).StatusAsync(Scope(parse, scope), ct).ConfigureAwait(false);
            }
            catch (CliException ex)
            {
                await context.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return 1;
            }

            if (parse.GetValue(json))
            {
                context.WriteLine(JsonSerializer.Serialize(status, CliOutput.SnakeCase));
            }
            else
            {
                Write(context, status);
            }

            return status.State == "running" ? 0 : 3;
        });
        return command;
    }

    private static void Write(CliContext context, ServiceStatus status)
    {
        if (!status.Installed)
        {
            context.WriteLine("starling service: not installed (run: ./starling service install)");
            return;
        }

        static string N(double? v) => v is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "-";
        context.WriteLine($"starling service ({status.Scope?.ToString().ToLowerInvariant()}, {status.Manager?.ToString().ToLowerInvariant()}): {status.State}");
        context.Write(CliOutput.KeyValues(
        [
            ("pid", status.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-"),
            ("supervisor", status.SupervisorPid?.ToString(CultureInfo.InvariantCulture) ?? "-"),
            ("uptime", N(status.UptimeSeconds)),
            ("url", $"{status.Url}  ({status.WsUrl})"),
            ("health", status.Health ?? "-"),
            ("version", status.Version ?? "-"),
            ("rooms", status.Rooms?.ToString(CultureInfo.InvariantCulture) ?? "-"),
            ("participants", status.Participants?.ToString(CultureInfo.InvariantCulture) ?? "-"),
            ("config", status.ConfigPath ?? "-"),
            ("logs", status.LogPath ?? "journal (./starling service logs)"),
        ]));
        foreach (var line in status.EnvLines())
        {
            context.WriteLine(line);
        }
    }

    private static Command Logs(CliContext context)
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "keep printing new lines until Ctrl-C" };
        var command = new Command("logs", "Print the service's log") { follow };
        var scope = ScopeOptions(command);
        CliAction.Set(command, context, (parse, ct) => new ServiceManager(context).LogsAsync(Scope(parse, scope), parse.GetValue(follow), ct));
        return command;
    }

    private static Command Uninstall(CliContext context)
    {
        var yes = new Option<bool>("--yes", "-y") { Description = "do not ask" };
        var command = new Command("uninstall", "Stop the service and remove everything install made") { yes };
        var scope = ScopeOptions(command);
        CliAction.Set(command, context, (parse, _) =>
        {
            var reader = new StreamReader(context.OpenInput());
            new ServiceManager(context).Uninstall(Scope(parse, scope), parse.GetValue(yes), reader.ReadLine);
            return Task.CompletedTask;
        });
        return command;
    }

    private static Command Supervise(CliContext context)
    {
        var dir = new Option<string>("--dir") { Required = true };
        var scopeName = new Option<string>("--scope") { DefaultValueFactory = _ => "user" };
        var command = new Command("supervise", "(internal) run the installed server and restart it on failure") { dir, scopeName };
        command.Hidden = true;
        command.SetAction(async (parse, _) =>
        {
            var scope = parse.GetValue(scopeName) == "system" ? ServiceScope.System : ServiceScope.User;
            var home = context.Environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return await new Supervisor(ServiceLayout.For(scope, home, parse.GetValue(dir)), ServiceManager.Dotnet).RunAsync().ConfigureAwait(false);
        });
        return command;
    }

    private static Command WaitHealthy(CliContext context)
    {
        var port = new Option<int>("--port") { DefaultValueFactory = _ => 7880 };
        var timeout = new Option<int>("--timeout") { Description = "seconds", DefaultValueFactory = _ => 30 };
        var command = new Command("wait-healthy", "(internal) wait until /health answers ok; exit 1 after the timeout") { port, timeout };
        command.Hidden = true;
        command.SetAction(async (parse, ct) =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            var report = await HealthProbe.WaitHealthyAsync(http, $"http://127.0.0.1:{parse.GetValue(port)}", TimeSpan.FromSeconds(parse.GetValue(timeout)), ct).ConfigureAwait(false);
            if (!report.Healthy)
            {
                await context.Error.WriteLineAsync($"error: not healthy: {report.Error ?? report.State}").ConfigureAwait(false);
            }

            return report.Healthy ? 0 : 1;
        });
        return command;
    }
}
