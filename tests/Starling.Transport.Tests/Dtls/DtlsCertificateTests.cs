using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Starling.Testing;
using Starling.Transport.Dtls;

namespace Starling.Transport.Tests.Dtls;

public sealed class DtlsCertificateTests
{
    [Fact]
    public void Generate_EcdsaP256_FingerprintIsSha256OfDer()
    {
        var certificate = DtlsCertificate.Generate();

        using var x509 = X509CertificateLoader.LoadCertificate(certificate.DerEncoded.Span);
        using var key = x509.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(256, key.KeySize);
        Assert.Equal("sha-256", certificate.Fingerprint.Algorithm);
        Assert.Equal(SHA256.HashData(certificate.DerEncoded.Span), certificate.Fingerprint.Value.ToArray());
        Assert.Matches("^sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$", certificate.Fingerprint.ToString());
    }

    [Fact]
    public void Generate_InjectedClock_SetsValidity()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2030, 6, 1, 0, 0, 0, TimeSpan.Zero));

        var certificate = DtlsCertificate.Generate(time, TimeSpan.FromDays(30));

        using var x509 = X509CertificateLoader.LoadCertificate(certificate.DerEncoded.Span);
        Assert.Equal(new DateTime(2030, 5, 31, 0, 0, 0, DateTimeKind.Utc), x509.NotBefore.ToUniversalTime());
        Assert.Equal(new DateTime(2030, 7, 1, 0, 0, 0, DateTimeKind.Utc), x509.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Generate_Twice_ProducesDistinctKeys()
    {
        Assert.NotEqual(DtlsCertificate.Generate().Fingerprint, DtlsCertificate.Generate().Fingerprint);
    }

    [Fact]
    public void ExportPem_RoundTripsThroughX509()
    {
        var certificate = DtlsCertificate.Generate();

        using var x509 = X509Certificate2.CreateFromPem(certificate.ExportCertificatePem(), certificate.ExportPrivateKeyPem());

        Assert.True(x509.HasPrivateKey);
        Assert.Equal(certificate.DerEncoded.ToArray(), x509.RawData);
    }
}
