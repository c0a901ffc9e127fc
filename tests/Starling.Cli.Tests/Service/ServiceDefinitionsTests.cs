using System.Diagnostics;
using System.Xml.Linq;
using Starling.Cli.Service;
using Starling.Server.Config;

namespace Starling.Cli.Tests.Service;

/// <summary>
/// The files <c>service install</c> writes: a config the server accepts, a systemd unit that <c>systemd-analyze verify</c>
/// accepts (where installed), a well-formed launchd plist with the keys launchd needs, and the layouts.
/// </summary>
public sealed class ServiceDefinitionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("starling-service-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Config_IsAcceptedByTheServer(bool dev)
    {
        var path = Path.Combine(_dir, "livekit.yaml");
        File.WriteAllText(path, ServiceDefinitions.Config(17880, "APIkey", "a-secret-that-is-long-enough-for-prod-use", dev));
        var config = ConfigLoader.Load(new ServeOptions { ConfigFile = path });
        Assert.Equal(17880, config.Port);
        Assert.Equal(17881, config.Rtc.TcpPort);
        Assert.Equal(17882, config.Rtc.UdpPort);
        Assert.Equal("a-secret-that-is-long-enough-for-prod-use", config.Keys["APIkey"]);
        Assert.Equal(dev ? ["127.0.0.1"] : [], config.BindAddresses);
    }

    [Theory]
    [InlineData(false, "/home/u/.starling/services/starling", "/home/u/.config/systemd/user/starling.service", "/home/u/.starling/logs")]
    [InlineData(true, "/opt/starling", "/etc/systemd/system/starling.service", "/var/log/starling")]
    public void Layout_DefaultsPerScope(bool system, string dir, string unit, string logs)
    {
        var scope = system ? ServiceScope.System : ServiceScope.User;
        var layout = ServiceLayout.For(scope, "/home/u");
        Assert.Equal(dir, layout.Dir);
        Assert.Equal(unit, layout.UnitPath);
        Assert.Equal(logs, layout.LogDir);
        Assert.Equal(Path.Combine(dir, "livekit.yaml"), layout.ConfigPath);
        Assert.Equal("/srv/x", ServiceLayout.For(scope, "/home/u", "/srv/x").Dir);
    }

    [Fact]
    public void SystemdUnit_HasTheRequiredSettings_AndVerifies()
    {
        var layout = ServiceLayout.For(ServiceScope.System, "/root", _dir);
        var unit = ServiceDefinitions.SystemdUnit(layout, 7880);
        Assert.Contains("Restart=on-failure", unit, StringComparison.Ordinal);
        Assert.Contains($"ExecStart={layout.Launcher} serve --config {layout.ConfigPath}", unit, StringComparison.Ordinal);
        Assert.Contains($"ExecStartPost={layout.Launcher} service wait-healthy --port 7880", unit, StringComparison.Ordinal);
        Assert.Contains("StandardOutput=journal", unit, StringComparison.Ordinal);
        Assert.Contains("WantedBy=multi-user.target", unit, StringComparison.Ordinal);
        Assert.Contains("WantedBy=default.target", ServiceDefinitions.SystemdUnit(ServiceLayout.For(ServiceScope.User, "/home/u"), 7880), StringComparison.Ordinal);

        if (OperatingSystem.IsWindows() || !File.Exists("/usr/bin/systemd-analyze"))
        {
            return; // the text checks above are all this machine can do
        }

        // systemd-analyze wants the executables to exist
        File.WriteAllText(layout.Launcher, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(layout.Launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var unitPath = Path.Combine(_dir, "starling.service");
        File.WriteAllText(unitPath, unit);
        var start = new ProcessStartInfo("/usr/bin/systemd-analyze", ["verify", "--man=no", unitPath]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var verify = Process.Start(start)!;
        var output = verify.StandardError.ReadToEnd() + verify.StandardOutput.ReadToEnd();
        verify.WaitForExit();
        // outside a systemd boot it still parses the unit; only complaints about our unit count
        var ours = output.Split('\n').Where(l => l.Contains("starling.service", StringComparison.Ordinal) && !l.Contains("network-online.target", StringComparison.Ordinal)).ToList();
        Assert.True(ours.Count == 0, "systemd-analyze verify: " + string.Join('\n', ours));
    }

    [Fact]
    public void LaunchdPlist_IsWellFormedWithLabelProgramAndKeepAlive()
    {
        var layout = ServiceLayout.For(ServiceScope.User, "/Users/u & co");
        var plist = XDocument.Parse(ServiceDefinitions.LaunchdPlist(layout));
        var keys = plist.Root!.Element("dict")!.Elements("key").Select(k => k.Value).ToList();
        Assert.Equal(["Label", "ProgramArguments", "WorkingDirectory", "RunAtLoad", "KeepAlive", "StandardOutPath", "StandardErrorPath"], keys);
        var args = plist.Root.Element("dict")!.Element("array")!.Elements("string").Select(s => s.Value).ToList();
        Assert.Equal([layout.Launcher, "serve", "--config", layout.ConfigPath], args);
        Assert.Contains(plist.Descendants("string"), s => s.Value == "/Users/u & co/.starling/logs/starling.log");
        Assert.Equal("/Users/u & co/Library/LaunchAgents/io.starling.server.plist", layout.PlistPath);
    }

    [Fact]
    public void Launcher_RunsTheInstalledCopy()
    {
        var text = ServiceDefinitions.Launcher("/usr/bin/dotnet", "/opt/starling/bin/starling.dll");
        Assert.StartsWith("#!/bin/sh\n", text, StringComparison.Ordinal);
        Assert.Contains("exec \"/usr/bin/dotnet\" \"/opt/starling/bin/starling.dll\" \"$@\"", text, StringComparison.Ordinal);
    }
}
