using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using Starling.Transport.Srtp;
using SrtpProtectionProfile = Starling.Transport.Srtp.SrtpProtectionProfile;
using BcTlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;
using BcTlsCertificateRequest = Org.BouncyCastle.Crypto.Tls.CertificateRequest;

namespace Starling.Transport.Dtls;

/// <summary>
/// The BouncyCastle <see cref="TlsServer"/> policy for WebRTC: DTLS 1.2 only, ECDHE-ECDSA suites, a required
/// client certificate pinned by the SDP fingerprint, and use_srtp (RFC 5764) with SRTP key export.
/// Runs on the session's handshake thread only.
/// </summary>
internal sealed class DtlsSrtpTlsServer(DtlsCertificate certificate, DtlsFingerprint remoteFingerprint, DtlsOptions options) : DefaultTlsServer
{
    /// <summary>The suites Chromium offers for ECDSA certificates, GCM preferred.</summary>
    private static readonly int[] CipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    ];

    private SrtpProtectionProfile _srtpProfile = SrtpProtectionProfile.None;
    private byte[] _remoteCertificate = [];
    private volatile bool _closeNotifyReceived;

    /// <summary>A policy failure recorded just before the handshake is aborted with an alert.</summary>
    public DtlsFailure? PolicyFailure { get; private set; }

    /// <summary>Set by <see cref="NotifyHandshakeComplete"/>.</summary>
    public DtlsHandshakeResult? Result { get; private set; }

    /// <summary>Description of the last fatal alert the peer sent, if any.</summary>
    public byte? FatalAlertReceived { get; private set; }

    /// <summary>Description of the last fatal alert we raised, if any.</summary>
    public byte? FatalAlertRaised { get; private set; }

    public bool CloseNotifyReceived => _closeNotifyReceived;

    protected override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    protected override ProtocolVersion MaximumVersion => ProtocolVersion.DTLSv12;

    protected override int[] GetCipherSuites() => (int[])CipherSuites.Clone();

    public override void ProcessClientExtensions(IDictionary clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);

        var offered = clientExtensions is null ? null : TlsSRTPUtils.GetUseSrtpExtension(clientExtensions);
        if (offered is not null)
        {
            // RFC 5764 §4.1.1: pick from the client's list, in the client's order, what the server supports.
            foreach (var code in offered.ProtectionProfiles)
            {
                var profile = (SrtpProtectionProfile)code;
                if (profile.IsSupported() && options.SrtpProfiles.Contains(profile))
                {
                    _srtpProfile = profile;
                    break;
                }
            }
        }

        if (_srtpProfile == SrtpProtectionProfile.None && options.RequireSrtp)
        {
            var detail = offered is null
                ? "the client did not offer use_srtp"
                : $"the client offered SRTP profiles [{string.Join(", ", offered.ProtectionProfiles.Select(p => $"0x{p:X4}"))}], none of which is enabled";
            PolicyFailure = new DtlsFailure(DtlsFailureReason.NoCommonSrtpProfile, detail);
        }
    }

    /// <summary>
    /// The first hook after the ServerHello went out. Policy failures found while reading the ClientHello are
    /// raised here: BouncyCastle cannot send an alert before it has sent its ServerHello, and without one the
    /// client would only give up after its retransmission timeouts.
    /// </summary>
    public override IList GetServerSupplementalData()
    {
        if (PolicyFailure is null && options.RequireExtendedMasterSecret && !mContext.SecurityParameters.IsExtendedMasterSecret)
        {
            PolicyFailure = new DtlsFailure(DtlsFailureReason.MissingExtendedMasterSecret, "the client did not offer extended_master_secret (RFC 7627)");
        }

        if (PolicyFailure is not null)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }

        return base.GetServerSupplementalData();
    }

    public override IDictionary GetServerExtensions()
    {
        var extensions = base.GetServerExtensions();
        if (_srtpProfile != SrtpProtectionProfile.None)
        {
            extensions = CheckServerExtensions();
            TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData([(int)_srtpProfile], TlsUtilities.EmptyBytes));
        }

        return extensions;
    }

    public override BcTlsCertificateRequest GetCertificateRequest()
    {
        // WebRTC authenticates both ends (RFC 8827 §6.5); browsers use ECDSA P-256 certificates by default, RSA on request.
        IList signatureAlgorithms = new List<SignatureAndHashAlgorithm>
        {
            new(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
            new(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
            new(HashAlgorithm.sha512, SignatureAlgorithm.ecdsa),
            new(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
            new(HashAlgorithm.sha384, SignatureAlgorithm.rsa),
            new(HashAlgorithm.sha512, SignatureAlgorithm.rsa),
            new(HashAlgorithm.sha1, SignatureAlgorithm.ecdsa),
            new(HashAlgorithm.sha1, SignatureAlgorithm.rsa),
        };
        return new BcTlsCertificateRequest([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], signatureAlgorithms, null);
    }

    public override void NotifyClientCertificate(BcTlsCertificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty)
        {
            PolicyFailure = new DtlsFailure(DtlsFailureReason.MissingClientCertificate, "the client sent no certificate; WebRTC requires one");
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }

        var der = clientCertificate.GetCertificateAt(0).GetEncoded();
        if (!remoteFingerprint.Matches(der))
        {
            var actual = DtlsFingerprint.Compute(remoteFingerprint.Algorithm, der);
            PolicyFailure = new DtlsFailure(
                DtlsFailureReason.FingerprintMismatch,
                $"the client certificate fingerprint {actual} does not match the SDP fingerprint {remoteFingerprint}");
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }

        _remoteCertificate = der;
    }

    protected override TlsSignerCredentials GetECDsaSignerCredentials()
    {
        SignatureAndHashAlgorithm? chosen = null;
        if (TlsUtilities.IsSignatureAlgorithmsExtensionAllowed(mServerVersion))
        {
            // RFC 5246 §7.4.1.4.1: without signature_algorithms the client implies {sha1, ecdsa}.
            var offered = mSupportedSignatureAlgorithms
                ?? new List<SignatureAndHashAlgorithm> { new(HashAlgorithm.sha1, SignatureAlgorithm.ecdsa) };
            foreach (SignatureAndHashAlgorithm algorithm in offered)
            {
                if (algorithm.Signature != SignatureAlgorithm.ecdsa)
                {
                    continue;
                }

                chosen ??= algorithm;
                if (algorithm.Hash == HashAlgorithm.sha256)
                {
                    chosen = algorithm;
                    break;
                }
            }

            if (chosen is null)
            {
                throw new TlsFatalAlert(AlertDescription.handshake_failure);
            }
        }

        return new DefaultTlsSignerCredentials(mContext, certificate.TlsCertificate, certificate.PrivateKey, chosen);
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();

        // Export now: DtlsServerProtocol.Accept clears the master secret before it returns.
        var parameters = mContext.SecurityParameters;
        SrtpKeyingMaterial? srtp = null;
        if (_srtpProfile != SrtpProtectionProfile.None)
        {
            var length = SrtpKeyingMaterial.GetExportLength(_srtpProfile);
            var exported = parameters.IsExtendedMasterSecret
                ? mContext.ExportKeyingMaterial(SrtpKeyingMaterial.ExporterLabel, null, length)
                : ExportWithoutExtendedMasterSecret(parameters, length);
            srtp = SrtpKeyingMaterial.FromExporterOutput(_srtpProfile, exported);
            Array.Clear(exported);
        }

        Result = new DtlsHandshakeResult(parameters.CipherSuite, parameters.IsExtendedMasterSecret, srtp, _remoteCertificate);
    }

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription)
    {
        if (alertDescription == AlertDescription.close_notify)
        {
            _closeNotifyReceived = true;
        }
        else if (alertLevel == AlertLevel.fatal)
        {
            FatalAlertReceived = alertDescription;
        }
    }

    public override void NotifyAlertRaised(byte alertLevel, byte alertDescription, string message, Exception cause)
    {
        if (alertLevel == AlertLevel.fatal)
        {
            FatalAlertRaised = alertDescription;
        }
    }

    /// <summary>
    /// RFC 5705 exporter over the plain master secret. BouncyCastle 1.8.10 refuses to export without
    /// extended master secret (RFC 7627 §5.4); WebRTC has always keyed SRTP this way, so clients that lack
    /// the extension still work unless <see cref="DtlsOptions.RequireExtendedMasterSecret"/> is set.
    /// </summary>
    private byte[] ExportWithoutExtendedMasterSecret(SecurityParameters parameters, int length)
    {
        var seed = new byte[parameters.ClientRandom.Length + parameters.ServerRandom.Length];
        parameters.ClientRandom.CopyTo(seed, 0);
        parameters.ServerRandom.CopyTo(seed, parameters.ClientRandom.Length);
        return TlsUtilities.PRF(mContext, parameters.MasterSecret, SrtpKeyingMaterial.ExporterLabel, seed, length);
    }
}
