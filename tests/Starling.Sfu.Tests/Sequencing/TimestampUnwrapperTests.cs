using Starling.Sfu.Sequencing;

namespace Starling.Sfu.Tests.Sequencing;

public sealed class TimestampUnwrapperTests
{
    public static TheoryData<string, uint[], long[]> Cases => new()
    {
        { "frames", [1000, 4000, 7000], [1000, 4000, 7000] },
        { "2^32 wrap", [4294964296, 1704, 4704], [4294964296, 4294969000, 4294972000] },
        { "reorder across the wrap", [4294967000, 500, 4294967200, 900], [4294967000, 4294967796, 4294967200, 4294968196] },
        { "same timestamp for a frame's packets", [90, 90, 90, 3090], [90, 90, 90, 3090] },
        { "late packet before the first", [100, 4294967196], [100, -100] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Unwrap_Cases(string name, uint[] input, long[] expected)
    {
        _ = name;
        var unwrapper = new TimestampUnwrapper();
        var actual = input.Select(t => unwrapper.Unwrap(t)).ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Max(), unwrapper.Highest);
    }

    [Fact]
    public void Peek_DoesNotAdvance()
    {
        var unwrapper = new TimestampUnwrapper();
        unwrapper.Unwrap(uint.MaxValue);
        Assert.Equal(4294967296L, unwrapper.Peek(0));
        Assert.Equal(uint.MaxValue, unwrapper.Highest);
    }
}
