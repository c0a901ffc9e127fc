namespace Starling.Cli.Service;

/// <summary>What keeps the server running: systemd, launchd, or Starling's own supervisor where neither is there.</summary>
internal enum ServiceManagerKind
{
    Systemd,
    Launchd,
    Supervisor,
}
