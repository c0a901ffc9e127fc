using System.Collections;
using System.Collections.Concurrent;
using Org.BouncyCastle.Crypto.Tls;
using Starling.Transport.Dtls;
using BcTlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;
using BcTlsCertificateRequest = Org.BouncyCastle.Crypto.Tls.CertificateRequest;

namespace Starling.Transport.Tests.Dtls;

/// <summary>
/// A BouncyCastle DTLS 1.2 client shaped like a browser's: ECDHE-ECDSA suites, an ECDSA client certificate,
/// use_srtp with a configurable profile list; exports the SRTP keying material when done.
/// </summary>
internal sealed class TestDtlsClient(DtlsCertificate certificate, DtlsFingerprint? expectedServerFingerprint, int[] srtpProfiles)
    : DefaultTlsClient, TlsAuthentication
{
    public bool SendCertificate { get; init; } = true;

    public int SelectedSrtpProfile { get; private set; }

    public byte[]? ExportedKeyingMaterial { get; private set; }

    public int SelectedCipherSuite => mSelectedCipherSuite;

    public ConcurrentQueue<(byte Level, byte Description)> AlertsReceived { get; } = new();

    public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    public override int[] GetCipherSuites() =>
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    ];

    public override IDictionary GetClientExtensions()
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        if (srtpProfiles.Length > 0)
        {
            TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData(srtpProfiles, []));
        }

        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        var useSrtp = serverExtensions is null ? null : TlsSRTPUtils.GetUseSrtpExtension(serverExtensions);
        SelectedSrtpProfile = useSrtp?.ProtectionProfiles[0] ?? 0;
    }

    public override TlsAuthentication GetAuthentication() => this;

    public void NotifyServerCertificate(BcTlsCertificate serverCertificate)
    {
        var der = serverCertificate.GetCertificateAt(0).GetEncoded();
        if (expectedServerFingerprint is not null && !expectedServerFingerprint.Matches(der))
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    public TlsCredentials? GetClientCredentials(BcTlsCertificateRequest certificateRequest) =>
        SendCertificate
            ? new DefaultTlsSignerCredentials(
                mContext, certificate.TlsCertificate, certificate.PrivateKey, new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa))
            : null;

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        var length = SelectedSrtpProfile switch
        {
            0x0001 => 60,
            0x0007 => 56,
            _ => 0,
        };
        if (length > 0)
        {
            ExportedKeyingMaterial = mContext.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, length);
        }
    }

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) =>
        AlertsReceived.Enqueue((alertLevel, alertDescription));
}
