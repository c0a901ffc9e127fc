using System.Text;
using Starling.Protocol.Auth;
using Starling.Protocol.Webhooks;

namespace Starling.Protocol.Tests.Webhooks;

public sealed class WebhookAuthTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sign_ThenVerify_AcceptsExactBody()
    {
        var body = Encoding.UTF8.GetBytes("{\"event\":\"room_started\"}");
        var header = WebhookAuth.Sign(body, "k", "s3cr3t", Now);
        Assert.DoesNotContain("Bearer", header, StringComparison.Ordinal);
        var claims = WebhookAuth.Verify(body, header, k => k == "k" ? "s3cr3t" : null, Now.AddMinutes(1));
        Assert.Equal(WebhookAuth.BodyHash(body), claims.Sha256);
    }

    [Fact]
    public void Verify_ChangedBody_Throws()
    {
        var header = WebhookAuth.Sign("a"u8, "k", "s", Now);
        Assert.Throws<InvalidDataException>(() => WebhookAuth.Verify("b"u8, header, _ => "s", Now));
    }

    [Fact]
    public void Verify_AfterFiveMinutesAndLeeway_Throws()
    {
        var header = WebhookAuth.Sign("a"u8, "k", "s", Now);
        var ex = Assert.Throws<TokenValidationException>(() => WebhookAuth.Verify("a"u8, header, _ => "s", Now.AddMinutes(7)));
        Assert.Equal(TokenValidationError.Expired, ex.Error);
    }

    [Fact]
    public void BodyHash_IsPaddedStandardBase64()
    {
        // SHA-256("abc") from FIPS 180-2 B.1.
        Assert.Equal("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=", WebhookAuth.BodyHash("abc"u8));
    }
}
