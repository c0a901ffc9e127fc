using System.Text;
using Starling.Protocol.Auth;
using Starling.Testing;

namespace Starling.Cli.Tests;

/// <summary>Runs the <c>starling</c> command in-process with a fake HTTP server, environment, stdin and clock.</summary>
internal sealed class CliHarness
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public FakeHttpHandler Http { get; } = new();

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public byte[] Stdin { get; set; } = [];

    public ManualTimeProvider Time { get; } = new(Now);

    /// <summary>Send over the network (end-to-end tests) instead of to <see cref="Http"/>.</summary>
    public bool RealNetwork { get; init; }

    /// <summary>The clock commands read; <see cref="Time"/> unless replaced (end-to-end tests use the real clock).</summary>
    public TimeProvider? Clock { get; init; }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new CliContext
        {
            Out = stdout,
            Error = stderr,
            OpenInput = () => new MemoryStream(Stdin),
            Environment = name => Environment.GetValueOrDefault(name),
            HttpClient = RealNetwork ? null : Http.CreateClient(),
            Time = Clock ?? Time,
            Plain = true,
        };
        var exit = await Program.RunAsync(args, context);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The claims of the bearer token of the last request, verified with <paramref name="secret"/>.</summary>
    public TokenClaims LastClaims(string key = "devkey", string secret = "secret") =>
        AccessTokenCodec.Verify(Http.Last.BearerToken!, k => k == key ? secret : null, Now);
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string Line => Stdout.Trim();

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";

    public CliResult AssertSuccess()
    {
        Assert.True(ExitCode == 0, ToString());
        Assert.Equal(string.Empty, Stderr);
        return this;
    }

    public CliResult AssertError(string contains)
    {
        Assert.True(ExitCode == 1, ToString());
        Assert.Contains(contains, Stderr, StringComparison.Ordinal);
        return this;
    }
}

internal static class Bytes
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
