namespace Starling.Server.Webhooks;

/// <summary>Webhook delivery settings (defaults follow livekit-server's notifier).</summary>
internal sealed class WebhookOptions
{
    /// <summary>Endpoints that receive every event.</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [];

    /// <summary>API key that signs the requests; its secret is <see cref="ApiSecret"/>.</summary>
    public string ApiKey { get; init; } = string.Empty;

    /// <summary>Secret of <see cref="ApiKey"/>.</summary>
    public string ApiSecret { get; init; } = string.Empty;

    /// <summary>Events waiting per URL before new ones are dropped (LiveKit: 200).</summary>
    public int QueueCapacity { get; init; } = 200;

    /// <summary>Retries after the first failed attempt (connection errors, 429, 5xx other than 501).</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First retry delay; doubles each time up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest retry delay.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
