namespace Starling.Cli;

/// <summary>A user error (bad input, missing credentials): printed as one line on stderr, exit code 1.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
