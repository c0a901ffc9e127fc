namespace Starling.Server.Config;

/// <summary>The <c>webhook</c> section.</summary>
internal sealed class WebhookConfig
{
    /// <summary>API key whose secret signs webhooks (<c>webhook.api_key</c>); must be one of <c>keys</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Endpoints that receive every event (<c>webhook.urls</c>).</summary>
    public List<string> Urls { get; set; } = [];
}
