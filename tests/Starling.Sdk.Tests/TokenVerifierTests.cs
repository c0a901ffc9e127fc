using Starling.Protocol.Auth;
using Starling.Testing;

namespace Starling.Sdk.Tests;

public sealed class TokenVerifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Verify_ValidToken_ReturnsClaims()
    {
        var jwt = Token().ToJwt();
        var claims = new TokenVerifier("key", "secret", new ManualTimeProvider(Now)).Verify(jwt);
        Assert.Equal("alice", claims.Identity);
        Assert.True(claims.Video!.RoomJoin);
    }

    [Theory]
    [InlineData("other", "secret", TokenValidationError.UnknownKey)]
    [InlineData("key", "wrong", TokenValidationError.BadSignature)]
    public void Verify_WrongKeyOrSecret_Rejects(string key, string secret, TokenValidationError expected)
    {
        var ex = Assert.Throws<TokenValidationException>(() => new TokenVerifier(key, secret, new ManualTimeProvider(Now)).Verify(Token().ToJwt()));
        Assert.Equal(expected, ex.Error);
    }

    [Theory]
    [InlineData(60 * 60 + 9, true)]
    [InlineData(60 * 60 + 11, false)]
    public void Verify_AfterExpiry_HasTenSecondTolerance(int secondsLater, bool accepted)
    {
        var jwt = Token(TimeSpan.FromHours(1)).ToJwt();
        var verifier = new TokenVerifier("key", "secret", new ManualTimeProvider(Now.AddSeconds(secondsLater)));
        if (accepted)
        {
            verifier.Verify(jwt);
        }
        else
        {
            Assert.Equal(TokenValidationError.Expired, Assert.Throws<TokenValidationException>(() => verifier.Verify(jwt)).Error);
        }
    }

    [Fact]
    public void Verify_BeforeNotBeforeMinusTolerance_Rejects()
    {
        var jwt = Token().WithNotBefore(Now.AddMinutes(1)).ToJwt();
        var ex = Assert.Throws<TokenValidationException>(() => new TokenVerifier("key", "secret", new ManualTimeProvider(Now)).Verify(jwt));
        Assert.Equal(TokenValidationError.NotYetValid, ex.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    public void Verify_Garbage_RejectsAsMalformed(string token)
    {
        var ex = Assert.Throws<TokenValidationException>(() => new TokenVerifier("key", "secret").Verify(token));
        Assert.Equal(TokenValidationError.Malformed, ex.Error);
    }

    [Fact]
    public void Verify_TamperedClaims_RejectsSignature()
    {
        var parts = Token().ToJwt().Split('.');
        var forged = new AccessToken("key", "other", new ManualTimeProvider(Now)) { Identity = "mallory" }.ToJwt().Split('.')[1];
        var ex = Assert.Throws<TokenValidationException>(() =>
            new TokenVerifier("key", "secret", new ManualTimeProvider(Now)).Verify($"{parts[0]}.{forged}.{parts[2]}"));
        Assert.Equal(TokenValidationError.BadSignature, ex.Error);
    }

    private static AccessToken Token(TimeSpan? ttl = null) =>
        new AccessToken("key", "secret", new ManualTimeProvider(Now)) { Identity = "alice", Ttl = ttl ?? AccessToken.DefaultTtl }
            .AddGrant(new VideoGrant { RoomJoin = true, Room = "r" });
}
