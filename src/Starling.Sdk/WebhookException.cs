namespace Starling.Sdk;

/// <summary>
/// A webhook request was rejected by <see cref="WebhookReceiver"/>: no <c>Authorization</c> header, an invalid or
/// expired token, a body that does not match the token's <c>sha256</c> claim, or a body that is not a
/// <c>WebhookEvent</c>. The inner exception, when any, has the details.
/// </summary>
public sealed class WebhookException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WebhookException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public WebhookException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
