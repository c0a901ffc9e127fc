namespace Starling.Server.Config;

/// <summary>The <c>serve</c> command line, before it is merged with the YAML configuration.</summary>
internal sealed class ServeOptions
{
    /// <summary><c>--dev</c>: keys <c>devkey: secret</c>, loopback binding, debug logging.</summary>
    public bool Dev { get; init; }

    /// <summary><c>--config FILE</c>.</summary>
    public string? ConfigFile { get; init; }

    /// <summary><c>--config-body YAML</c> or env <c>LIVEKIT_CONFIG</c>.</summary>
    public string? ConfigBody { get; init; }

    /// <summary><c>--keys "key: secret"</c> or env <c>LIVEKIT_KEYS</c>.</summary>
    public string? Keys { get; init; }

    /// <summary><c>--bind ADDRESS</c> (repeatable).</summary>
    public IReadOnlyList<string> Bind { get; init; } = [];

    /// <summary><c>--node-ip IP</c>.</summary>
    public string? NodeIp { get; init; }

    /// <summary><c>--udp-port PORT</c>.</summary>
    public int? UdpPort { get; init; }

    /// <summary><c>--port PORT</c> (a Starling convenience; livekit uses the YAML key).</summary>
    public int? Port { get; init; }
}
