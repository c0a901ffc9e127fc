namespace Starling.Cli.Service;

/// <summary>What <c>service status</c> reports (also as JSON with <c>--json</c>).</summary>
internal sealed record ServiceStatus(
    bool Installed,
    string State,
    ServiceScope? Scope,
    ServiceManagerKind? Manager,
    string? Dir,
    int? Pid,
    int? SupervisorPid,
    double? UptimeSeconds,
    string? Url,
    string? WsUrl,
    string? Health,
    string? Version,
    int? Rooms,
    int? Participants,
    string? ApiKey,
    string? ApiSecret,
    string? ConfigPath,
    string? LogPath)
{
    public static ServiceStatus NotInstalled { get; } = new(false, "not installed", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /// <summary>The lines other programs use to reach the service.</summary>
    public IEnumerable<string> EnvLines()
    {
        if (WsUrl is not null)
        {
            yield return "LIVEKIT_URL=" + WsUrl;
        }

        if (ApiKey is not null)
        {
            yield return "LIVEKIT_API_KEY=" + ApiKey;
        }

        if (ApiSecret is not null)
        {
            yield return "LIVEKIT_API_SECRET=" + ApiSecret;
        }
    }
}
