using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Starling.Cli.Service;

/// <summary>
/// Starling's own supervisor, for machines without systemd or launchd: a detached process (<c>service supervise</c>)
/// that runs the installed server, writes both pid files, copies the server's output into the rotated log, and
/// restarts the server when it fails (non-zero exit or a signal; like <c>Restart=on-failure</c>) with a back-off of 1 s
/// doubling to 30 s (reset after a minute up). SIGTERM/SIGINT stop it: the server gets SIGTERM (its graceful drain),
/// SIGKILL after 15 s.
/// </summary>
internal sealed class Supervisor(ServiceLayout layout, string dotnet)
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    public async Task<int> RunAsync()
    {
        Directory.CreateDirectory(layout.Dir);
        using var log = new RotatingLog(layout.LogFile);
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.TrySetResult(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; stop.TrySetResult(); });
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, ctx => ctx.Cancel = true);
        await File.WriteAllTextAsync(layout.SupervisorPidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        log.WriteLine($"supervisor {Environment.ProcessId}: supervising {layout.ServerDll}");
        var backoff = TimeSpan.FromSeconds(1);
        try
        {
            while (!stop.Task.IsCompleted)
            {
                using var server = StartServer(log);
                var started = Stopwatch.StartNew();
                var exited = server.WaitForExitAsync();
                if (await Task.WhenAny(exited, stop.Task).ConfigureAwait(false) == stop.Task)
                {
                    log.WriteLine($"supervisor: stopping server {server.Id} (SIGTERM)");
                    Posix.Signal(server.Id, Posix.SigTerm);
                    if (await Task.WhenAny(exited, Task.Delay(StopGrace)).ConfigureAwait(false) != exited)
                    {
                        log.WriteLine($"supervisor: server {server.Id} did not stop within {StopGrace.TotalSeconds} s; killing it");
                        server.Kill();
                        await exited.ConfigureAwait(false);
                    }

                    log.WriteLine($"supervisor: server exited with code {server.ExitCode}");
                    break;
                }

                var code = server.ExitCode;
                File.Delete(layout.ServerPidFile);
                if (code == 0)
                {
                    log.WriteLine("supervisor: server exited normally (code 0); not restarting");
                    break;
                }

                if (started.Elapsed > TimeSpan.FromMinutes(1))
                {
                    backoff = TimeSpan.FromSeconds(1);
                }

                log.WriteLine($"supervisor: server exited with code {code} after {started.Elapsed.TotalSeconds:0.0} s; restarting in {backoff.TotalSeconds:0} s");
                await Task.WhenAny(Task.Delay(backoff), stop.Task).ConfigureAwait(false);
                backoff = TimeSpan.FromSeconds(Math.Min(30, backoff.TotalSeconds * 2));
            }
        }
        finally
        {
            File.Delete(layout.ServerPidFile);
            File.Delete(layout.SupervisorPidFile);
            log.WriteLine($"supervisor {Environment.ProcessId}: exiting");
        }

        return 0;
    }

    private Process StartServer(RotatingLog log)
    {
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = layout.Dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { layout.ServerDll, "serve", "--config", layout.ConfigPath })
        {
            start.ArgumentList.Add(arg);
        }

        var server = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        server.OutputDataReceived += (_, e) => { if (e.Data is not null) log.WriteLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.WriteLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        server.StandardInput.Close();
        File.WriteAllText(layout.ServerPidFile, server.Id.ToString(CultureInfo.InvariantCulture));
        log.WriteLine($"supervisor: started server {server.Id}");
        return server;
    }
}
