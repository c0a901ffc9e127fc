using System.CommandLine;
using Starling.Cli.Commands;

namespace Starling.Cli;

/// <summary>The <c>starling</c> command.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, CliContext.CreateDefault());

    /// <summary>Parses and runs <paramref name="args"/> with the given I/O (tests pass their own).</summary>
    public static Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = CreateRootCommand(context);
        var invocation = new InvocationConfiguration { Output = context.Out, Error = context.Error };
        return root.Parse(args).InvokeAsync(invocation, cancellationToken);
    }

    public static RootCommand CreateRootCommand(CliContext context) => new("Starling: a LiveKit-compatible real-time media server and its tools")
    {
        ServeCommand.Create(),
        TokenCommand.Create(context),
        RoomCommand.Create(context),
        ParticipantCommand.Create(context),
        SendDataCommand.Create(context),
        DispatchCommand.Create(context),
        AgentCommand.Create(context),
        WebhookCommand.Create(context),
    };
}
