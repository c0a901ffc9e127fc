using Starling.Sfu.Sequencing;

namespace Starling.Sfu.Tests.Sequencing;

public sealed class SerialNumberTests
{
    [Theory]
    [InlineData(1, 0, 1, true)]
    [InlineData(0, 1, -1, false)]
    [InlineData(0, 65535, 1, true)] // wrap
    [InlineData(65535, 0, -1, false)]
    [InlineData(5, 5, 0, false)]
    [InlineData(32767, 0, 32767, true)] // largest "newer" distance
    [InlineData(32768, 0, -32768, false)] // half the space: undefined, not newer
    [InlineData(0, 32768, -32768, false)]
    [InlineData(100, 65000, 636, true)]
    public void Sequence_Cases(int a, int b, int difference, bool newer)
    {
        Assert.Equal(difference, SerialNumber.Difference((ushort)a, (ushort)b));
        Assert.Equal(newer, SerialNumber.IsNewer((ushort)a, (ushort)b));
    }

    [Theory]
    [InlineData(1u, 0u, 1L, true)]
    [InlineData(0u, uint.MaxValue, 1L, true)] // 2^32 wrap
    [InlineData(uint.MaxValue, 0u, -1L, false)]
    [InlineData(3000u, 4294964296u, 6000L, true)] // 90 kHz frame steps across the wrap
    [InlineData(0x7FFF_FFFFu, 0u, 0x7FFF_FFFFL, true)]
    [InlineData(0x8000_0000u, 0u, -0x8000_0000L, false)]
    [InlineData(7u, 7u, 0L, false)]
    public void Timestamp_Cases(uint a, uint b, long difference, bool newer)
    {
        Assert.Equal(difference, SerialNumber.Difference(a, b));
        Assert.Equal(newer, SerialNumber.IsNewer(a, b));
    }
}
