using System.Text.Json;
using Starling.Protocol.Webhooks;

namespace Starling.Cli.Tests.Commands;

public sealed class WebhookCommandTests
{
    private const string Body = """{"event":"room_started","room":{"name":"r","sid":"RM_1"},"id":"EV_1","createdAt":"1700000000"}""";
    private readonly CliHarness _cli = new();

    [Fact]
    public async Task Verify_Stdin_PrintsEvent()
    {
        _cli.Stdin = Bytes.Utf8(Body);

        var result = (await _cli.RunAsync("webhook", "verify", "--auth", Sign(Body, "devkey", "secret"))).AssertSuccess();

        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal("room_started", doc.RootElement.GetProperty("event").GetString());
        Assert.Equal("r", doc.RootElement.GetProperty("room").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Verify_File_WithExplicitCredentials()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, Body);
            (await _cli.RunAsync("webhook", "verify", path, "--auth", Sign(Body, "k", "s"), "--api-key", "k", "--api-secret", "s")).AssertSuccess();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Verify_TamperedBody_ExitsOne()
    {
        _cli.Stdin = Bytes.Utf8(Body.Replace("\"r\"", "\"x\"", StringComparison.Ordinal));
        (await _cli.RunAsync("webhook", "verify", "--auth", Sign(Body, "devkey", "secret"))).AssertError("sha256 checksum of body does not match");
    }

    [Fact]
    public async Task Verify_NoAuth_ExitsOne()
    {
        _cli.Stdin = Bytes.Utf8(Body);
        (await _cli.RunAsync("webhook", "verify")).AssertError("authorization header is empty");
    }

    [Fact]
    public async Task Verify_SkipAuth_ParsesOnly()
    {
        _cli.Stdin = Bytes.Utf8(Body);
        (await _cli.RunAsync("webhook", "verify", "-", "--skip-auth")).AssertSuccess();
    }

    [Fact]
    public async Task Verify_WrongKey_ExitsOne()
    {
        _cli.Stdin = Bytes.Utf8(Body);
        (await _cli.RunAsync("webhook", "verify", "--auth", Sign(Body, "other", "secret"))).AssertError("invalid webhook authorization");
    }

    private static string Sign(string body, string key, string secret) =>
        WebhookAuth.Sign(Bytes.Utf8(body), key, secret, CliHarness.Now);
}
