using Spectre.Console;

namespace Starling.Cli;

/// <summary>
/// Everything a command touches outside its arguments: output and error writers, standard input, environment
/// variables, the HTTP client and the clock. Tests replace all of them.
/// </summary>
internal sealed class CliContext
{
    private IAnsiConsole? _console;

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Opens standard input as bytes (webhook bodies are hashed byte for byte).</summary>
    public Func<Stream> OpenInput { get; init; } = () => Stream.Null;

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The HTTP client API commands send with; the SDK's shared client when null.</summary>
    public HttpClient? HttpClient { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Plain output: no colours or ANSI codes and a wide fixed width (tests, pipes, files).</summary>
    public bool Plain { get; init; }

    /// <summary>Spectre console writing to <see cref="Out"/>, for tables.</summary>
    public IAnsiConsole Console => _console ??= CreateConsole();

    public static CliContext CreateDefault() => new()
    {
        Out = System.Console.Out,
        Error = System.Console.Error,
        OpenInput = System.Console.OpenStandardInput,
        Plain = System.Console.IsOutputRedirected,
    };

    private IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = Plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        if (Plain)
        {
            console.Profile.Width = 200;
        }

        return console;
    }
}
