using Starling.Transport.Srtp;

namespace Starling.Bench;

/// <summary>The SRTP profiles a WebRTC peer negotiates (public mirror of the internal <see cref="SrtpProtectionProfile"/> for [Params]).</summary>
public enum SrtpSuite
{
    AesCm128HmacSha1_80,
    AeadAes128Gcm,
}

internal static class SrtpSuiteExtensions
{
    public static SrtpProtectionProfile ToProfile(this SrtpSuite suite) => suite switch
    {
        SrtpSuite.AesCm128HmacSha1_80 => SrtpProtectionProfile.AesCm128HmacSha1_80,
        _ => SrtpProtectionProfile.AeadAes128Gcm,
    };

    /// <summary>A context with deterministic keys derived from <paramref name="seed"/>.</summary>
    public static SrtpContext CreateContext(this SrtpSuite suite, int seed)
    {
        var profile = suite.ToProfile();
        var random = new Random(seed);
        var key = new byte[profile.KeyLength()];
        var salt = new byte[profile.SaltLength()];
        random.NextBytes(key);
        random.NextBytes(salt);
        return SrtpContext.Create(profile, key, salt);
    }
}
