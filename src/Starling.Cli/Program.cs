using System.CommandLine;
using Starling.Cli.Commands;

var root = new RootCommand("Starling: a LiveKit-compatible real-time media server")
{
    ServeCommand.Create(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
