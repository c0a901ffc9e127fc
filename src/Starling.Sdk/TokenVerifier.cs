using Starling.Protocol.Auth;

namespace Starling.Sdk;

/// <summary>
/// Verifies access tokens issued with one API key, like livekit-server-sdk's <c>TokenVerifier</c>: HS256 signature,
/// <c>iss</c> equal to the key, <c>exp</c> required, 10 s clock tolerance on <c>exp</c> and <c>nbf</c>.
/// </summary>
public sealed class TokenVerifier
{
    /// <summary>The clock tolerance on <c>exp</c> and <c>nbf</c> (10 s, as node's verifier).</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(10);

    private readonly string _apiKey;
    private readonly string _apiSecret;
    private readonly TimeProvider _time;

    /// <summary>Creates a verifier for tokens signed with <paramref name="apiKey"/> and <paramref name="apiSecret"/>.</summary>
    public TokenVerifier(string apiKey, string apiSecret)
        : this(apiKey, apiSecret, TimeProvider.System)
    {
    }

    /// <summary>Creates a verifier that reads the current time from <paramref name="timeProvider"/>.</summary>
    public TokenVerifier(string apiKey, string apiSecret, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        ArgumentException.ThrowIfNullOrEmpty(apiSecret);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _apiKey = apiKey;
        _apiSecret = apiSecret;
        _time = timeProvider;
    }

    /// <summary>Verifies <paramref name="token"/> and returns its claims.</summary>
    /// <exception cref="TokenValidationException">The token is malformed, signed by another key or secret, expired or
    /// not yet valid; <see cref="TokenValidationException.Error"/> says which.</exception>
    public TokenClaims Verify(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return AccessTokenCodec.Verify(
            token,
            key => string.Equals(key, _apiKey, StringComparison.Ordinal) ? _apiSecret : null,
            _time.GetUtcNow(),
            ClockTolerance);
    }
}
