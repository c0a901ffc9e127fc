namespace Starling.Rooms.Signal;

/// <summary>Signalling settings; defaults mirror livekit-server.</summary>
internal sealed class SignalOptions
{
    /// <summary>Seconds between client pings (JoinResponse.ping_interval; must be &gt; 0).</summary>
    public int PingIntervalSeconds { get; set; } = 5;

    /// <summary>Seconds without a message before the client gives up (JoinResponse.ping_timeout; must be &gt; 0).</summary>
    public int PingTimeoutSeconds { get; set; } = 15;

    /// <summary>How often a fresh token is pushed (refresh_token).</summary>
    public TimeSpan TokenRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Validity of a refreshed token.</summary>
    public TimeSpan RefreshedTokenTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a participant whose signal connection dropped (without leave) waits to resume.</summary>
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Coalescing and timeout of subscriber renegotiation.</summary>
    public Media.NegotiationOptions Negotiation { get; set; } = new();

    /// <summary>Largest signal message accepted (LiveKit: 2 MiB).</summary>
    public int MaxMessageBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>LiveKit server version presented to clients (semver ≥ 1.8 so clients allow RPC).</summary>
    public string ServerVersion { get; set; } = "1.9.0";

    /// <summary>Node id reported in ServerInfo.</summary>
    public string NodeId { get; set; } = "ND_starling";

    /// <summary>Codecs publishers may use (JoinResponse.enabled_publish_codecs).</summary>
    public IReadOnlyList<(string Mime, string Fmtp)> EnabledCodecs { get; set; } =
    [
        ("audio/opus", string.Empty),
        ("audio/red", string.Empty),
        ("video/VP8", string.Empty),
        ("video/H264", string.Empty),
        ("video/VP9", string.Empty),
        ("video/AV1", string.Empty),
    ];
}
