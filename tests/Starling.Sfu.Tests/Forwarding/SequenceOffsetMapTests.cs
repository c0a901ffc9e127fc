using Starling.Sfu.Forwarding;

namespace Starling.Sfu.Tests.Forwarding;

public sealed class SequenceOffsetMapTests
{
    [Fact]
    public void TryGetOffset_AfterExclusions_PlacesEachSequence()
    {
        var map = new SequenceOffsetMap(8);
        map.Reset(100, 0);
        map.Exclude(102);
        map.Exclude(105);
        map.Exclude(106);
        Assert.Equal(3, map.CurrentOffset);
        long?[] expected = [0, 0, null, 1, 1, null, null, 3, 3];
        for (var i = 0; i < expected.Length; i++)
        {
            var found = map.TryGetOffset(100 + i, out var offset);
            Assert.Equal(expected[i], found ? offset : null);
        }

        Assert.False(map.TryGetOffset(99, out _));
    }

    [Fact]
    public void Exclude_FirstOfRange_MovesTheStart()
    {
        var map = new SequenceOffsetMap(2);
        map.Reset(10, 5);
        map.Exclude(10);
        map.Exclude(11);
        Assert.Equal(7, map.CurrentOffset);
        Assert.False(map.TryGetOffset(10, out _));
        Assert.False(map.TryGetOffset(11, out _));
        Assert.True(map.TryGetOffset(12, out var offset));
        Assert.Equal(7, offset);
    }

    [Fact]
    public void Exclude_BeyondCapacity_ForgetsOldestRange()
    {
        var map = new SequenceOffsetMap(2);
        map.Reset(0, 0);
        map.Exclude(5);  // [0,5) [6,∞)
        map.Exclude(10); // [6,10) [11,∞); [0,5) forgotten
        Assert.False(map.TryGetOffset(3, out _));
        Assert.True(map.TryGetOffset(7, out var a));
        Assert.True(map.TryGetOffset(12, out var b));
        Assert.Equal((1L, 2L), (a, b));
    }
}
