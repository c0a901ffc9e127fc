using System.Globalization;
using System.Security;
using System.Text;

namespace Starling.Cli.Service;

/// <summary>
/// The text files <c>service install</c> writes, as pure functions (tests check them, with <c>systemd-analyze verify</c>
/// where it exists): the server's <c>livekit.yaml</c>, the launcher script, the systemd unit and the launchd plist.
/// </summary>
internal static class ServiceDefinitions
{
    /// <summary>A livekit-server style config: HTTP on <paramref name="port"/>, ICE/TCP on +1, media UDP on +2 (7880/7881/7882 by default).</summary>
    public static string Config(int port, string key, string secret, bool dev)
    {
        var text = new StringBuilder();
        text.Append("# Starling service configuration (livekit-server's livekit.yaml format), written by `starling service install`.\n");
        text.Append(CultureInfo.InvariantCulture, $"port: {port}\n");
        if (dev)
        {
            text.Append("bind_addresses: [ 127.0.0.1 ]\n");
        }

        text.Append("rtc:\n");
        text.Append(CultureInfo.InvariantCulture, $"  tcp_port: {port + 1}\n");
        text.Append(CultureInfo.InvariantCulture, $"  udp_port: {port + 2}\n");
        text.Append("keys:\n");
        text.Append(CultureInfo.InvariantCulture, $"  {key}: {secret}\n");
        text.Append("logging:\n  level: info\n");
        return text.ToString();
    }

    /// <summary><c>DIR/starling</c>: runs the installed copy of the CLI with the same .NET host.</summary>
    public static string Launcher(string dotnet, string serverDll) =>
        $"#!/bin/sh\n# Runs the Starling installed here (written by `starling service install`).\nexec \"{dotnet}\" \"{serverDll}\" \"$@\"\n";

    /// <summary>
    /// The systemd unit: the server in the foreground, restarted on failure, logging to the journal, started only once
    /// <c>/health</c> answers (<c>ExecStartPost</c>).
    /// </summary>
    public static string SystemdUnit(ServiceLayout layout, int port)
    {
        var text = new StringBuilder();
        text.Append("[Unit]\n");
        text.Append("Description=Starling real-time media server (LiveKit-compatible)\n");
        text.Append("After=network-online.target\n");
        text.Append("Wants=network-online.target\n\n");
        text.Append("[Service]\n");
        text.Append("Type=simple\n");
        text.Append(CultureInfo.InvariantCulture, $"WorkingDirectory={layout.Dir}\n");
        text.Append(CultureInfo.InvariantCulture, $"ExecStart={layout.Launcher} serve --config {layout.ConfigPath}\n");
        text.Append(CultureInfo.InvariantCulture, $"ExecStartPost={layout.Launcher} service wait-healthy --port {port} --timeout 30\n");
        text.Append("Restart=on-failure\n");
        text.Append("RestartSec=2\n");
        text.Append("TimeoutStopSec=20\n");
        text.Append("KillSignal=SIGTERM\n");
        text.Append("StandardOutput=journal\n");
        text.Append("StandardError=journal\n");
        text.Append("SyslogIdentifier=starling\n\n");
        text.Append("[Install]\n");
        text.Append(layout.Scope == ServiceScope.User ? "WantedBy=default.target\n" : "WantedBy=multi-user.target\n");
        return text.ToString();
    }

    /// <summary>The launchd property list: started at load, kept alive on failure, logs under the log directory.</summary>
    public static string LaunchdPlist(ServiceLayout layout)
    {
        static string E(string s) => SecurityElement.Escape(s);
        var text = new StringBuilder();
        text.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        text.Append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
        text.Append("<plist version=\"1.0\">\n<dict>\n");
        text.Append(CultureInfo.InvariantCulture, $"  <key>Label</key>\n  <string>{ServiceLayout.LaunchdLabel}</string>\n");
        text.Append("  <key>ProgramArguments</key>\n  <array>\n");
        foreach (var arg in new[] { layout.Launcher, "serve", "--config", layout.ConfigPath })
        {
            text.Append(CultureInfo.InvariantCulture, $"    <string>{E(arg)}</string>\n");
        }

        text.Append("  </array>\n");
        text.Append(CultureInfo.InvariantCulture, $"  <key>WorkingDirectory</key>\n  <string>{E(layout.Dir)}</string>\n");
        text.Append("  <key>RunAtLoad</key>\n  <true/>\n");
        text.Append("  <key>KeepAlive</key>\n  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n");
        text.Append(CultureInfo.InvariantCulture, $"  <key>StandardOutPath</key>\n  <string>{E(layout.LogFile)}</string>\n");
        text.Append(CultureInfo.InvariantCulture, $"  <key>StandardErrorPath</key>\n  <string>{E(layout.LogFile)}</string>\n");
        text.Append("</dict>\n</plist>\n");
        return text.ToString();
    }
}
