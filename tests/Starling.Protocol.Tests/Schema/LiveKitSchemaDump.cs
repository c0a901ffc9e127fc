using System.Diagnostics;

namespace Starling.Protocol.Tests.Schema;

/// <summary>Runs <c>tests/schema/dump-descriptors.mjs</c> (node + @livekit/protocol) and reads its output.</summary>
internal static class LiveKitSchemaDump
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Starling.slnx")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"no Starling.slnx above {AppContext.BaseDirectory}");
    }

    /// <summary>The LiveKit schema, or an exception whose message says how to make it available.</summary>
    public static SchemaDescription Load()
    {
        var schemaDir = Path.Combine(RepositoryRoot(), "tests", "schema");
        if (!Directory.Exists(Path.Combine(schemaDir, "node_modules", "@livekit", "protocol")))
        {
            throw new InvalidOperationException(
                $"{schemaDir}/node_modules/@livekit/protocol is missing: run npm ci in tests/schema; ./test.sh does this.");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = schemaDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("dump-descriptors.mjs");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run node (needed for the schema conformance test): {e.Message}", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"node dump-descriptors.mjs did not finish within {Timeout}");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"node dump-descriptors.mjs exited with {process.ExitCode}: {stderr.GetAwaiter().GetResult()}");
            }

            return SchemaDescription.Parse(stdout.GetAwaiter().GetResult());
        }
    }
}
