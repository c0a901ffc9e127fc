using System.Net;
using System.Text.Json;
using Starling.Protocol.Auth;
using Starling.Testing;

namespace Starling.Cli.Tests.Commands;

public sealed class AgentCommandTests
{
    private const string Workers = """
        {"workers":[{"id":"AW_1","agentName":"","namespace":"","deployment":"","version":"1.7.0","jobType":"JT_ROOM","status":"WS_AVAILABLE","load":0.25,"jobCount":2,"reportedJobCount":0,"registeredAt":"2026-03-01T12:00:00Z","jobs":["AJ_1","AJ_2"]},
                    {"id":"AW_2","agentName":"bot","namespace":"","deployment":"","version":"1.0.0","jobType":"JT_PUBLISHER","status":"WS_FULL","load":1,"jobCount":0,"reportedJobCount":0,"registeredAt":"2026-03-01T12:00:00Z","jobs":[]}]}
        """;

    private readonly CliHarness _cli = new();

    [Fact]
    public async Task Workers_PrintsTable_WithRoomListToken()
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Text(Workers, HttpStatusCode.OK, "application/json");

        var result = (await _cli.RunAsync("agent", "workers")).AssertSuccess();

        Assert.Equal(HttpMethod.Get, _cli.Http.Last.Method);
        Assert.Equal("/admin/agents/workers", _cli.Http.Last.Uri.AbsolutePath);
        Assert.Equal(new VideoGrant { RoomList = true }, _cli.LastClaims().Video);
        foreach (var header in new[] { "ID", "Name", "Type", "Version", "Load", "Status", "Jobs" })
        {
            Assert.Contains(header, result.Stdout, StringComparison.Ordinal);
        }

        var first = result.Stdout.Split('\n').Single(l => l.Contains("AW_1", StringComparison.Ordinal));
        Assert.Matches(@"AW_1\s*│\s*\(automatic\)\s*│\s*JT_ROOM\s*│\s*1\.7\.0\s*│\s*0\.25\s*│\s*WS_AVAILABLE\s*│\s*2", first);
        Assert.Contains("bot", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("WS_FULL", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workers_Json_PrintsTheServerAnswer()
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Text(Workers, HttpStatusCode.OK, "application/json");
        var result = (await _cli.RunAsync("agent", "workers", "--json")).AssertSuccess();
        Assert.Equal("AJ_2", JsonDocument.Parse(result.Stdout).RootElement.GetProperty("workers")[0].GetProperty("jobs")[1].GetString());
    }

    [Fact]
    public async Task Workers_None_SaysSo()
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Text("""{"workers":[]}""", HttpStatusCode.OK, "application/json");
        Assert.Equal("no workers", (await _cli.RunAsync("agent", "workers")).AssertSuccess().Line);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "error: 403: permissions denied")]
    [InlineData(HttpStatusCode.NotFound, "error: the server has no agent admin API")]
    public async Task Workers_ServerRefuses_OneErrorLine(HttpStatusCode status, string expected)
    {
        _cli.Http.Respond = _ => FakeHttpHandler.Text("permissions denied", status);
        var result = await _cli.RunAsync("agent", "workers");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(expected, result.Stderr, StringComparison.Ordinal);
    }
}
