namespace Starling.Transport.Srtp;

/// <summary>
/// The six session keys one SRTP crypto context uses (RFC 3711 §4.3): encryption key, authentication key
/// and salt for SRTP and again for SRTCP. AEAD profiles have empty authentication keys.
/// Usually produced by <see cref="SrtpKeyDerivation.Derive"/>; tests construct them directly from RFC vectors.
/// </summary>
internal sealed class SrtpSessionKeys(
    byte[] rtpEncryptionKey,
    byte[] rtpAuthenticationKey,
    byte[] rtpSalt,
    byte[] rtcpEncryptionKey,
    byte[] rtcpAuthenticationKey,
    byte[] rtcpSalt)
{
    public byte[] RtpEncryptionKey { get; } = rtpEncryptionKey;

    public byte[] RtpAuthenticationKey { get; } = rtpAuthenticationKey;

    public byte[] RtpSalt { get; } = rtpSalt;

    public byte[] RtcpEncryptionKey { get; } = rtcpEncryptionKey;

    public byte[] RtcpAuthenticationKey { get; } = rtcpAuthenticationKey;

    public byte[] RtcpSalt { get; } = rtcpSalt;
}
