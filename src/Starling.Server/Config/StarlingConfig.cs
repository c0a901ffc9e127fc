namespace Starling.Server.Config;

/// <summary>
/// The server configuration, laid out like livekit-server's <c>config.yaml</c>. Defaults are LiveKit's.
/// </summary>
internal sealed class StarlingConfig
{
    /// <summary>HTTP port for signalling, Twirp and health (<c>port</c>, default 7880).</summary>
    public int Port { get; set; } = 7880;

    /// <summary>Addresses to listen on (<c>bind_addresses</c>); empty means all interfaces (dev: loopback).</summary>
    public List<string> BindAddresses { get; set; } = [];

    /// <summary>Port serving Prometheus metrics at <c>/metrics</c> (<c>prometheus_port</c>); null = off.</summary>
    public int? PrometheusPort { get; set; }

    /// <summary>Development mode (<c>development</c> or <c>--dev</c>).</summary>
    public bool Development { get; set; }

    /// <summary>API keys and secrets (<c>keys</c>).</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Media transport settings (<c>rtc.*</c>).</summary>
    public RtcConfig Rtc { get; set; } = new();

    /// <summary>Room defaults (<c>room.*</c>).</summary>
    public RoomConfig Room { get; set; } = new();

    /// <summary>Webhook delivery (<c>webhook.*</c>).</summary>
    public WebhookConfig Webhook { get; set; } = new();

    /// <summary>Agent dispatch (<c>agents.*</c>).</summary>
    public AgentsConfig Agents { get; set; } = new();

    /// <summary>Logging (<c>logging.*</c>).</summary>
    public LoggingConfig Logging { get; set; } = new();

    /// <summary>Warnings collected while loading (ignored keys, weak secrets), printed at start-up.</summary>
    public List<string> Warnings { get; } = [];
}
