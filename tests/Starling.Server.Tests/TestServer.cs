using Starling.Protocol.Auth;
using Starling.Server.Config;

namespace Starling.Server.Tests;

/// <summary>What the endpoint tests share: a loopback server config with the dev key, and tokens signed with it.</summary>
internal static class TestServer
{
    /// <summary>Port 0 on 127.0.0.1, key <c>devkey: secret</c>, quiet logs.</summary>
    public static StarlingConfig Config(string logLevel = "warn")
    {
        var config = new StarlingConfig { Port = 0, BindAddresses = ["127.0.0.1"] };
        config.Keys["devkey"] = "secret";
        config.Logging.Level = logLevel;
        return config;
    }

    /// <summary>A token issued by <c>devkey</c>, valid for an hour from <paramref name="now"/> (default: the real clock).</summary>
    public static string Token(VideoGrant? video, string? identity = null, string secret = "secret", DateTimeOffset? now = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        return AccessTokenCodec.Encode(
            new TokenClaims
            {
                Issuer = "devkey",
                Subject = identity,
                NotBefore = at.ToUnixTimeSeconds(),
                Expires = at.AddHours(1).ToUnixTimeSeconds(),
                Video = video,
            },
            secret);
    }
}
