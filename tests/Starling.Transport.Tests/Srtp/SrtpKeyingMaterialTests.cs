using Starling.Transport.Srtp;

namespace Starling.Transport.Tests.Srtp;

public sealed class SrtpKeyingMaterialTests
{
    [Theory]
    [InlineData(0x0001, 60)]
    [InlineData(0x0007, 56)]
    public void FromExporterOutput_SplitsKeysAndSaltsPerRfc5764(int profileCode, int expectedLength)
    {
        var profile = (SrtpProtectionProfile)profileCode;
        Assert.Equal(expectedLength, SrtpKeyingMaterial.GetExportLength(profile));
        var exported = Enumerable.Range(0, expectedLength).Select(i => (byte)i).ToArray();
        var key = profile.KeyLength();
        var salt = profile.SaltLength();

        var material = SrtpKeyingMaterial.FromExporterOutput(profile, exported);

        Assert.Equal(exported[..key], material.ClientWriteKey.ToArray());
        Assert.Equal(exported[key..(2 * key)], material.ServerWriteKey.ToArray());
        Assert.Equal(exported[(2 * key)..((2 * key) + salt)], material.ClientWriteSalt.ToArray());
        Assert.Equal(exported[((2 * key) + salt)..], material.ServerWriteSalt.ToArray());
    }

    [Fact]
    public void FromExporterOutput_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
            SrtpKeyingMaterial.FromExporterOutput(SrtpProtectionProfile.AeadAes128Gcm, new byte[60]));
    }

    [Fact]
    public void CreateContexts_ServerWriteProtects_PeerServerWriteUnprotects()
    {
        var exported = Enumerable.Range(0, 60).Select(i => (byte)(i * 3)).ToArray();
        var server = SrtpKeyingMaterial.FromExporterOutput(SrtpProtectionProfile.AesCm128HmacSha1_80, exported);
        var client = SrtpKeyingMaterial.FromExporterOutput(SrtpProtectionProfile.AesCm128HmacSha1_80, exported);
        using var serverOut = server.CreateServerWriteContext();
        using var clientIn = client.CreateServerWriteContext();
        using var clientOut = client.CreateClientWriteContext();
        var buffer = SrtpTestPackets.WithRoom(SrtpTestPackets.Rtp(1, 42, 100));

        Assert.Equal(SrtpStatus.Ok, serverOut.ProtectRtp(buffer, 112, out var length));
        var copy = (byte[])buffer.Clone();
        Assert.Equal(SrtpStatus.Ok, clientIn.UnprotectRtp(buffer, length, out _));
        using var wrongDirection = client.CreateClientWriteContext();
        Assert.Equal(SrtpStatus.AuthenticationFailed, wrongDirection.UnprotectRtp(copy, length, out _));
    }
}
