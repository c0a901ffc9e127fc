namespace Starling.Transport.Srtp;

/// <summary>Key, salt and tag sizes of each supported <see cref="SrtpProtectionProfile"/>.</summary>
internal static class SrtpProtectionProfileExtensions
{
    /// <summary>True for the profiles <see cref="SrtpContext"/> implements.</summary>
    public static bool IsSupported(this SrtpProtectionProfile profile) =>
        profile is SrtpProtectionProfile.AesCm128HmacSha1_80 or SrtpProtectionProfile.AeadAes128Gcm;

    /// <summary>Master (and session) encryption key length in bytes.</summary>
    public static int KeyLength(this SrtpProtectionProfile profile) => profile switch
    {
        SrtpProtectionProfile.AesCm128HmacSha1_80 => 16,
        SrtpProtectionProfile.AeadAes128Gcm => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "unsupported SRTP protection profile"),
    };

    /// <summary>Master (and session) salt length in bytes: 112 bits for AES-CM (RFC 3711), 96 bits for GCM (RFC 7714 §12).</summary>
    public static int SaltLength(this SrtpProtectionProfile profile) => profile switch
    {
        SrtpProtectionProfile.AesCm128HmacSha1_80 => 14,
        SrtpProtectionProfile.AeadAes128Gcm => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "unsupported SRTP protection profile"),
    };

    /// <summary>Session authentication key length in bytes (HMAC-SHA1: n_a = 160 bits); 0 for AEAD profiles.</summary>
    public static int AuthKeyLength(this SrtpProtectionProfile profile) =>
        profile == SrtpProtectionProfile.AesCm128HmacSha1_80 ? 20 : 0;

    /// <summary>Bytes <see cref="SrtpContext.ProtectRtp"/> appends: the authentication tag.</summary>
    public static int RtpOverhead(this SrtpProtectionProfile profile) => profile switch
    {
        SrtpProtectionProfile.AesCm128HmacSha1_80 => 10,
        SrtpProtectionProfile.AeadAes128Gcm => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "unsupported SRTP protection profile"),
    };

    /// <summary>Bytes <see cref="SrtpContext.ProtectRtcp"/> appends: E flag + SRTCP index (4) and the tag.</summary>
    public static int RtcpOverhead(this SrtpProtectionProfile profile) => profile.RtpOverhead() + 4;
}
