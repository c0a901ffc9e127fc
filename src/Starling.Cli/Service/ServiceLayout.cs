namespace Starling.Cli.Service;

/// <summary>
/// Where an installed service lives. User: <c>~/.starling/services/starling/</c> (the server under <c>bin/</c>,
/// <c>livekit.yaml</c>, pid files), logs in <c>~/.starling/logs/</c>, the manifest in <c>~/.starling/service.json</c>,
/// a systemd user unit or a launchd agent. System: <c>/opt/starling</c>, <c>/var/log/starling</c>,
/// <c>/etc/starling/service.json</c>, a system unit or a launchd daemon. <c>--dir</c> moves the service directory.
/// </summary>
internal sealed record ServiceLayout(ServiceScope Scope, string Home, string Dir)
{
    public const string Name = "starling";
    public const string LaunchdLabel = "io.starling.server";

    public static ServiceLayout For(ServiceScope scope, string home, string? dir = null) =>
        new(scope, home, Path.GetFullPath(dir ?? (scope == ServiceScope.User ? Path.Combine(home, ".starling", "services", Name) : "/opt/starling")));

    /// <summary><c>~/.starling</c> (user scope).</summary>
    public string StarlingHome => Path.Combine(Home, ".starling");

    public string BinDir => Path.Combine(Dir, "bin");

    public string ServerDll => Path.Combine(BinDir, "starling.dll");

    /// <summary>A launcher script: <c>DIR/starling serve …</c> runs the installed copy.</summary>
    public string Launcher => Path.Combine(Dir, Name);

    public string ConfigPath => Path.Combine(Dir, "livekit.yaml");

    public string LogDir => Scope == ServiceScope.User ? Path.Combine(StarlingHome, "logs") : "/var/log/starling";

    public string LogFile => Path.Combine(LogDir, "starling.log");

    public string SupervisorPidFile => Path.Combine(Dir, "supervisor.pid");

    public string ServerPidFile => Path.Combine(Dir, "server.pid");

    public string ManifestPath => Scope == ServiceScope.User ? Path.Combine(StarlingHome, "service.json") : "/etc/starling/service.json";

    public string UnitPath => Scope == ServiceScope.User
        ? Path.Combine(Home, ".config", "systemd", "user", Name + ".service")
        : "/etc/systemd/system/" + Name + ".service";

    public string PlistPath => Scope == ServiceScope.User
        ? Path.Combine(Home, "Library", "LaunchAgents", LaunchdLabel + ".plist")
        : "/Library/LaunchDaemons/" + LaunchdLabel + ".plist";
}
