using Starling.Transport.Dtls;

namespace Starling.Transport.Tests.Dtls;

public sealed class DtlsRecordHeaderTests
{
    [Theory]
    [InlineData("16fefd000000000000000000020102", 15)]
    [InlineData("17feff0001000000000005000000", 13)]
    [InlineData("14fefd00010000000000070001ff1703", 14)]
    public void TryReadRecord_ValidHeader_ReturnsRecordLength(string hex, int expected)
    {
        Assert.True(DtlsRecordHeader.TryReadRecord(Convert.FromHexString(hex), out var length));
        Assert.Equal(expected, length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("16fefd0000000000000000")]
    [InlineData("19fefd000000000000000000020102")]
    [InlineData("16fefc000000000000000000020102")]
    [InlineData("160303000000000000000000020102")]
    [InlineData("16fefd000000000000000000030102")]
    public void TryReadRecord_InvalidHeader_ReturnsFalse(string hex)
    {
        Assert.False(DtlsRecordHeader.TryReadRecord(Convert.FromHexString(hex), out _));
    }
}
