using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Starling.Protocol.Auth;

/// <summary>
/// Encodes and verifies LiveKit access tokens: compact JWS (RFC 7515) with HS256 only, claims as
/// <see cref="TokenClaims"/>. Verification follows livekit-server: the <c>iss</c> claim selects the secret,
/// <c>exp</c> is required and <c>exp</c>/<c>nbf</c> are checked with a clock leeway (60 s by default).
/// </summary>
public static class AccessTokenCodec
{
    /// <summary>livekit-server's leeway on <c>exp</c> and <c>nbf</c>.</summary>
    public static readonly TimeSpan DefaultLeeway = TimeSpan.FromSeconds(60);

    /// <summary>The longest token accepted (a sanity bound: real tokens are a few KiB).</summary>
    public const int MaxTokenLength = 64 * 1024;

    private static readonly byte[] HeaderSegment = Encoding.ASCII.GetBytes(
        Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8));

    internal static readonly JsonSerializerOptions JsonOptions = CreateOptions();

    /// <summary>Signs <paramref name="claims"/> with <paramref name="secret"/> (HS256).</summary>
    public static string Encode(TokenClaims claims, string secret)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims, JsonOptions);
        var signingInput = new StringBuilder()
            .Append(Encoding.ASCII.GetString(HeaderSegment))
            .Append('.')
            .Append(Base64Url.EncodeToString(payload))
            .ToString();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(mac);
    }

    /// <summary>Reads the claims without checking the signature or times (to find the issuer, for tooling).</summary>
    /// <exception cref="TokenValidationException">The token is not a well-formed HS256 JWT.</exception>
    public static TokenClaims DecodeUnverified(string token)
    {
        var parts = Split(token);
        return ReadClaims(parts.Payload);
    }

    /// <summary>
    /// Verifies <paramref name="token"/>: HS256, known issuer, valid signature, not expired, already valid.
    /// </summary>
    /// <param name="token">The compact JWT.</param>
    /// <param name="secretForKey">Returns the secret of an API key, or null when the key is unknown.</param>
    /// <param name="now">The current time.</param>
    /// <param name="leeway">Clock tolerance on <c>exp</c> and <c>nbf</c>; <see cref="DefaultLeeway"/> when null.</param>
    /// <exception cref="TokenValidationException">The token is rejected; the message says why.</exception>
    public static TokenClaims Verify(string token, Func<string, string?> secretForKey, DateTimeOffset now, TimeSpan? leeway = null)
    {
        ArgumentNullException.ThrowIfNull(secretForKey);
        var parts = Split(token);
        var claims = ReadClaims(parts.Payload);
        if (string.IsNullOrEmpty(claims.Issuer))
        {
            throw new TokenValidationException(TokenValidationError.MissingIssuer, "token has no issuer (iss): expected the API key");
        }

        var secret = secretForKey(claims.Issuer);
        if (string.IsNullOrEmpty(secret))
        {
            throw new TokenValidationException(TokenValidationError.UnknownKey, "invalid API key: " + claims.Issuer);
        }

        var signingInput = Encoding.ASCII.GetBytes(token.AsSpan(0, parts.SignatureStart - 1).ToString());
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signingInput);
        if (!CryptographicOperations.FixedTimeEquals(expected, parts.Signature))
        {
            throw new TokenValidationException(TokenValidationError.BadSignature, "invalid token signature");
        }

        var tolerance = leeway ?? DefaultLeeway;
        var nowSeconds = now.ToUnixTimeSeconds();
        if (claims.Expires is not { } exp)
        {
            throw new TokenValidationException(TokenValidationError.MissingExpiry, "token has no expiry (exp)");
        }

        if (nowSeconds > exp + (long)tolerance.TotalSeconds)
        {
            throw new TokenValidationException(
                TokenValidationError.Expired,
                $"token expired at {DateTimeOffset.FromUnixTimeSeconds(exp):u}");
        }

        if (claims.NotBefore is { } nbf && nowSeconds + (long)tolerance.TotalSeconds < nbf)
        {
            throw new TokenValidationException(
                TokenValidationError.NotYetValid,
                $"token not valid before {DateTimeOffset.FromUnixTimeSeconds(nbf):u}");
        }

        return claims;
    }

    private static (byte[] Payload, byte[] Signature, int SignatureStart) Split(string token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            throw Malformed("token is empty or too long");
        }

        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || token.IndexOf('.', second + 1) >= 0)
        {
            throw Malformed("token is not a JWT (expected header.claims.signature)");
        }

        var header = DecodeSegment(token.AsSpan(0, first), "header");
        CheckHeader(header);
        var payload = DecodeSegment(token.AsSpan(first + 1, second - first - 1), "claims");
        var signature = DecodeSegment(token.AsSpan(second + 1), "signature");
        return (payload, signature, second + 1);
    }

    private static void CheckHeader(byte[] header)
    {
        string? alg;
        try
        {
            using var doc = JsonDocument.Parse(header);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("token header is not a JSON object");
            }

            alg = doc.RootElement.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        }
        catch (JsonException ex)
        {
            throw new TokenValidationException(TokenValidationError.Malformed, "token header is not valid JSON", ex);
        }

        if (alg != "HS256")
        {
            throw new TokenValidationException(
                TokenValidationError.UnsupportedAlgorithm,
                $"unsupported token algorithm '{alg ?? "(none)"}': only HS256 is accepted");
        }
    }

    private static TokenClaims ReadClaims(byte[] payload)
    {
        try
        {
            return JsonSerializer.Deserialize<TokenClaims>(payload, JsonOptions)
                ?? throw Malformed("token claims are null");
        }
        catch (JsonException ex)
        {
            throw new TokenValidationException(TokenValidationError.Malformed, "token claims are not valid: " + ex.Message, ex);
        }
    }

    private static byte[] DecodeSegment(ReadOnlySpan<char> segment, string what)
    {
        var buffer = new byte[Base64Url.GetMaxDecodedLength(segment.Length)];
        if (Base64Url.DecodeFromChars(segment, buffer, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != segment.Length)
        {
            throw Malformed($"token {what} is not base64url");
        }

        return buffer.AsSpan(0, written).ToArray();
    }

    private static TokenValidationException Malformed(string message) => new(TokenValidationError.Malformed, message);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new UnixSecondsConverter() },
        };
        return options;
    }
}
