using System.Text.Json;
using Starling.Protocol.Auth;

namespace Starling.Cli.Tests.Commands;

public sealed class TokenCommandTests
{
    private readonly CliHarness _cli = new();

    [Fact]
    public async Task Create_ThenVerify_RoundTrips()
    {
        var created = (await _cli.RunAsync("token", "create", "--join", "--room", "r", "--identity", "alice", "--api-key", "k", "--api-secret", "s")).AssertSuccess();

        var verified = (await _cli.RunAsync("token", "verify", created.Line, "--api-key", "k", "--api-secret", "s")).AssertSuccess();

        using var claims = JsonDocument.Parse(verified.Stdout);
        Assert.Equal("alice", claims.RootElement.GetProperty("sub").GetString());
        Assert.Equal("k", claims.RootElement.GetProperty("iss").GetString());
        Assert.True(claims.RootElement.GetProperty("video").GetProperty("roomJoin").GetBoolean());
    }

    [Fact]
    public async Task Create_AllOptions_MapToClaims()
    {
        var result = (await _cli.RunAsync(
            "token", "create", "--join", "--admin", "--list", "--create", "--room", "r", "--identity", "bot", "--name", "Bot",
            "--metadata", "m", "--attribute", "a=1", "--attribute", "b=x=y", "--valid-for", "1h30m",
            "--can-publish", "false", "--can-publish-data", "true", "--can-subscribe", "--can-publish-sources", "camera, microphone",
            "--can-update-metadata", "--hidden", "--agent", "--kind", "agent",
            "--room-config", """{"emptyTimeout":30,"agents":[{"agentName":"x","restartPolicy":"JRP_NEVER"}]}""")).AssertSuccess();

        var claims = AccessTokenCodec.Verify(result.Line, k => k == "devkey" ? "secret" : null, CliHarness.Now);
        Assert.Equal(("bot", "Bot", "m", "agent"), (claims.Subject, claims.Name, claims.Metadata, claims.Kind));
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "x=y" }, claims.Attributes);
        Assert.Equal(CliHarness.Now.AddMinutes(90).ToUnixTimeSeconds(), claims.Expires);
        var video = claims.Video!;
        Assert.Equal("r", video.Room);
        Assert.True(video.RoomJoin == true && video.RoomAdmin == true && video.RoomList == true && video.RoomCreate == true);
        Assert.Equal((false, true, true), (video.CanPublish, video.CanPublishData, video.CanSubscribe));
        Assert.Equal(["camera", "microphone"], video.CanPublishSources!);
        Assert.True(video.CanUpdateOwnMetadata == true && video.Hidden == true && video.Agent == true);
        var config = claims.RoomConfig!.Value;
        Assert.Equal(30, config.GetProperty("emptyTimeout").GetInt32());
        Assert.Equal("JRP_NEVER", config.GetProperty("agents")[0].GetProperty("restartPolicy").GetString());
    }

    [Fact]
    public async Task Create_UnsetFlags_AreAbsentFromTheGrant()
    {
        var result = (await _cli.RunAsync("token", "create", "--list")).AssertSuccess();

        using var payload = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(result.Line.Split('.')[1]));
        var video = payload.RootElement.GetProperty("video");
        Assert.Equal(["roomList"], video.EnumerateObject().Select(p => p.Name));
        Assert.False(payload.RootElement.TryGetProperty("sub", out _));
        Assert.Equal(CliHarness.Now.AddHours(6).ToUnixTimeSeconds(), payload.RootElement.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task Create_Json_PrintsTokenAndClaims()
    {
        var result = (await _cli.RunAsync("token", "create", "--join", "--room", "r", "--identity", "a", "--json")).AssertSuccess();

        using var doc = JsonDocument.Parse(result.Stdout);
        var token = doc.RootElement.GetProperty("token").GetString()!;
        Assert.Equal(3, token.Split('.').Length);
        Assert.Equal("a", doc.RootElement.GetProperty("claims").GetProperty("sub").GetString());
        Assert.Equal("devkey", doc.RootElement.GetProperty("claims").GetProperty("iss").GetString());
    }

    [Fact]
    public async Task Create_CredentialsFromEnvironment()
    {
        _cli.Environment["LIVEKIT_API_KEY"] = "envkey";
        _cli.Environment["LIVEKIT_API_SECRET"] = "envsecret";

        var result = (await _cli.RunAsync("token", "create", "--list")).AssertSuccess();

        Assert.Equal("envkey", AccessTokenCodec.Verify(result.Line, k => k == "envkey" ? "envsecret" : null, CliHarness.Now).Issuer);
    }

    [Theory]
    [InlineData("error: --room is required", "--join", "--identity", "a")]
    [InlineData("identity is required", "--join", "--room", "r")]
    [InlineData("no permission given", "--room", "r")]
    [InlineData("invalid duration", "--list", "--valid-for", "5x")]
    [InlineData("--valid-for must be positive", "--list", "--valid-for", "0s")]
    [InlineData("invalid --can-publish-sources value 'webcam'", "--join", "--room", "r", "--identity", "a", "--can-publish-sources", "camera,webcam")]
    [InlineData("invalid --room-config", "--list", "--room-config", "{\"emptyTimout\":3}")]
    [InlineData("invalid --room-config", "--list", "--room-config", "not json")]
    [InlineData("invalid --attribute", "--list", "--attribute", "novalue")]
    [InlineData("'robot'", "--list", "--kind", "robot")]
    [InlineData("'maybe'", "--join", "--room", "r", "--identity", "a", "--can-publish", "maybe")]
    public async Task Create_BadInput_ExitsOneWithMessage(string message, params string[] args)
    {
        (await _cli.RunAsync(["token", "create", .. args])).AssertError(message);
    }

    [Fact]
    public async Task Create_RemoteUrlWithoutCredentials_Fails()
    {
        _cli.Environment["LIVEKIT_URL"] = "wss://lk.example.com";
        (await _cli.RunAsync("token", "create", "--list")).AssertError("missing API key");
    }

    [Fact]
    public async Task Verify_WrongSecret_ExitsOne()
    {
        var created = (await _cli.RunAsync("token", "create", "--list", "--api-key", "k", "--api-secret", "s")).AssertSuccess();
        (await _cli.RunAsync("token", "verify", created.Line, "--api-key", "k", "--api-secret", "other")).AssertError("invalid token: invalid token signature");
    }

    [Fact]
    public async Task Verify_Expired_ExitsOne()
    {
        var created = (await _cli.RunAsync("token", "create", "--list", "--valid-for", "1m")).AssertSuccess();
        _cli.Time.Advance(TimeSpan.FromMinutes(2));
        (await _cli.RunAsync("token", "verify", created.Line)).AssertError("token expired");
    }

    [Fact]
    public async Task Verify_Garbage_ExitsOne()
    {
        (await _cli.RunAsync("token", "verify", "garbage")).AssertError("invalid token");
    }
}
