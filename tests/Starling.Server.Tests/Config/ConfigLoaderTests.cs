using Starling.Server.Config;

namespace Starling.Server.Tests.Config;

public sealed class ConfigLoaderTests
{
    private static StarlingConfig Load(string yaml, bool dev = true, string? keys = null) =>
        ConfigLoader.Load(new ServeOptions { Dev = dev, ConfigBody = yaml, Keys = keys });

    [Fact]
    public void Load_LiveKitYaml_BindsEveryKey()
    {
        var config = Load("""
            port: 7890
            bind_addresses: [127.0.0.1]
            rtc:
              udp_port: 7892
              tcp_port: 7891
              node_ip: 10.77.0.1
              single_peer_connection: false
            keys:
              key1: a-secret-that-is-long-enough-for-prod-use
            webhook:
              api_key: key1
              urls:
                - http://127.0.0.1:9000/hook
            room:
              empty_timeout: 30
              departure_timeout: 5
              max_participants: 10
              auto_create: false
              enable_remote_unmute: true
            logging:
              level: warn
              json: true
            """, dev: false);
        Assert.Equal(7890, config.Port);
        Assert.Equal(["127.0.0.1"], config.BindAddresses);
        Assert.Equal(7892, config.Rtc.UdpPort);
        Assert.Equal(7891, config.Rtc.TcpPort);
        Assert.Equal("10.77.0.1", config.Rtc.NodeIp);
        Assert.False(config.Rtc.SinglePeerConnection);
        Assert.Equal("a-secret-that-is-long-enough-for-prod-use", config.Keys["key1"]);
        Assert.Equal("key1", config.Webhook.ApiKey);
        Assert.Equal(["http://127.0.0.1:9000/hook"], config.Webhook.Urls);
        Assert.Equal(30u, config.Room.EmptyTimeout);
        Assert.Equal(5u, config.Room.DepartureTimeout);
        Assert.Equal(10u, config.Room.MaxParticipants);
        Assert.False(config.Room.AutoCreate);
        Assert.True(config.Room.EnableRemoteUnmute);
        Assert.Equal("warn", config.Logging.Level);
        Assert.True(config.Logging.Json);
        Assert.Empty(config.Warnings);
    }

    [Theory]
    [InlineData("prometheus_port: 6789", 6789)]
    [InlineData("prometheus:\n  port: 6790", 6790)]
    [InlineData("port: 7000", null)]
    public void Load_PrometheusPort(string yaml, int? expected)
    {
        var config = Load(yaml);
        Assert.Equal(expected, config.PrometheusPort);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Load_Dev_DefaultsKeysLoopbackAndDebug()
    {
        var config = ConfigLoader.Load(new ServeOptions { Dev = true });
        Assert.Equal("secret", config.Keys["devkey"]);
        Assert.Equal(["127.0.0.1", "::1"], config.BindAddresses);
        Assert.Equal("debug", config.Logging.Level);
        Assert.Equal(7880, config.Port);
        Assert.Equal(7882, config.Rtc.UdpPort);
    }

    [Fact]
    public void Load_Flags_OverrideYaml()
    {
        var config = ConfigLoader.Load(new ServeOptions
        {
            ConfigBody = "port: 7000\nrtc:\n  udp_port: 7001\nkeys:\n  a: b",
            Keys = "k2: s2",
            Bind = ["127.0.0.2"],
            NodeIp = "10.0.0.9",
            UdpPort = 7002,
            Port = 7003,
        });
        Assert.Equal(7003, config.Port);
        Assert.Equal(7002, config.Rtc.UdpPort);
        Assert.Equal("10.0.0.9", config.Rtc.NodeIp);
        Assert.Equal(["127.0.0.2"], config.BindAddresses);
        Assert.Equal("s2", Assert.Single(config.Keys).Value);
    }

    [Fact]
    public void Load_Agents_BindsTargetLoadAndUserDataFlags()
    {
        var config = Load("agents:\n  target_load: 0.5\n  enable_user_data_recording: true\n  enable_user_data_redaction: true\n");
        Assert.Equal((0.5f, true, true), (config.Agents.TargetLoad, config.Agents.EnableUserDataRecording, config.Agents.EnableUserDataRedaction));
        Assert.Equal(0.7f, Load(string.Empty).Agents.TargetLoad);
    }

    [Fact]
    public void Load_KnownButUnsupportedKeys_AreWarnedNotRejected()
    {
        var config = Load("redis:\n  address: x\nrtc:\n  use_ice_lite: true\n");
        Assert.Contains(config.Warnings, w => w.Contains("redis", StringComparison.Ordinal));
        Assert.Contains(config.Warnings, w => w.Contains("rtc.use_ice_lite", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("nope: 1", "unknown configuration key: nope")]
    [InlineData("rtc:\n  nope: 1\n  other: 2", "rtc.nope, rtc.other")]
    [InlineData("port: abc", "port: expected a whole number")]
    [InlineData("port: 70000", "port: expected a whole number from 1 to 65535")]
    [InlineData("rtc:\n  udp_port: -1", "rtc.udp_port")]
    [InlineData("rtc: 5", "rtc: expected a mapping")]
    [InlineData("room:\n  auto_create: maybe", "room.auto_create: expected true or false")]
    [InlineData("room:\n  empty_timeout: -5", "room.empty_timeout")]
    [InlineData("keys: [a]", "keys: expected a mapping")]
    [InlineData("keys:\n  k: ''", "non-empty secret")]
    [InlineData("logging:\n  level: loud", "logging.level")]
    [InlineData("bind_addresses: [localhost]", "not an IP address")]
    [InlineData("rtc:\n  node_ip: nowhere", "rtc.node_ip")]
    [InlineData("rtc:\n  udp_port: 7880", "must differ from the HTTP port")]
    [InlineData("webhook:\n  urls: [http://127.0.0.1/x]", "webhook.api_key is required")]
    [InlineData("webhook:\n  api_key: other\n  urls: [http://127.0.0.1/x]", "not one of the configured keys")]
    [InlineData("webhook:\n  api_key: devkey\n  urls: [ftp://x]", "not an http(s) URL")]
    [InlineData("prometheus_port: lots", "prometheus_port")]
    [InlineData("prometheus_port: 70000", "prometheus_port")]
    [InlineData("prometheus:\n  port: 0", "prometheus.port")]
    [InlineData("agents:\n  target_load: 2", "agents.target_load: expected a number from 0 to 1")]
    [InlineData("agents:\n  nope: 1", "unknown configuration key: agents.nope")]
    [InlineData("port: [1", "not valid YAML")]
    [InlineData("- a\n- b", "expected a mapping of keys at the top level")]
    public void Load_BadConfig_ThrowsClearMessage(string yaml, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => Load(yaml));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoKeysOutsideDev_Throws()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(new ServeOptions()));
        Assert.Contains("no API keys", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ShortSecretOutsideDev_Warns()
    {
        var config = ConfigLoader.Load(new ServeOptions { Keys = "k: short" });
        Assert.Contains(config.Warnings, w => w.Contains("shorter than 32", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_EmptyBody_UsesDefaults()
    {
        var config = Load(string.Empty);
        Assert.Equal(300u, config.Room.EmptyTimeout);
        Assert.Equal(20u, config.Room.DepartureTimeout);
        Assert.True(config.Room.AutoCreate);
        Assert.True(config.Rtc.SinglePeerConnection);
    }
}
