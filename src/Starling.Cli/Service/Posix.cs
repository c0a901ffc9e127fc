using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Starling.Cli.Service;

/// <summary>The few POSIX process calls the service commands need (signals by pid, liveness).</summary>
internal static class Posix
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/>; false when the process does not exist.</summary>
    public static bool Signal(int pid, int signal) => pid > 0 && Kill(pid, signal) == 0;

    /// <summary>The process exists (signal 0 probes without sending). A zombie counts as gone.</summary>
    public static bool IsAlive(int pid)
    {
        if (pid <= 0 || Kill(pid, 0) != 0)
        {
            return false;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..];
            return state.Length == 0 || state[0] != 'Z';
        }
        catch (IOException)
        {
            return true; // no /proc (macOS): kill(0) said it exists
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    public static int? ReadPid(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), out var pid) && IsAlive(pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Seconds since the process started, from /proc; null when unknown.</summary>
    public static double? UptimeSeconds(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return (DateTime.Now - process.StartTime).TotalSeconds;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
