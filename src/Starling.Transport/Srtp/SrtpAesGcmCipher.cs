using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Starling.Transport.Srtp;

/// <summary>
/// AEAD_AES_128_GCM (RFC 7714): the RTP header (with CSRCs and extensions) is the associated data,
/// the payload is encrypted, and a 16-byte tag follows.
/// </summary>
/// <remarks>
/// SRTP IV (§8.1): <c>(00 00 | SSRC | ROC | SEQ) XOR salt</c>, 12 bytes.
/// SRTCP (§9.1): <c>header(8) | E(payload) | tag(16) | E-flag:1 index:31</c>, AAD = header | trailer,
/// IV = <c>(00 00 | SSRC | 00 00 | 0:1 index:31) XOR salt</c>.
/// Authentication failures surface from <see cref="AesGcm"/> as exceptions, which are caught here: the
/// BCL has no non-throwing decrypt, so a flood of forged GCM packets costs more CPU than forged AES-CM ones.
/// </remarks>
internal sealed class SrtpAesGcmCipher : SrtpCipher
{
    private const int TagLength = 16;
    private const int TrailerLength = 4;
    private const int NonceLength = 12;

    private readonly AesGcm _rtpAead;
    private readonly AesGcm _rtcpAead;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public SrtpAesGcmCipher(SrtpSessionKeys keys)
    {
        if (keys.RtpSalt.Length != NonceLength || keys.RtcpSalt.Length != NonceLength)
        {
            throw new ArgumentException("AES-GCM session salts are 12 bytes", nameof(keys));
        }

        _rtpAead = new AesGcm(keys.RtpEncryptionKey, TagLength);
        _rtcpAead = new AesGcm(keys.RtcpEncryptionKey, TagLength);
        _rtpSalt = (byte[])keys.RtpSalt.Clone();
        _rtcpSalt = (byte[])keys.RtcpSalt.Clone();
    }

    public override int RtpOverhead => TagLength;

    public override int RtcpOverhead => TagLength + TrailerLength;

    public override bool SupportsUnencryptedSrtcp => false;

    public override int ProtectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildRtpNonce(nonce, ssrc, index);
        var payload = packet[headerLength..length];
        _rtpAead.Encrypt(nonce, payload, payload, packet.Slice(length, TagLength), packet[..headerLength]);
        return length + TagLength;
    }

    public override bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildRtpNonce(nonce, ssrc, index);
        var end = packet.Length - TagLength;
        var payload = packet[headerLength..end];
        try
        {
            _rtpAead.Decrypt(nonce, payload, packet[end..], payload, packet[..headerLength]);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public override int ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint srtcpIndex)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildRtcpNonce(nonce, ssrc, srtcpIndex);
        Span<byte> aad = stackalloc byte[SrtpPacketLayout.RtcpHeaderLength + TrailerLength];
        packet[..SrtpPacketLayout.RtcpHeaderLength].CopyTo(aad);
        var trailer = aad[SrtpPacketLayout.RtcpHeaderLength..];
        BinaryPrimitives.WriteUInt32BigEndian(trailer, 0x8000_0000u | srtcpIndex);

        var payload = packet[SrtpPacketLayout.RtcpHeaderLength..length];
        _rtcpAead.Encrypt(nonce, payload, payload, packet.Slice(length, TagLength), aad);
        trailer.CopyTo(packet.Slice(length + TagLength, TrailerLength));
        return length + TagLength + TrailerLength;
    }

    public override void ReadSrtcpTrailer(ReadOnlySpan<byte> packet, out uint srtcpIndex, out bool encrypted)
    {
        var trailer = BinaryPrimitives.ReadUInt32BigEndian(packet[^TrailerLength..]);
        encrypted = (trailer & 0x8000_0000u) != 0;
        srtcpIndex = trailer & 0x7FFF_FFFFu;
    }

    public override bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint srtcpIndex, bool encrypted)
    {
        if (!encrypted)
        {
            return false;
        }

        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildRtcpNonce(nonce, ssrc, srtcpIndex);
        Span<byte> aad = stackalloc byte[SrtpPacketLayout.RtcpHeaderLength + TrailerLength];
        packet[..SrtpPacketLayout.RtcpHeaderLength].CopyTo(aad);
        packet[^TrailerLength..].CopyTo(aad[SrtpPacketLayout.RtcpHeaderLength..]);

        var tagStart = packet.Length - TrailerLength - TagLength;
        var payload = packet[SrtpPacketLayout.RtcpHeaderLength..tagStart];
        try
        {
            _rtcpAead.Decrypt(nonce, payload, packet.Slice(tagStart, TagLength), payload, aad);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public override void Dispose()
    {
        _rtpAead.Dispose();
        _rtcpAead.Dispose();
    }

    private void BuildRtpNonce(Span<byte> nonce, uint ssrc, ulong index)
    {
        nonce[0] = 0;
        nonce[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[6..], (uint)(index >> 16));
        BinaryPrimitives.WriteUInt16BigEndian(nonce[10..], (ushort)index);
        XorSalt(nonce, _rtpSalt);
    }

    private void BuildRtcpNonce(Span<byte> nonce, uint ssrc, uint srtcpIndex)
    {
        nonce[0] = 0;
        nonce[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        nonce[6] = 0;
        nonce[7] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], srtcpIndex & 0x7FFF_FFFFu);
        XorSalt(nonce, _rtcpSalt);
    }

    private static void XorSalt(Span<byte> nonce, ReadOnlySpan<byte> salt)
    {
        for (var i = 0; i < NonceLength; i++)
        {
            nonce[i] ^= salt[i];
        }
    }
}
