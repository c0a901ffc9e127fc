using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Starling.Protocol.Auth;

namespace Starling.Protocol.Tests.Auth;

public sealed class AccessTokenCodecTests
{
    private const string Key = "devkey";
    private const string Secret = "secret";
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static string? Lookup(string key) => key == Key ? Secret : null;

    private static TokenClaims Claims(long? nbfOffset = 0, long? expOffset = 3600) => new()
    {
        Issuer = Key,
        Subject = "alice",
        NotBefore = nbfOffset is { } n ? Now.ToUnixTimeSeconds() + n : null,
        Expires = expOffset is { } e ? Now.ToUnixTimeSeconds() + e : null,
        Name = "Alice",
        Metadata = "{\"x\":1}",
        Attributes = new Dictionary<string, string> { ["team"] = "blue" },
        Kind = "agent",
        Video = new VideoGrant { RoomJoin = true, Room = "r1", CanPublishSources = ["camera", "microphone"], Hidden = true },
        Sip = new SipGrant { Admin = true },
        RoomConfig = JsonDocument.Parse("{\"name\":\"r1\",\"emptyTimeout\":30}").RootElement,
    };

    [Fact]
    public void Encode_ThenVerify_RoundTripsEveryClaim()
    {
        var token = AccessTokenCodec.Encode(Claims(), Secret);
        var back = AccessTokenCodec.Verify(token, Lookup, Now);
        Assert.Equal("alice", back.Identity);
        Assert.Equal("Alice", back.Name);
        Assert.Equal("{\"x\":1}", back.Metadata);
        Assert.Equal("blue", back.Attributes!["team"]);
        Assert.Equal("agent", back.Kind);
        Assert.True(back.Video!.RoomJoin);
        Assert.True(back.Video.Hidden);
        Assert.Equal(["camera", "microphone"], back.Video.CanPublishSources!);
        Assert.True(back.Sip!.Admin);
        Assert.Equal(30, back.RoomConfig!.Value.GetProperty("emptyTimeout").GetInt32());
    }

    [Fact]
    public void Encode_WritesLiveKitClaimNames()
    {
        var token = AccessTokenCodec.Encode(Claims(), Secret);
        var json = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[1]));
        foreach (var name in new[] { "\"iss\"", "\"sub\"", "\"nbf\"", "\"exp\"", "\"video\"", "\"roomJoin\"", "\"canPublishSources\"", "\"roomConfig\"", "\"sip\"" })
        {
            Assert.Contains(name, json, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void VideoGrant_Defaults_FollowLiveKit()
    {
        var grant = new VideoGrant();
        Assert.True(grant.EffectiveCanPublish);
        Assert.True(grant.EffectiveCanSubscribe);
        Assert.True(grant.EffectiveCanPublishData);
        Assert.False(new VideoGrant { CanPublish = false }.EffectiveCanPublishData);
        Assert.True(new VideoGrant { CanPublish = false, CanPublishData = true }.EffectiveCanPublishData);
    }

    public static TheoryData<string, TokenValidationError> Rejections()
    {
        var good = AccessTokenCodec.Encode(Claims(), Secret);
        var parts = good.Split('.');
        string Forge(string headerJson, string? payloadJson = null, string secret = Secret, bool sign = true)
        {
            var h = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson));
            var p = payloadJson is null ? parts[1] : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
            var sig = sign ? Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(h + "." + p))) : string.Empty;
            return h + "." + p + "." + sig;
        }

        var now = Now.ToUnixTimeSeconds();
        return new TheoryData<string, TokenValidationError>
        {
            { AccessTokenCodec.Encode(Claims(), "wrong-secret"), TokenValidationError.BadSignature },
            { AccessTokenCodec.Encode(Claims() with { Issuer = "otherkey" }, Secret), TokenValidationError.UnknownKey },
            { AccessTokenCodec.Encode(Claims() with { Issuer = null }, Secret), TokenValidationError.MissingIssuer },
            { AccessTokenCodec.Encode(Claims(expOffset: -61), Secret), TokenValidationError.Expired },
            { AccessTokenCodec.Encode(Claims(nbfOffset: 61), Secret), TokenValidationError.NotYetValid },
            { AccessTokenCodec.Encode(Claims(expOffset: null), Secret), TokenValidationError.MissingExpiry },
            { Forge("{\"alg\":\"none\"}", sign: false), TokenValidationError.UnsupportedAlgorithm },
            { Forge("{\"alg\":\"none\",\"typ\":\"JWT\"}"), TokenValidationError.UnsupportedAlgorithm },
            { Forge("{\"alg\":\"HS512\"}"), TokenValidationError.UnsupportedAlgorithm },
            { Forge("{\"typ\":\"JWT\"}"), TokenValidationError.UnsupportedAlgorithm },
            { Forge("[1,2]"), TokenValidationError.Malformed },
            { Forge("{\"alg\":\"HS256\"}", "{\"iss\":\"devkey\",\"exp\":\"soon\"}"), TokenValidationError.Malformed },
            { Forge("{\"alg\":\"HS256\"}", "not json"), TokenValidationError.Malformed },
            { Forge("{\"alg\":\"HS256\"}", $"{{\"iss\":\"devkey\",\"exp\":{now + 10}.5,\"video\":{{\"roomJoin\":\"yes\"}}}}"), TokenValidationError.Malformed },
            { parts[0] + "." + parts[1], TokenValidationError.Malformed },
            { good + ".x", TokenValidationError.Malformed },
            { "", TokenValidationError.Malformed },
            { "a.b.c", TokenValidationError.Malformed },
            { parts[0] + ".!!!." + parts[2], TokenValidationError.Malformed },
            { parts[0] + "." + parts[1] + "." + parts[2][..^4], TokenValidationError.BadSignature },
        };
    }

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Verify_BadToken_IsRejectedWithReason(string token, TokenValidationError expected)
    {
        var ex = Assert.Throws<TokenValidationException>(() => AccessTokenCodec.Verify(token, Lookup, Now));
        Assert.Equal(expected, ex.Error);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Theory]
    [InlineData(-59, 0)]
    [InlineData(3600, 59)]
    public void Verify_WithinLeeway_Accepts(long expOffset, long nbfOffset)
    {
        var token = AccessTokenCodec.Encode(Claims(nbfOffset, expOffset), Secret);
        Assert.Equal("alice", AccessTokenCodec.Verify(token, Lookup, Now).Identity);
    }

    [Fact]
    public void Verify_FractionalNumericDates_AreAccepted()
    {
        var h = Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);
        var p = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"iss\":\"devkey\",\"sub\":\"bob\",\"exp\":{Now.ToUnixTimeSeconds() + 100}.25}}"));
        var sig = Base64Url.EncodeToString(HMACSHA256.HashData("secret"u8, Encoding.ASCII.GetBytes(h + "." + p)));
        Assert.Equal("bob", AccessTokenCodec.Verify(h + "." + p + "." + sig, Lookup, Now).Identity);
    }

    [Fact]
    public void Identity_FallsBackToJti()
    {
        Assert.Equal("j1", new TokenClaims { JwtId = "j1" }.Identity);
        Assert.Equal("s", new TokenClaims { JwtId = "j1", Subject = "s" }.Identity);
    }

    [Fact]
    public void Verify_RandomBytes_OnlyThrowsTokenValidationException()
    {
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var length = random.Next(0, 200);
            var chars = new char[length];
            for (var j = 0; j < length; j++)
            {
                chars[j] = "abcXYZ019-_.=+/{}\"".AsSpan()[random.Next(18)];
            }

            try
            {
                AccessTokenCodec.Verify(new string(chars), Lookup, Now);
            }
            catch (TokenValidationException)
            {
            }
        }
    }
}
