using System.Text;
using System.Text.Json;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Testing;

namespace Starling.Sdk.Tests;

public sealed class AccessTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _time = new(Now);

    [Fact]
    public void ToJwt_JoinToken_HasRegisteredAndLiveKitClaims()
    {
        var token = new AccessToken("key", "secret", _time) { Identity = "alice", Name = "Alice", Metadata = "m" }
            .WithAttribute("a", "1")
            .WithKind(ParticipantInfo.Types.Kind.Agent)
            .AddGrant(new VideoGrant { RoomJoin = true, Room = "r" });

        var claims = AccessTokenCodec.Verify(token.ToJwt(), k => k == "key" ? "secret" : null, Now);

        Assert.Equal("key", claims.Issuer);
        Assert.Equal("alice", claims.Subject);
        Assert.Equal(Now.ToUnixTimeSeconds(), claims.NotBefore);
        Assert.Equal((Now + TimeSpan.FromHours(6)).ToUnixTimeSeconds(), claims.Expires);
        Assert.Equal("Alice", claims.Name);
        Assert.Equal("m", claims.Metadata);
        Assert.Equal("1", claims.Attributes!["a"]);
        Assert.Equal("agent", claims.Kind);
        Assert.True(claims.Video!.RoomJoin);
        Assert.Equal("r", claims.Video.Room);
        Assert.Null(claims.Sip);
        Assert.Null(claims.RoomConfig);
    }

    [Fact]
    public void ToJwt_TtlAndNotBefore_SetExpAndNbf()
    {
        var jwt = new AccessToken("key", "secret", _time) { Ttl = TimeSpan.FromMinutes(30), NotBefore = Now.AddMinutes(5) }.ToJwt();

        var claims = AccessTokenCodec.DecodeUnverified(jwt);

        Assert.Equal(Now.AddMinutes(5).ToUnixTimeSeconds(), claims.NotBefore);
        Assert.Equal(Now.AddMinutes(30).ToUnixTimeSeconds(), claims.Expires);
    }

    [Fact]
    public void ToJwt_HeaderIsHs256()
    {
        var jwt = new AccessToken("key", "secret", _time).ToJwt();
        var header = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[0]));
        Assert.Contains("\"alg\":\"HS256\"", header, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJwt_JoinWithoutIdentity_Throws()
    {
        var token = new AccessToken("key", "secret", _time).AddGrant(new VideoGrant { RoomJoin = true, Room = "r" });
        var ex = Assert.Throws<InvalidOperationException>(token.ToJwt);
        Assert.Contains("identity is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJwt_AdminWithoutIdentity_HasNoSubject()
    {
        var jwt = new AccessToken("key", "secret", _time).AddGrant(new VideoGrant { RoomList = true }).ToJwt();
        Assert.Null(AccessTokenCodec.DecodeUnverified(jwt).Subject);
    }

    [Fact]
    public void AddGrant_Twice_MergesNonNullValues()
    {
        var token = new AccessToken("key", "secret", _time)
            .AddGrant(new VideoGrant { RoomJoin = true, Room = "r", CanPublish = false })
            .AddGrant(new VideoGrant { RoomAdmin = true, CanSubscribe = false });

        Assert.Equal(new VideoGrant { RoomJoin = true, Room = "r", CanPublish = false, RoomAdmin = true, CanSubscribe = false }, token.VideoGrant);
    }

    [Fact]
    public void ToJwt_VideoGrant_WritesOnlySetKeysWithWireNames()
    {
        var jwt = new AccessToken("key", "secret", _time) { Identity = "i" }
            .AddGrant(new VideoGrant { RoomJoin = true, Room = "r", CanPublishSources = ["camera", "screen_share"], CanUpdateOwnMetadata = true })
            .AddSipGrant(new SipGrant { Call = true })
            .ToJwt();

        using var payload = Payload(jwt);
        var video = payload.RootElement.GetProperty("video");
        Assert.Equal(["canPublishSources", "canUpdateOwnMetadata", "room", "roomJoin"], video.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("screen_share", video.GetProperty("canPublishSources")[1].GetString());
        Assert.True(payload.RootElement.GetProperty("sip").GetProperty("call").GetBoolean());
    }

    [Fact]
    public void ToJwt_RoomConfig_IsProtobufJsonWithCamelCaseAndEnumNames()
    {
        var config = new RoomConfiguration { Name = "r", EmptyTimeout = 30, MaxParticipants = 5, MinPlayoutDelay = 100 };
        config.Agents.Add(new RoomAgentDispatch { AgentName = "bot", Metadata = "x", RestartPolicy = JobRestartPolicy.JrpNever });
        config.Tags.Add("team", "a");
        var jwt = new AccessToken("key", "secret", _time) { RoomConfig = config, RoomPreset = "p", Sha256 = "h" }.ToJwt();

        using var payload = Payload(jwt);
        var roomConfig = payload.RootElement.GetProperty("roomConfig");
        Assert.Equal(30, roomConfig.GetProperty("emptyTimeout").GetInt32());
        Assert.Equal(5, roomConfig.GetProperty("maxParticipants").GetInt32());
        Assert.Equal(100, roomConfig.GetProperty("minPlayoutDelay").GetInt32());
        Assert.Equal(0, roomConfig.GetProperty("departureTimeout").GetInt32());
        Assert.False(roomConfig.TryGetProperty("empty_timeout", out _));
        var agent = roomConfig.GetProperty("agents")[0];
        Assert.Equal("bot", agent.GetProperty("agentName").GetString());
        Assert.Equal("JRP_NEVER", agent.GetProperty("restartPolicy").GetString());
        Assert.Equal("a", roomConfig.GetProperty("tags").GetProperty("team").GetString());
        Assert.Equal("p", payload.RootElement.GetProperty("roomPreset").GetString());
        Assert.Equal("h", payload.RootElement.GetProperty("sha256").GetString());
    }

    [Fact]
    public void ToJwt_RoomConfig_ParsesBackIntoTheSameMessage()
    {
        var config = new RoomConfiguration { Name = "r", DepartureTimeout = 9 };
        config.Agents.Add(new RoomAgentDispatch { AgentName = "bot" });
        var claims = AccessTokenCodec.DecodeUnverified(new AccessToken("key", "secret", _time) { RoomConfig = config }.ToJwt());

        var parsed = Google.Protobuf.JsonParser.Default.Parse<RoomConfiguration>(claims.RoomConfig!.Value.GetRawText());

        Assert.Equal(config, parsed);
    }

    [Theory]
    [InlineData(ParticipantInfo.Types.Kind.Standard, "standard")]
    [InlineData(ParticipantInfo.Types.Kind.Ingress, "ingress")]
    [InlineData(ParticipantInfo.Types.Kind.Egress, "egress")]
    [InlineData(ParticipantInfo.Types.Kind.Sip, "sip")]
    [InlineData(ParticipantInfo.Types.Kind.Agent, "agent")]
    [InlineData(ParticipantInfo.Types.Kind.Connector, "connector")]
    [InlineData(ParticipantInfo.Types.Kind.Bridge, "bridge")]
    public void KindName_IsLowercaseProtoName(ParticipantInfo.Types.Kind kind, string expected)
    {
        Assert.Equal(expected, AccessToken.KindName(kind));
    }

    [Fact]
    public void Constructor_NoKeyAnywhere_ThrowsClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => new AccessToken(null, null, _time, _ => null));
        Assert.Contains("LIVEKIT_API_KEY", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoArguments_ReadsEnvironment()
    {
        var env = new Dictionary<string, string> { ["LIVEKIT_API_KEY"] = "envkey", ["LIVEKIT_API_SECRET"] = "envsecret" };
        var token = new AccessToken(null, null, _time, k => env.GetValueOrDefault(k));

        var claims = AccessTokenCodec.Verify(token.ToJwt(), k => k == "envkey" ? "envsecret" : null, Now);

        Assert.Equal("envkey", claims.Issuer);
    }

    [Fact]
    public void Ttl_NotPositive_Throws()
    {
        var token = new AccessToken("key", "secret", _time);
        Assert.Throws<ArgumentOutOfRangeException>(() => token.Ttl = TimeSpan.Zero);
    }

    private static JsonDocument Payload(string jwt) =>
        JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1]));
}
