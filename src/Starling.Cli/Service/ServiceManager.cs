using System.Diagnostics;
using System.Security.Cryptography;
using Starling.Server.Config;

namespace Starling.Cli.Service;

/// <summary>
/// <c>starling service</c>: installs the built server as a local service and starts, stops and inspects it the same way
/// under systemd (when it runs), launchd (macOS) or Starling's own <see cref="Supervisor"/>. Environment:
/// <c>HOME</c> decides the user layout; <c>STARLING_SERVICE_MANAGER=systemd|launchd|supervisor</c> overrides detection.
/// </summary>
internal sealed class ServiceManager(CliContext context)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

    private string Home => context.Environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>The dotnet host running us (the installed launcher and units use the same one).</summary>
    public static string Dotnet => Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    public ServiceManagerKind DetectManager()
    {
        switch (context.Environment("STARLING_SERVICE_MANAGER"))
        {
            case "systemd": return ServiceManagerKind.Systemd;
            case "launchd": return ServiceManagerKind.Launchd;
            case "supervisor": return ServiceManagerKind.Supervisor;
            case { Length: > 0 } other: throw new CliException($"STARLING_SERVICE_MANAGER must be systemd, launchd or supervisor, not '{other}'");
        }

        if (OperatingSystem.IsMacOS())
        {
            return ServiceManagerKind.Launchd;
        }

        // sd_booted(): systemd is PID 1 when this directory exists
        return Directory.Exists("/run/systemd/system") ? ServiceManagerKind.Systemd : ServiceManagerKind.Supervisor;
    }

    /// <summary>The installed service: the scope asked for, else the user's install, else the system's.</summary>
    public (ServiceLayout Layout, ServiceManifest Manifest)? Find(ServiceScope? scope)
    {
        foreach (var candidate in scope is { } only ? [only] : new[] { ServiceScope.User, ServiceScope.System })
        {
            var probe = ServiceLayout.For(candidate, Home);
            if (ServiceManifest.Read(probe.ManifestPath) is { } manifest)
            {
                return (ServiceLayout.For(candidate, Home, manifest.Dir), manifest);
            }
        }

        return null;
    }

    public (ServiceLayout Layout, ServiceManifest Manifest) Require(ServiceScope? scope) =>
        Find(scope) ?? throw new CliException("the starling service is not installed (run: ./starling service install)");

    // ------------------------------------------------------------------ install / uninstall

    public void Install(ServiceScope scope, int port, bool dev, string? dir)
    {
        if (port is < 1 or > 65533)
        {
            throw new CliException($"--port must be between 1 and 65533 (the service also uses port+1 for ICE/TCP and port+2 for media), not {port}");
        }

        var layout = ServiceLayout.For(scope, Home, dir);
        if (Find(scope) is { } existing)
        {
            throw new CliException($"the starling service is already installed in {existing.Layout.Dir} (run: ./starling service uninstall first)");
        }

        foreach (var p in new[] { port, port + 1 })
        {
            if (HealthProbe.PortInUse(p))
            {
                throw new CliException($"port {p} is already in use by another process: choose another with --port");
            }
        }

        var manager = DetectManager();
        var (key, secret) = dev ? ("devkey", "secret") : NewKeys();
        try
        {
            CopyServer(layout);
            WriteFile(layout.ConfigPath, ServiceDefinitions.Config(port, key, secret, dev), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            WriteFile(layout.Launcher, ServiceDefinitions.Launcher(Dotnet, layout.ServerDll),
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            Directory.CreateDirectory(layout.LogDir);
            switch (manager)
            {
                case ServiceManagerKind.Systemd:
                    WriteFile(layout.UnitPath, ServiceDefinitions.SystemdUnit(layout, port), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                    Systemctl(layout, "daemon-reload");
                    Systemctl(layout, "enable", ServiceLayout.Name);
                    break;
                case ServiceManagerKind.Launchd:
                    WriteFile(layout.PlistPath, ServiceDefinitions.LaunchdPlist(layout), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                    break;
            }

            var manifest = new ServiceManifest
            {
                Scope = scope,
                Manager = manager,
                Dir = layout.Dir,
                Port = port,
                Dev = dev,
                Version = Starling.Server.HealthEndpoint.Version,
                InstalledAt = context.Time.GetUtcNow(),
            };
            WriteFile(layout.ManifestPath, manifest.ToJson(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            context.WriteLine($"installed the starling service ({scope.ToString().ToLowerInvariant()}, {Describe(manager)}) in {layout.Dir}");
            context.WriteLine($"  config   {layout.ConfigPath} (mode 0600)");
            context.WriteLine($"  logs     {(manager == ServiceManagerKind.Systemd ? "the journal (./starling service logs)" : layout.LogFile)}");
            context.WriteLine(dev ? "  keys     devkey / secret (dev mode, loopback only)" : "  keys     a fresh API key and secret, shown here once (they stay in livekit.yaml):");
            context.WriteLine($"LIVEKIT_URL={manifest.WsUrl}");
            context.WriteLine($"LIVEKIT_API_KEY={key}");
            context.WriteLine($"LIVEKIT_API_SECRET={secret}");
            context.WriteLine("start it with: ./starling service start");
        }
        catch (UnauthorizedAccessException ex) when (scope == ServiceScope.System)
        {
            throw new CliException($"installing for the system needs root ({ex.Message}): run it with sudo, or install with --user", ex);
        }
    }

    public bool Uninstall(ServiceScope? scope, bool yes, Func<string?> readLine)
    {
        var (layout, manifest) = Require(scope);
        if (!yes)
        {
            context.Out.Write($"remove the starling service in {layout.Dir}, its config, logs and service definition? [y/N] ");
            context.Out.Flush();
            var answer = readLine()?.Trim();
            if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
            {
                context.WriteLine("not removed");
                return false;
            }
        }

        Stop(layout, manifest, quiet: true);
        switch (manifest.Manager)
        {
            case ServiceManagerKind.Systemd:
                Systemctl(layout, "disable", ServiceLayout.Name);
                File.Delete(layout.UnitPath);
                Systemctl(layout, "daemon-reload");
                break;
            case ServiceManagerKind.Launchd:
                File.Delete(layout.PlistPath);
                break;
        }

        DeleteDirectory(layout.Dir);
        DeleteDirectory(layout.LogDir);
        File.Delete(layout.ManifestPath);
        if (layout.Scope == ServiceScope.User)
        {
            DeleteIfEmpty(Path.Combine(layout.StarlingHome, "services"));
            DeleteIfEmpty(layout.StarlingHome);
        }
        else
        {
            DeleteIfEmpty(Path.GetDirectoryName(layout.ManifestPath)!);
        }

        context.WriteLine($"uninstalled the starling service from {layout.Dir}");
        return true;
    }

    // ------------------------------------------------------------------ start / stop / status / logs

    public async Task StartAsync(ServiceScope? scope, CancellationToken cancellationToken)
    {
        var (layout, manifest) = Require(scope);
        var before = await StatusAsync(layout, manifest, cancellationToken).ConfigureAwait(false);
        if (before.State == "running")
        {
            context.WriteLine($"the starling service is already running (pid {before.Pid})");
            return;
        }

        if (HealthProbe.PortInUse(manifest.Port))
        {
            throw new CliException($"port {manifest.Port} is in use by another process: stop it, or reinstall with another --port");
        }

        try
        {
            ConfigLoader.Load(new ServeOptions { ConfigFile = layout.ConfigPath });
        }
        catch (ConfigException ex)
        {
            throw new CliException($"the service's config {layout.ConfigPath} is invalid: {ex.Message}", ex);
        }

        switch (manifest.Manager)
        {
            case ServiceManagerKind.Systemd:
                Systemctl(layout, "start", ServiceLayout.Name);
                break;
            case ServiceManagerKind.Launchd:
                Run("launchctl", "load", "-w", layout.PlistPath);
                break;
            default:
                SpawnSupervisor(layout);
                break;
        }

        var health = await HealthProbe.WaitHealthyAsync(Http, manifest.HttpUrl, TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
        if (!health.Healthy)
        {
            throw new CliException($"the service did not become healthy within 20 s ({health.Error ?? health.State ?? "no answer"}); see ./starling service logs");
        }

        context.WriteLine($"started the starling service: {manifest.WsUrl}");
    }

    public void Stop(ServiceScope? scope)
    {
        var (layout, manifest) = Require(scope);
        Stop(layout, manifest, quiet: false);
    }

    private void Stop(ServiceLayout layout, ServiceManifest manifest, bool quiet)
    {
        switch (manifest.Manager)
        {
            case ServiceManagerKind.Systemd:
                Systemctl(layout, "stop", ServiceLayout.Name);
                break;
            case ServiceManagerKind.Launchd:
                Run("launchctl", "unload", layout.PlistPath);
                break;
        }

        // the supervisor (and a server it left behind) are stopped by pid in every case
        var supervisor = Posix.ReadPid(layout.SupervisorPidFile);
        var server = Posix.ReadPid(layout.ServerPidFile);
        if (supervisor is { } s)
        {
            Posix.Signal(s, Posix.SigTerm);
            if (!WaitGone(s, TimeSpan.FromSeconds(25)))
            {
                Posix.Signal(s, Posix.SigKill);
            }
        }

        if (server is { } p && Posix.IsAlive(p))
        {
            Posix.Signal(p, Posix.SigTerm);
            if (!WaitGone(p, TimeSpan.FromSeconds(15)))
            {
                Posix.Signal(p, Posix.SigKill);
                WaitGone(p, TimeSpan.FromSeconds(5));
            }
        }

        File.Delete(layout.SupervisorPidFile);
        File.Delete(layout.ServerPidFile);
        WaitUntil(() => !HealthProbe.PortInUse(manifest.Port), TimeSpan.FromSeconds(10));

        if (!quiet)
        {
            context.WriteLine(supervisor is null && server is null && manifest.Manager == ServiceManagerKind.Supervisor
                ? "the starling service was not running"
                : "stopped the starling service");
        }
    }

    public async Task<ServiceStatus> StatusAsync(ServiceScope? scope, CancellationToken cancellationToken)
    {
        if (Find(scope) is not { } found)
        {
            return ServiceStatus.NotInstalled;
        }

        return await StatusAsync(found.Layout, found.Manifest, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ServiceStatus> StatusAsync(ServiceLayout layout, ServiceManifest manifest, CancellationToken cancellationToken)
    {
        int? pid = null;
        int? supervisor = null;
        switch (manifest.Manager)
        {
            case ServiceManagerKind.Systemd:
                var main = Run("systemctl", ScopeArgs(layout, "show", "-p", "MainPID", "--value", ServiceLayout.Name)).Output.Trim();
                pid = int.TryParse(main, out var m) && m > 0 ? m : null;
                break;
            case ServiceManagerKind.Launchd:
                var list = Run("launchctl", "list", ServiceLayout.LaunchdLabel).Output;
                var line = list.Split('\n').FirstOrDefault(l => l.Contains("\"PID\"", StringComparison.Ordinal));
                pid = line is not null && int.TryParse(new string(line.Where(char.IsDigit).ToArray()), out var l) ? l : null;
                break;
            default:
                supervisor = Posix.ReadPid(layout.SupervisorPidFile);
                pid = supervisor is null ? null : Posix.ReadPid(layout.ServerPidFile);
                break;
        }

        var health = await HealthProbe.ProbeAsync(Http, manifest.HttpUrl, cancellationToken).ConfigureAwait(false);
        var (key, secret) = ReadKeys(layout);
        var state = pid is not null && health.Healthy ? "running"
            : pid is not null ? (health.Reachable ? "unhealthy" : "starting")
            : supervisor is not null ? "restarting"
            : "stopped";
        return new ServiceStatus(true, state, layout.Scope, manifest.Manager, layout.Dir, pid, supervisor,
            health.UptimeSeconds ?? (pid is { } p ? Posix.UptimeSeconds(p) : null), manifest.HttpUrl, manifest.WsUrl,
            health.Reachable ? health.State ?? $"HTTP {health.Status}" : "unreachable", health.Version, health.Rooms, health.Participants,
            key, secret, layout.ConfigPath, manifest.Manager == ServiceManagerKind.Systemd ? null : layout.LogFile);
    }

    public async Task LogsAsync(ServiceScope? scope, bool follow, CancellationToken cancellationToken)
    {
        var (layout, manifest) = Require(scope);
        if (manifest.Manager == ServiceManagerKind.Systemd)
        {
            var args = ScopeArgs(layout, "-u", ServiceLayout.Name, "--no-pager").ToList();
            if (follow)
            {
                args.Add("-f");
            }

            using var journal = Process.Start(Start("journalctl", [.. args], redirect: false)) ?? throw new CliException("could not run journalctl");
            await journal.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!File.Exists(layout.LogFile))
        {
            context.WriteLine($"no log yet ({layout.LogFile})");
            return;
        }

        using var stream = new FileStream(layout.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        for (;;)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is not null)
            {
                context.WriteLine(line);
                continue;
            }

            if (!follow)
            {
                return;
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>The first API key and secret of the installed <c>livekit.yaml</c> (nulls when unreadable).</summary>
    public static (string? Key, string? Secret) ReadKeys(ServiceLayout layout)
    {
        try
        {
            var config = ConfigLoader.Load(new ServeOptions { ConfigFile = layout.ConfigPath });
            foreach (var (key, secret) in config.Keys)
            {
                return (key, secret);
            }

            return default;
        }
        catch (Exception ex) when (ex is ConfigException or IOException or UnauthorizedAccessException)
        {
            return default;
        }
    }

    private static (string Key, string Secret) NewKeys()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var key = "API" + RandomNumberGenerator.GetString(alphabet, 12);
        var secret = RandomNumberGenerator.GetString(alphabet, 43);
        return (key, secret);
    }

    private static void CopyServer(ServiceLayout layout)
    {
        var source = AppContext.BaseDirectory;
        if (!File.Exists(Path.Combine(source, "starling.dll")))
        {
            throw new CliException($"cannot find the built server next to this CLI ({source})");
        }

        Directory.CreateDirectory(layout.BinDir);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(layout.BinDir, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static void WriteFile(string path, string text, UnixFileMode mode)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private void SpawnSupervisor(ServiceLayout layout)
    {
        // setsid + redirections: the supervisor leaves our session and holds none of our terminal or pipes
        var setsid = File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid " : string.Empty;
        var start = Start("/bin/sh", ["-c", $"{setsid}\"$0\" \"$@\" </dev/null >/dev/null 2>&1 &", Dotnet, layout.ServerDll, "service", "supervise", "--dir", layout.Dir, "--scope", layout.Scope.ToString().ToLowerInvariant()], redirect: true);
        using var shell = Process.Start(start) ?? throw new CliException("could not start the supervisor");
        shell.WaitForExit();
        if (!WaitUntil(() => Posix.ReadPid(layout.SupervisorPidFile) is not null, TimeSpan.FromSeconds(10)))
        {
            throw new CliException($"the supervisor did not start within 10 s; see {layout.LogFile}");
        }
    }

    private static bool WaitGone(int pid, TimeSpan timeout) => WaitUntil(() => !Posix.IsAlive(pid), timeout);

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds (true) or <paramref name="timeout"/> passes (false).</summary>
    private static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(50);
        }

        return true;
    }

    private static string[] ScopeArgs(ServiceLayout layout, params string[] args) =>
        layout.Scope == ServiceScope.User ? ["--user", .. args] : args;

    private void Systemctl(ServiceLayout layout, params string[] args)
    {
        var result = Run("systemctl", ScopeArgs(layout, args));
        if (result.Code != 0)
        {
            throw new CliException($"systemctl {string.Join(' ', ScopeArgs(layout, args))} failed: {result.Output.Trim()}");
        }
    }

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        try
        {
            using var process = Process.Start(Start(file, args, redirect: true)) ?? throw new CliException($"could not run {file}");
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new CliException($"could not run {file}: {ex.Message}", ex);
        }
    }

    private static ProcessStartInfo Start(string file, string[] args, bool redirect)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = redirect, RedirectStandardError = redirect, RedirectStandardInput = redirect };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static void DeleteDirectory(string dir)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void DeleteIfEmpty(string dir)
    {
        if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
        {
            Directory.Delete(dir);
        }
    }

    private static string Describe(ServiceManagerKind manager) => manager switch
    {
        ServiceManagerKind.Systemd => "systemd unit",
        ServiceManagerKind.Launchd => "launchd",
        _ => "Starling supervisor",
    };
}
