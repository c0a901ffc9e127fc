using Starling.Transport.Srtp;

namespace Starling.Transport.Dtls;

/// <summary>What a completed DTLS handshake negotiated, including the SRTP keys exported from it.</summary>
internal sealed class DtlsHandshakeResult(int cipherSuite, bool extendedMasterSecret, SrtpKeyingMaterial? srtp, ReadOnlyMemory<byte> remoteCertificate)
{
    /// <summary>IANA cipher suite number, e.g. 0xC02B for TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256.</summary>
    public int CipherSuite { get; } = cipherSuite;

    /// <summary>Whether RFC 7627 extended master secret was used.</summary>
    public bool ExtendedMasterSecret { get; } = extendedMasterSecret;

    /// <summary>SRTP master keys and salts for both directions (RFC 5764 §4.2); null when no profile was negotiated.</summary>
    public SrtpKeyingMaterial? Srtp { get; } = srtp;

    /// <summary>The negotiated SRTP protection profile, or <see cref="SrtpProtectionProfile.None"/>.</summary>
    public SrtpProtectionProfile SrtpProfile => Srtp?.Profile ?? SrtpProtectionProfile.None;

    /// <summary>DER of the certificate the peer authenticated with.</summary>
    public ReadOnlyMemory<byte> RemoteCertificate { get; } = remoteCertificate;

    public string CipherSuiteName => CipherSuite switch
    {
        0xC02B => "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        0xC02C => "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        0xC009 => "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        _ => $"0x{CipherSuite:X4}",
    };
}
