using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Starling.Transport.Srtp;

/// <summary>
/// AES_CM_128_HMAC_SHA1_80 (RFC 3711): AES-128 counter mode, HMAC-SHA1 truncated to 80 bits.
/// </summary>
/// <remarks>
/// SRTP: <c>header | E(payload) | tag</c>, tag = HMAC(k_a, header | E(payload) | ROC)[0..10] (§4.2).
/// SRTCP (§3.4): <c>header(8) | E(payload) | E-flag:1 index:31 | tag</c>, tag over everything before it.
/// IV (§4.1.1) = (k_s · 2^16) XOR (SSRC · 2^64) XOR (index · 2^16).
/// </remarks>
internal sealed class SrtpAesCmCipher : SrtpCipher
{
    private const int TagLength = 10;
    private const int TrailerLength = 4;
    private const int HmacLength = 20;

    private readonly AesCounterMode _rtpCipher;
    private readonly AesCounterMode _rtcpCipher;
    private readonly IncrementalHash _rtpMac;
    private readonly IncrementalHash _rtcpMac;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public SrtpAesCmCipher(SrtpSessionKeys keys)
    {
        if (keys.RtpSalt.Length != 14 || keys.RtcpSalt.Length != 14)
        {
            throw new ArgumentException("AES-CM session salts are 14 bytes", nameof(keys));
        }

        _rtpCipher = new AesCounterMode(keys.RtpEncryptionKey);
        _rtcpCipher = new AesCounterMode(keys.RtcpEncryptionKey);
        _rtpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, keys.RtpAuthenticationKey);
        _rtcpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, keys.RtcpAuthenticationKey);
        _rtpSalt = (byte[])keys.RtpSalt.Clone();
        _rtcpSalt = (byte[])keys.RtcpSalt.Clone();
    }

    public override int RtpOverhead => TagLength;

    public override int RtcpOverhead => TrailerLength + TagLength;

    public override bool SupportsUnencryptedSrtcp => true;

    public override int ProtectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, ulong index)
    {
        Span<byte> iv = stackalloc byte[16];
        BuildIv(iv, _rtpSalt, ssrc, index);
        _rtpCipher.Apply(iv, packet[headerLength..length]);

        Span<byte> mac = stackalloc byte[HmacLength];
        ComputeRtpMac(packet[..length], (uint)(index >> 16), mac);
        mac[..TagLength].CopyTo(packet.Slice(length, TagLength));
        return length + TagLength;
    }

    public override bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        var authenticated = packet.Length - TagLength;
        Span<byte> mac = stackalloc byte[HmacLength];
        ComputeRtpMac(packet[..authenticated], (uint)(index >> 16), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..TagLength], packet[authenticated..]))
        {
            return false;
        }

        Span<byte> iv = stackalloc byte[16];
        BuildIv(iv, _rtpSalt, ssrc, index);
        _rtpCipher.Apply(iv, packet[headerLength..authenticated]);
        return true;
    }

    public override int ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint srtcpIndex)
    {
        Span<byte> iv = stackalloc byte[16];
        BuildIv(iv, _rtcpSalt, ssrc, srtcpIndex);
        _rtcpCipher.Apply(iv, packet[SrtpPacketLayout.RtcpHeaderLength..length]);
        BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(length, TrailerLength), 0x8000_0000u | srtcpIndex);

        var authenticated = length + TrailerLength;
        Span<byte> mac = stackalloc byte[HmacLength];
        _rtcpMac.AppendData(packet[..authenticated]);
        _rtcpMac.GetHashAndReset(mac);
        mac[..TagLength].CopyTo(packet.Slice(authenticated, TagLength));
        return authenticated + TagLength;
    }

    public override void ReadSrtcpTrailer(ReadOnlySpan<byte> packet, out uint srtcpIndex, out bool encrypted)
    {
        var trailer = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(packet.Length - TagLength - TrailerLength, TrailerLength));
        encrypted = (trailer & 0x8000_0000u) != 0;
        srtcpIndex = trailer & 0x7FFF_FFFFu;
    }

    public override bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint srtcpIndex, bool encrypted)
    {
        var authenticated = packet.Length - TagLength;
        Span<byte> mac = stackalloc byte[HmacLength];
        _rtcpMac.AppendData(packet[..authenticated]);
        _rtcpMac.GetHashAndReset(mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..TagLength], packet[authenticated..]))
        {
            return false;
        }

        if (encrypted)
        {
            Span<byte> iv = stackalloc byte[16];
            BuildIv(iv, _rtcpSalt, ssrc, srtcpIndex);
            _rtcpCipher.Apply(iv, packet[SrtpPacketLayout.RtcpHeaderLength..(authenticated - TrailerLength)]);
        }

        return true;
    }

    public override void Dispose()
    {
        _rtpCipher.Dispose();
        _rtcpCipher.Dispose();
        _rtpMac.Dispose();
        _rtcpMac.Dispose();
    }

    /// <summary>IV = (salt · 2^16) XOR (SSRC · 2^64) XOR (index · 2^16), index 48 bits.</summary>
    private static void BuildIv(Span<byte> iv, ReadOnlySpan<byte> salt, uint ssrc, ulong index)
    {
        iv.Clear();
        salt.CopyTo(iv);
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        iv[8] ^= (byte)(index >> 40);
        iv[9] ^= (byte)(index >> 32);
        iv[10] ^= (byte)(index >> 24);
        iv[11] ^= (byte)(index >> 16);
        iv[12] ^= (byte)(index >> 8);
        iv[13] ^= (byte)index;
    }

    private void ComputeRtpMac(ReadOnlySpan<byte> authenticated, uint rolloverCounter, Span<byte> mac)
    {
        Span<byte> roc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(roc, rolloverCounter);
        _rtpMac.AppendData(authenticated);
        _rtpMac.AppendData(roc);
        _rtpMac.GetHashAndReset(mac);
    }
}
