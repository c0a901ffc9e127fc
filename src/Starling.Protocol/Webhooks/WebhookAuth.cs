using System.Security.Cryptography;
using Starling.Protocol.Auth;

namespace Starling.Protocol.Webhooks;

/// <summary>
/// Signs and checks webhook requests the way LiveKit does: the <c>Authorization</c> header is a bare HS256
/// JWT (no <c>Bearer</c> prefix) issued by the webhook API key, valid 5 minutes, whose <c>sha256</c> claim is
/// the standard padded base64 of SHA-256 over the exact body bytes.
/// </summary>
public static class WebhookAuth
{
    /// <summary>How long a webhook signature stays valid.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(5);

    /// <summary>The body hash in the form of the <c>sha256</c> claim.</summary>
    public static string BodyHash(ReadOnlySpan<byte> body) => Convert.ToBase64String(SHA256.HashData(body));

    /// <summary>Creates the <c>Authorization</c> header value for <paramref name="body"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string apiKey, string apiSecret, DateTimeOffset now)
    {
        var claims = new TokenClaims
        {
            Issuer = apiKey,
            NotBefore = now.ToUnixTimeSeconds(),
            Expires = (now + Validity).ToUnixTimeSeconds(),
            Sha256 = BodyHash(body),
        };
        return AccessTokenCodec.Encode(claims, apiSecret);
    }

    /// <summary>
    /// Checks a received webhook: the token verifies against a known key and its <c>sha256</c> claim matches
    /// <paramref name="body"/>. Accepts a <c>Bearer </c> prefix for robustness.
    /// </summary>
    /// <exception cref="TokenValidationException">The token is invalid.</exception>
    /// <exception cref="InvalidDataException">The body hash does not match.</exception>
    public static TokenClaims Verify(ReadOnlySpan<byte> body, string authorization, Func<string, string?> secretForKey, DateTimeOffset now, TimeSpan? leeway = null)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..] : authorization;
        var claims = AccessTokenCodec.Verify(token, secretForKey, now, leeway);
        var expected = BodyHash(body);
        if (claims.Sha256 is null || !CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(claims.Sha256), System.Text.Encoding.ASCII.GetBytes(expected)))
        {
            throw new InvalidDataException("webhook body hash does not match the sha256 claim");
        }

        return claims;
    }
}
