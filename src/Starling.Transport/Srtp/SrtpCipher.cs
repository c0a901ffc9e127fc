namespace Starling.Transport.Srtp;

/// <summary>
/// The cryptographic transform of one profile, stateless per packet: <see cref="SrtpContext"/> parses headers,
/// estimates indices and keeps replay state, then hands the packet and its index here.
/// All methods work in place and allocate nothing.
/// </summary>
internal abstract class SrtpCipher : IDisposable
{
    /// <summary>Bytes appended to an RTP packet.</summary>
    public abstract int RtpOverhead { get; }

    /// <summary>Bytes appended to an RTCP packet (trailer with E flag and SRTCP index, plus tag).</summary>
    public abstract int RtcpOverhead { get; }

    /// <summary>Whether unprotecting SRTCP with E = 0 (authenticated but not encrypted) is supported.</summary>
    public abstract bool SupportsUnencryptedSrtcp { get; }

    public static SrtpCipher Create(SrtpProtectionProfile profile, SrtpSessionKeys keys) => profile switch
    {
        SrtpProtectionProfile.AesCm128HmacSha1_80 => new SrtpAesCmCipher(keys),
        SrtpProtectionProfile.AeadAes128Gcm => new SrtpAesGcmCipher(keys),
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "unsupported SRTP protection profile"),
    };

    /// <summary>Encrypts the payload after <paramref name="headerLength"/> and appends the tag; returns the new length.
    /// <paramref name="packet"/> has room for <see cref="RtpOverhead"/> more bytes.</summary>
    public abstract int ProtectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, ulong index);

    /// <summary>Verifies the tag at the end of <paramref name="packet"/> and decrypts the payload in place; false when authentication fails.</summary>
    public abstract bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index);

    /// <summary>Encrypts an RTCP packet and appends trailer and tag; returns the new length.</summary>
    public abstract int ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint srtcpIndex);

    /// <summary>Reads the E flag and SRTCP index of a protected packet (exactly the packet, at least 8 + overhead bytes).</summary>
    public abstract void ReadSrtcpTrailer(ReadOnlySpan<byte> packet, out uint srtcpIndex, out bool encrypted);

    /// <summary>Verifies and (when <paramref name="encrypted"/>) decrypts an SRTCP packet in place; false when authentication fails.</summary>
    public abstract bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint srtcpIndex, bool encrypted);

    public abstract void Dispose();
}
