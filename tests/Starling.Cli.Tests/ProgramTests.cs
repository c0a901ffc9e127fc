namespace Starling.Cli.Tests;

public sealed class ProgramTests
{
    [Theory]
    [InlineData("serve")]
    [InlineData("token")]
    [InlineData("room")]
    [InlineData("participant")]
    [InlineData("send-data")]
    [InlineData("dispatch")]
    [InlineData("webhook")]
    public void Root_HasCommand(string name)
    {
        var root = Program.CreateRootCommand(new CliContext { Out = TextWriter.Null, Error = TextWriter.Null });
        Assert.Contains(root.Subcommands, c => c.Name == name);
    }

    [Fact]
    public async Task UnknownCommand_ExitsOne()
    {
        var result = await new CliHarness().RunAsync("nope");
        Assert.Equal(1, result.ExitCode);
        Assert.NotEmpty(result.Stderr);
    }

    [Fact]
    public async Task Help_ExitsZero()
    {
        var result = await new CliHarness().RunAsync("room", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("update-metadata", result.Stdout, StringComparison.Ordinal);
    }
}
