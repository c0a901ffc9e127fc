using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using BcTlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;
using X509CertificateRequest = System.Security.Cryptography.X509Certificates.CertificateRequest;

namespace Starling.Transport.Dtls;

/// <summary>
/// The server's DTLS identity: a self-signed ECDSA P-256 certificate (what browsers generate for
/// RTCPeerConnection too), created once per server. Peers pin it by <see cref="Fingerprint"/> from the SDP,
/// so subject, issuer and validity carry no trust.
/// </summary>
internal sealed class DtlsCertificate
{
    private readonly byte[] _der;
    private readonly byte[] _pkcs8;

    private DtlsCertificate(byte[] der, byte[] pkcs8, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        _der = der;
        _pkcs8 = pkcs8;
        NotBefore = notBefore;
        NotAfter = notAfter;
        Fingerprint = DtlsFingerprint.Compute("sha-256", der);
        TlsCertificate = new BcTlsCertificate([X509CertificateStructure.GetInstance(der)]);
        PrivateKey = PrivateKeyFactory.CreateKey(pkcs8);
    }

    /// <summary>SHA-256 fingerprint; <c>Fingerprint.ToString()</c> is the SDP form <c>sha-256 AB:CD:...</c>.</summary>
    public DtlsFingerprint Fingerprint { get; }

    /// <summary>The DER-encoded X.509 certificate.</summary>
    public ReadOnlyMemory<byte> DerEncoded => _der;

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    /// <summary>The certificate as BouncyCastle's TLS layer takes it.</summary>
    internal BcTlsCertificate TlsCertificate { get; }

    /// <summary>The ECDSA private key as BouncyCastle's TLS layer takes it.</summary>
    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>
    /// Generates a fresh key pair and certificate valid from one day before now (clock skew) for
    /// <paramref name="validity"/> (default 365 days).
    /// </summary>
    public static DtlsCertificate Generate(TimeProvider? timeProvider = null, TimeSpan? validity = null, string commonName = "Starling")
    {
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var notBefore = now - TimeSpan.FromDays(1);
        var notAfter = now + (validity ?? TimeSpan.FromDays(365));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new X509CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return new DtlsCertificate(certificate.RawData, key.ExportPkcs8PrivateKey(), notBefore, notAfter);
    }

    /// <summary>PEM of the certificate (for tools such as <c>openssl s_client -cert</c>).</summary>
    public string ExportCertificatePem() => PemEncoding.WriteString("CERTIFICATE", _der);

    /// <summary>PEM of the PKCS#8 private key. Handle with care.</summary>
    public string ExportPrivateKeyPem() => PemEncoding.WriteString("PRIVATE KEY", _pkcs8);
}
