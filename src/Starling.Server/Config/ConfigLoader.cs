using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Starling.Server.Config;

/// <summary>
/// Builds a <see cref="StarlingConfig"/> the way livekit-server does: YAML from <c>--config</c> (a file) or
/// <c>--config-body</c> / <c>LIVEKIT_CONFIG</c> (text), then command-line overrides, then dev-mode defaults,
/// then validation. Unknown keys and bad values raise <see cref="ConfigException"/> with one clear message.
/// </summary>
internal static class ConfigLoader
{
    public static StarlingConfig Load(ServeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new StarlingConfig();
        string? yaml = null;
        string source = "configuration";
        if (options.ConfigFile is { } file)
        {
            if (!File.Exists(file))
            {
                throw new ConfigException($"config file '{file}' does not exist");
            }

            yaml = File.ReadAllText(file);
            source = file;
        }
        else if (!string.IsNullOrWhiteSpace(options.ConfigBody))
        {
            yaml = options.ConfigBody;
            source = "--config-body";
        }

        if (yaml is not null)
        {
            ApplyYaml(config, yaml, source);
        }

        ApplyFlags(config, options);
        ApplyDevDefaults(config, options);
        Validate(config);
        return config;
    }

    public static void ApplyYaml(StarlingConfig config, string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ConfigException($"{source}: not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.InnerException?.Message ?? ex.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode rootNode)
        {
            throw new ConfigException($"{source}: expected a mapping of keys at the top level");
        }

        var root = new YamlSection(rootNode, string.Empty);
        Bind(config, root);
        var unknown = root.UnreadKeys().ToList();
        if (unknown.Count > 0)
        {
            throw new ConfigException($"{source}: unknown configuration key{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown)}");
        }
    }

    private static void Bind(StarlingConfig c, YamlSection root)
    {
        c.Port = root.Port("port") ?? c.Port;
        c.BindAddresses = root.StringList("bind_addresses") ?? c.BindAddresses;
        c.Development = root.Bool("development") ?? c.Development;
        c.PrometheusPort = root.Port("prometheus_port") ?? c.PrometheusPort;
        if (root.Section("prometheus") is { } prometheus)
        {
            c.PrometheusPort = prometheus.Port("port") ?? c.PrometheusPort;
            prometheus.Ignore(c.Warnings, "username", "password");
        }

        if (root.StringMap("keys") is { } keys)
        {
            foreach (var (k, v) in keys)
            {
                c.Keys[k] = v;
            }
        }

        if (root.String("key_file") is { } keyFile)
        {
            LoadKeyFile(c, keyFile);
        }

        if (root.String("log_level") is { } legacyLevel)
        {
            c.Logging.Level = legacyLevel;
        }

        if (root.Section("rtc") is { } rtc)
        {
            c.Rtc.UdpPort = rtc.Port("udp_port") ?? c.Rtc.UdpPort;
            c.Rtc.TcpPort = rtc.Port("tcp_port", allowZero: true) ?? c.Rtc.TcpPort;
            c.Rtc.NodeIp = rtc.String("node_ip") ?? c.Rtc.NodeIp;
            c.Rtc.SinglePeerConnection = rtc.Bool("single_peer_connection") ?? c.Rtc.SinglePeerConnection;
            c.Rtc.EnableLoopbackCandidate = rtc.Bool("enable_loopback_candidate") ?? c.Rtc.EnableLoopbackCandidate;
            if (rtc.Bool("use_external_ip") == true)
            {
                c.Warnings.Add("rtc.use_external_ip is not supported (no STUN lookups); set rtc.node_ip instead");
            }

            rtc.Ignore(
                c.Warnings,
                "port_range_start", "port_range_end", "use_ice_lite", "stun_servers", "turn_servers", "use_mdns",
                "interfaces", "ips", "congestion_control", "allow_tcp_fallback", "packet_buffer_size",
                "packet_buffer_size_video", "packet_buffer_size_audio", "pli_throttle", "strict_acks",
                "reconnect_on_publication_error", "reconnect_on_subscription_error", "reconnect_on_data_channel_error",
                "batch_io", "max_packet_size");
        }

        if (root.Section("room") is { } room)
        {
            c.Room.AutoCreate = room.Bool("auto_create") ?? c.Room.AutoCreate;
            c.Room.EmptyTimeout = (uint?)room.Integer("empty_timeout", 0, uint.MaxValue) ?? c.Room.EmptyTimeout;
            c.Room.DepartureTimeout = (uint?)room.Integer("departure_timeout", 0, uint.MaxValue) ?? c.Room.DepartureTimeout;
            c.Room.MaxParticipants = (uint?)room.Integer("max_participants", 0, uint.MaxValue) ?? c.Room.MaxParticipants;
            c.Room.EnableRemoteUnmute = room.Bool("enable_remote_unmute") ?? c.Room.EnableRemoteUnmute;
            room.Ignore(c.Warnings, "enabled_codecs", "playout_delay", "sync_streams", "max_metadata_size", "max_room_name_length", "max_participant_identity_length");
        }

        if (root.Section("webhook") is { } webhook)
        {
            c.Webhook.ApiKey = webhook.String("api_key") ?? c.Webhook.ApiKey;
            c.Webhook.Urls = webhook.StringList("urls") ?? c.Webhook.Urls;
            webhook.Ignore(c.Warnings, "filter_params");
        }

        if (root.Section("logging") is { } logging)
        {
            c.Logging.Level = logging.String("level") ?? c.Logging.Level;
            c.Logging.Json = logging.Bool("json") ?? c.Logging.Json;
            logging.Ignore(c.Warnings, "pion_level", "sample", "component_levels");
        }

        if (root.Section("agents") is { } agents)
        {
            c.Agents.TargetLoad = (float?)agents.Number("target_load", 0, 1) ?? c.Agents.TargetLoad;
            c.Agents.EnableUserDataRecording = agents.Bool("enable_user_data_recording") ?? c.Agents.EnableUserDataRecording;
            c.Agents.EnableUserDataRedaction = agents.Bool("enable_user_data_redaction") ?? c.Agents.EnableUserDataRedaction;
        }

        root.Ignore(c.Warnings, "redis", "turn", "region", "limit", "node_selector", "signal_relay", "psrpc", "ingress", "egress", "sip", "audio", "video", "rtc_config");
    }

    private static void LoadKeyFile(StarlingConfig c, string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException($"key_file '{path}' does not exist");
        }

        var sub = new StarlingConfig();
        ApplyYaml(sub, "keys:\n" + string.Join('\n', File.ReadAllLines(path).Select(l => "  " + l)), path);
        foreach (var (k, v) in sub.Keys)
        {
            c.Keys[k] = v;
        }
    }

    private static void ApplyFlags(StarlingConfig c, ServeOptions o)
    {
        if (!string.IsNullOrWhiteSpace(o.Keys))
        {
            var parsed = new StarlingConfig();
            ApplyYaml(parsed, "keys:\n" + string.Join('\n', o.Keys.Split(['\n', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => "  " + l)), "--keys");
            if (parsed.Keys.Count == 0)
            {
                throw new ConfigException("--keys: expected 'key: secret'");
            }

            c.Keys = parsed.Keys;
        }

        if (o.Bind.Count > 0)
        {
            c.BindAddresses = [.. o.Bind];
        }

        if (o.NodeIp is { } ip)
        {
            c.Rtc.NodeIp = ip;
        }

        if (o.UdpPort is { } udp)
        {
            c.Rtc.UdpPort = udp;
        }

        if (o.Port is { } port)
        {
            c.Port = port;
        }

        if (o.Dev)
        {
            c.Development = true;
        }
    }

    private static void ApplyDevDefaults(StarlingConfig c, ServeOptions o)
    {
        if (!c.Development)
        {
            return;
        }

        if (c.Keys.Count == 0)
        {
            c.Keys["devkey"] = "secret";
        }

        if (c.BindAddresses.Count == 0)
        {
            c.BindAddresses = ["127.0.0.1", "::1"];
        }

        if (o.ConfigFile is null && string.IsNullOrWhiteSpace(o.ConfigBody))
        {
            c.Logging.Level = "debug";
        }
    }

    private static void Validate(StarlingConfig c)
    {
        if (c.Keys.Count == 0)
        {
            throw new ConfigException("no API keys: set 'keys' in the config, --keys \"key: secret\", LIVEKIT_KEYS, or use --dev");
        }

        foreach (var (key, secret) in c.Keys)
        {
            if (string.IsNullOrWhiteSpace(key) || string.IsNullOrEmpty(secret))
            {
                throw new ConfigException("keys: every API key needs a non-empty secret");
            }

            if (!c.Development && secret.Length < 32)
            {
                c.Warnings.Add($"the secret of API key '{key}' is shorter than 32 characters");
            }
        }

        foreach (var address in c.BindAddresses)
        {
            if (!System.Net.IPAddress.TryParse(address, out _))
            {
                throw new ConfigException($"bind_addresses: '{address}' is not an IP address");
            }
        }

        if (c.Rtc.NodeIp is { Length: > 0 } nodeIp && !System.Net.IPAddress.TryParse(nodeIp, out _))
        {
            throw new ConfigException($"rtc.node_ip: '{nodeIp}' is not an IP address");
        }

        if (c.Rtc.UdpPort == c.Port || (c.Rtc.TcpPort != 0 && (c.Rtc.TcpPort == c.Port)))
        {
            throw new ConfigException($"rtc ports must differ from the HTTP port {c.Port}");
        }

        if (c.Logging.Level is not ("debug" or "info" or "warn" or "error"))
        {
            throw new ConfigException($"logging.level: expected debug, info, warn or error, got '{c.Logging.Level}'");
        }

        if (c.Webhook.Urls.Count > 0)
        {
            if (string.IsNullOrEmpty(c.Webhook.ApiKey))
            {
                throw new ConfigException("webhook.api_key is required when webhook.urls is set");
            }

            if (!c.Keys.ContainsKey(c.Webhook.ApiKey))
            {
                throw new ConfigException($"webhook.api_key '{c.Webhook.ApiKey}' is not one of the configured keys");
            }

            foreach (var url in c.Webhook.Urls)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                {
                    throw new ConfigException($"webhook.urls: '{url}' is not an http(s) URL");
                }
            }
        }
        else if (c.Webhook.ApiKey is { } apiKey && !c.Keys.ContainsKey(apiKey))
        {
            throw new ConfigException($"webhook.api_key '{apiKey}' is not one of the configured keys");
        }
    }
}
