using Starling.Transport.Sctp;

namespace Starling.Transport.Tests.Sctp;

public sealed class StateCookieTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private static StateCookie Sample => new(1_700_000_000_000, 60_000, 0x11111111, 0x22222222, 0x33333333, 0x44444444, 131072, 10, 20, 0x55555555, 0x66666666, true, false);

    [Fact]
    public void TryWrite_ThenTryRead_RoundTrips()
    {
        var bytes = new byte[StateCookie.Size];
        Assert.True(Sample.TryWrite(bytes, Key, out var written));
        Assert.Equal(StateCookie.Size, written);
        Assert.True(StateCookie.TryRead(bytes, Key, out var back, out _));
        Assert.Equal(Sample, back);
    }

    [Fact]
    public void TryRead_TamperedTruncatedOrWrongKey_ReturnsFalse()
    {
        var bytes = new byte[StateCookie.Size];
        Sample.TryWrite(bytes, Key, out _);
        for (var i = 0; i < bytes.Length; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x01;
            Assert.False(StateCookie.TryRead(copy, Key, out _, out _));
        }

        Assert.False(StateCookie.TryRead(bytes.AsSpan(0, StateCookie.Size - 1), Key, out _, out _));
        var otherKey = (byte[])Key.Clone();
        otherKey[0] ^= 1;
        Assert.False(StateCookie.TryRead(bytes, otherKey, out _, out _));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(60_000, false)]
    [InlineData(60_001, true)]
    [InlineData(-5_000, true)]
    public void IsExpired_AgainstLifetime(long ageMs, bool expired) =>
        Assert.Equal(expired, Sample.IsExpired(Sample.CreatedUnixMs + ageMs));
}
