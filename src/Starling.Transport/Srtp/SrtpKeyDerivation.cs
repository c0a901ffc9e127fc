namespace Starling.Transport.Srtp;

/// <summary>
/// The SRTP key derivation function (RFC 3711 §4.3.1, AES-CM PRF of §4.3.3) with a key derivation rate of 0,
/// as DTLS-SRTP mandates. AEAD profiles use the same KDF (RFC 7714 §11).
/// </summary>
/// <remarks>
/// The PRF input block is <c>(master_salt XOR (label || r)) * 2^16</c>: the salt fills the block from byte 0,
/// the label lands on byte 7 and r = index DIV kdr = 0. A 96-bit GCM master salt is zero-padded on the
/// right to 112 bits, exactly as libsrtp (Chrome) and pion do.
/// </remarks>
internal static class SrtpKeyDerivation
{
    public const byte LabelRtpEncryption = 0x00;
    public const byte LabelRtpAuthentication = 0x01;
    public const byte LabelRtpSalt = 0x02;
    public const byte LabelRtcpEncryption = 0x03;
    public const byte LabelRtcpAuthentication = 0x04;
    public const byte LabelRtcpSalt = 0x05;

    /// <summary>Derives the six session keys of <paramref name="profile"/> from a master key and salt.</summary>
    public static SrtpSessionKeys Derive(SrtpProtectionProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        if (masterKey.Length != profile.KeyLength())
        {
            throw new ArgumentException($"{profile} needs a {profile.KeyLength()}-byte master key", nameof(masterKey));
        }

        if (masterSalt.Length != profile.SaltLength())
        {
            throw new ArgumentException($"{profile} needs a {profile.SaltLength()}-byte master salt", nameof(masterSalt));
        }

        using var prf = new AesCounterMode(masterKey);
        var keyLength = profile.KeyLength();
        var authLength = profile.AuthKeyLength();
        var saltLength = profile.SaltLength();
        return new SrtpSessionKeys(
            Prf(prf, masterSalt, LabelRtpEncryption, keyLength),
            Prf(prf, masterSalt, LabelRtpAuthentication, authLength),
            Prf(prf, masterSalt, LabelRtpSalt, saltLength),
            Prf(prf, masterSalt, LabelRtcpEncryption, keyLength),
            Prf(prf, masterSalt, LabelRtcpAuthentication, authLength),
            Prf(prf, masterSalt, LabelRtcpSalt, saltLength));
    }

    private static byte[] Prf(AesCounterMode prf, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        var output = new byte[length];
        if (length == 0)
        {
            return output;
        }

        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
        masterSalt.CopyTo(iv);
        iv[7] ^= label;
        prf.Apply(iv, output);
        return output;
    }
}
