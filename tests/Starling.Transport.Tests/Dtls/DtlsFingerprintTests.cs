using System.Security.Cryptography;
using Starling.Transport.Dtls;

namespace Starling.Transport.Tests.Dtls;

public sealed class DtlsFingerprintTests
{
    [Fact]
    public void ToString_Sha256_IsUppercaseColonSeparatedSdpForm()
    {
        var fingerprint = DtlsFingerprint.Compute("sha-256", "abc"u8);

        Assert.Equal(
            "sha-256 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD",
            fingerprint.ToString());
    }

    [Theory]
    [InlineData("sha-256 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD")]
    [InlineData("SHA-256 ba:78:16:bf:8f:01:cf:ea:41:41:40:de:5d:ae:22:23:b0:03:61:a3:96:17:7a:9c:b4:10:ff:61:f2:00:15:ad")]
    [InlineData("  sha-256   BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD ")]
    public void TryParse_SdpValue_MatchesComputed(string sdp)
    {
        Assert.True(DtlsFingerprint.TryParse(sdp, out var parsed));

        Assert.Equal(DtlsFingerprint.Compute("sha-256", "abc"u8), parsed);
        Assert.True(parsed!.Matches("abc"u8));
        Assert.False(parsed.Matches("abd"u8));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha-256")]
    [InlineData("md5 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23")]
    [InlineData("sha-256 BA:78")]
    [InlineData("sha-256 BA-78-16-BF-8F-01-CF-EA-41-41-40-DE-5D-AE-22-23-B0-03-61-A3-96-17-7A-9C-B4-10-FF-61-F2-00-15-AD")]
    [InlineData("sha-256 ZZ:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD")]
    public void TryParse_Invalid_ReturnsFalse(string? sdp)
    {
        Assert.False(DtlsFingerprint.TryParse(sdp, out _));
        Assert.Throws<FormatException>(() => DtlsFingerprint.Parse(sdp ?? string.Empty));
    }

    [Theory]
    [InlineData("sha-1", 20)]
    [InlineData("sha-384", 48)]
    [InlineData("sha-512", 64)]
    public void Compute_OtherHashes_RoundTripThroughSdpForm(string algorithm, int length)
    {
        var fingerprint = DtlsFingerprint.Compute(algorithm, RandomNumberGenerator.GetBytes(100));

        Assert.Equal(length, fingerprint.Value.Length);
        Assert.Equal(fingerprint, DtlsFingerprint.Parse(fingerprint.ToString()));
    }
}
