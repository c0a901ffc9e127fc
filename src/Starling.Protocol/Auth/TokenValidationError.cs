namespace Starling.Protocol.Auth;

/// <summary>Why a token was rejected.</summary>
public enum TokenValidationError
{
    /// <summary>Not three base64url parts, or the header or claims are not valid JSON of the right shape.</summary>
    Malformed,

    /// <summary>The header's <c>alg</c> is not HS256 (including <c>none</c>).</summary>
    UnsupportedAlgorithm,

    /// <summary>No <c>iss</c> claim.</summary>
    MissingIssuer,

    /// <summary>The <c>iss</c> claim names an API key the server does not know.</summary>
    UnknownKey,

    /// <summary>The HMAC does not match the key's secret.</summary>
    BadSignature,

    /// <summary>No <c>exp</c> claim.</summary>
    MissingExpiry,

    /// <summary>Past <c>exp</c> plus the clock leeway.</summary>
    Expired,

    /// <summary>Before <c>nbf</c> minus the clock leeway.</summary>
    NotYetValid,
}
