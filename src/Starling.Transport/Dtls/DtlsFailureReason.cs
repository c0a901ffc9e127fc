namespace Starling.Transport.Dtls;

/// <summary>Why an <see cref="IDtlsSession"/> failed.</summary>
internal enum DtlsFailureReason
{
    /// <summary>The peer's certificate does not hash to the fingerprint from its SDP.</summary>
    FingerprintMismatch,

    /// <summary>The peer sent no certificate although WebRTC requires mutual authentication.</summary>
    MissingClientCertificate,

    /// <summary>The client offered no SRTP protection profile the server accepts.</summary>
    NoCommonSrtpProfile,

    /// <summary>The client did not offer extended_master_secret while <see cref="DtlsOptions.RequireExtendedMasterSecret"/> is set.</summary>
    MissingExtendedMasterSecret,

    /// <summary>The handshake did not complete within <see cref="DtlsOptions.HandshakeTimeout"/>.</summary>
    HandshakeTimeout,

    /// <summary>The peer sent a fatal alert.</summary>
    AlertReceived,

    /// <summary>The DTLS stack rejected the exchange (decode error, bad signature, unsupported parameters, ...).</summary>
    ProtocolError,

    /// <summary>Sending a datagram or an event handler threw.</summary>
    InternalError,
}
