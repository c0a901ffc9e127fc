namespace Starling.Transport.Srtp;

/// <summary>
/// SRTP protection profiles negotiated by the DTLS <c>use_srtp</c> extension. Values are the IANA
/// "DTLS-SRTP Protection Profiles" code points (RFC 5764 §4.1.2, RFC 7714 §14.2).
/// </summary>
internal enum SrtpProtectionProfile
{
    /// <summary>No profile was negotiated.</summary>
    None = 0x0000,

    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80: AES-128 counter mode, HMAC-SHA1 with an 80-bit tag (RFC 3711).</summary>
    AesCm128HmacSha1_80 = 0x0001,

    /// <summary>SRTP_AEAD_AES_128_GCM: AES-128 GCM with a 16-byte tag (RFC 7714).</summary>
    AeadAes128Gcm = 0x0007,
}
