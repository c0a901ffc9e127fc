using System.Text;
using Google.Protobuf;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Protocol.Webhooks;
using Starling.Sdk.Internal;

namespace Starling.Sdk;

/// <summary>
/// Receives LiveKit webhooks, like livekit-server-sdk's <c>WebhookReceiver</c>: checks that the
/// <c>Authorization</c> header is a token signed with the webhook API key (10 s clock tolerance) whose
/// <c>sha256</c> claim matches the body, then parses the body as a <see cref="WebhookEvent"/> (protobuf-JSON,
/// camelCase or snake_case names, unknown fields ignored).
/// </summary>
public sealed class WebhookReceiver
{
    private readonly string _apiKey;
    private readonly string _apiSecret;
    private readonly TimeProvider _time;

    /// <summary>Creates a receiver for webhooks signed with <paramref name="apiKey"/> and <paramref name="apiSecret"/>.</summary>
    public WebhookReceiver(string apiKey, string apiSecret)
        : this(apiKey, apiSecret, TimeProvider.System)
    {
    }

    /// <summary>Creates a receiver that reads the current time from <paramref name="timeProvider"/>.</summary>
    public WebhookReceiver(string apiKey, string apiSecret, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        ArgumentException.ThrowIfNullOrEmpty(apiSecret);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _apiKey = apiKey;
        _apiSecret = apiSecret;
        _time = timeProvider;
    }

    /// <summary>Verifies and parses a webhook whose body was read as text (hashed as UTF-8).</summary>
    /// <param name="body">The request body, exactly as received.</param>
    /// <param name="authHeader">The <c>Authorization</c> header value (a bare JWT; a <c>Bearer </c> prefix is tolerated).</param>
    /// <param name="skipAuth">Parse without checking the header (for trusted transports and tests).</param>
    /// <returns>The event.</returns>
    /// <exception cref="WebhookException">The header is missing or invalid, the body hash does not match, or the
    /// body is not a webhook event.</exception>
    public WebhookEvent Receive(string body, string? authHeader, bool skipAuth = false)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!skipAuth)
        {
            Authenticate(Encoding.UTF8.GetBytes(body), authHeader);
        }

        return Parse(body);
    }

    /// <summary>Verifies and parses a webhook from the raw body bytes.</summary>
    /// <param name="body">The request body bytes, exactly as received.</param>
    /// <param name="authHeader">The <c>Authorization</c> header value.</param>
    /// <param name="skipAuth">Parse without checking the header.</param>
    /// <returns>The event.</returns>
    /// <exception cref="WebhookException">The request is not a valid webhook.</exception>
    public WebhookEvent Receive(ReadOnlySpan<byte> body, string? authHeader, bool skipAuth = false)
    {
        if (!skipAuth)
        {
            Authenticate(body, authHeader);
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(body);
        }
        catch (DecoderFallbackException ex)
        {
            throw new WebhookException("webhook body is not UTF-8", ex);
        }

        return Parse(text);
    }

    private void Authenticate(ReadOnlySpan<byte> body, string? authHeader)
    {
        if (string.IsNullOrWhiteSpace(authHeader))
        {
            throw new WebhookException("authorization header is empty");
        }

        try
        {
            WebhookAuth.Verify(
                body,
                authHeader.Trim(),
                key => string.Equals(key, _apiKey, StringComparison.Ordinal) ? _apiSecret : null,
                _time.GetUtcNow(),
                TokenVerifier.ClockTolerance);
        }
        catch (TokenValidationException ex)
        {
            throw new WebhookException("invalid webhook authorization: " + ex.Message, ex);
        }
        catch (InvalidDataException ex)
        {
            throw new WebhookException("sha256 checksum of body does not match", ex);
        }
    }

    private static WebhookEvent Parse(string body)
    {
        try
        {
            return ProtoJson.Lenient.Parse<WebhookEvent>(body);
        }
        catch (Exception ex) when (ex is InvalidJsonException or InvalidProtocolBufferException or FormatException)
        {
            throw new WebhookException("webhook body is not a valid WebhookEvent: " + ex.Message, ex);
        }
    }
}
