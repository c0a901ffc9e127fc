using Starling.Transport.Srtp;

namespace Starling.Transport.Dtls;

/// <summary>Options for <see cref="DtlsServerSession"/>.</summary>
internal sealed class DtlsOptions
{
    /// <summary>Shared default instance; do not mutate.</summary>
    public static readonly DtlsOptions Default = new();

    /// <summary>The session fails when the handshake has not completed this long after <c>Start</c>. Default 30 s.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest datagram sent; handshake messages are fragmented to fit. Default 1200 (what libwebrtc uses).</summary>
    public int Mtu { get; init; } = 1200;

    /// <summary>Largest datagram accepted. Default 1500.</summary>
    public int MaxDatagramSize { get; init; } = 1500;

    /// <summary>
    /// SRTP protection profiles the server accepts. The client's preference order decides among them
    /// (RFC 5764 §4.1.1). Default: AEAD_AES_128_GCM and AES_CM_128_HMAC_SHA1_80.
    /// </summary>
    public IReadOnlyList<SrtpProtectionProfile> SrtpProfiles { get; init; } =
        [SrtpProtectionProfile.AeadAes128Gcm, SrtpProtectionProfile.AesCm128HmacSha1_80];

    /// <summary>Fail the handshake when no SRTP profile is agreed (WebRTC always negotiates one). Default true.</summary>
    public bool RequireSrtp { get; init; } = true;

    /// <summary>Fail clients that do not offer extended_master_secret (RFC 7627). Default false: all WebRTC stacks offer it.</summary>
    public bool RequireExtendedMasterSecret { get; init; }

    /// <summary>
    /// Incoming records buffered before the session's thread consumes them; more are dropped like datagrams on a
    /// full socket buffer (SCTP retransmits). Default 1024.
    /// </summary>
    public int MaxQueuedRecords { get; init; } = 1024;
}
