using Starling.Transport.Srtp;

namespace Starling.Transport.Tests.Srtp;

public sealed class SrtpKeyDerivationTests
{
    private static readonly byte[] MasterKey = Hex.Bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] MasterSalt = Hex.Bytes("0EC675AD498AFEEBB6960B3AABE6");

    [Fact]
    public void Derive_Rfc3711AppendixB3_ProducesSrtpSessionKeys()
    {
        var keys = SrtpKeyDerivation.Derive(SrtpProtectionProfile.AesCm128HmacSha1_80, MasterKey, MasterSalt);

        Assert.Equal(Hex.Bytes("C61E7A93744F39EE10734AFE3FF7A087"), keys.RtpEncryptionKey);
        Assert.Equal(Hex.Bytes("30CBBC08863D8C85D49DB34A9AE1"), keys.RtpSalt);
        Assert.Equal(Hex.Bytes("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), keys.RtpAuthenticationKey);
    }

    [Fact]
    public void Derive_Rfc3711AppendixB3MasterKey_ProducesSrtcpSessionKeys()
    {
        // Labels 3, 4, 5 over the same master key; values agree with libsrtp and an independent AES-ECB computation.
        var keys = SrtpKeyDerivation.Derive(SrtpProtectionProfile.AesCm128HmacSha1_80, MasterKey, MasterSalt);

        Assert.Equal(Hex.Bytes("4C1AA45A81F73D61C800BBB00FBB1EAA"), keys.RtcpEncryptionKey);
        Assert.Equal(Hex.Bytes("8D54534FEB49AE8E7993A6BD0B844FC323A93DFD"), keys.RtcpAuthenticationKey);
        Assert.Equal(Hex.Bytes("9581C7AD87B3E530BF3E4454A8B3"), keys.RtcpSalt);
    }

    [Fact]
    public void Derive_AeadGcm_PadsTwelveByteSaltLikeLibsrtp()
    {
        var key = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var salt = Enumerable.Range(0x40, 12).Select(i => (byte)i).ToArray();

        var keys = SrtpKeyDerivation.Derive(SrtpProtectionProfile.AeadAes128Gcm, key, salt);

        Assert.Equal(Hex.Bytes("1fcd5d561e66dc49ec1c3ccb"), keys.RtpSalt);
        Assert.Equal(16, keys.RtpEncryptionKey.Length);
        Assert.Empty(keys.RtpAuthenticationKey);
        Assert.Empty(keys.RtcpAuthenticationKey);
    }

    [Fact]
    public void Derive_WrongSaltLength_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
            SrtpKeyDerivation.Derive(SrtpProtectionProfile.AeadAes128Gcm, MasterKey, MasterSalt));
    }
}
