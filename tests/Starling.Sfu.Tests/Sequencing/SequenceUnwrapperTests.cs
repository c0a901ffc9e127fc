using Starling.Sfu.Sequencing;

namespace Starling.Sfu.Tests.Sequencing;

public sealed class SequenceUnwrapperTests
{
    public static TheoryData<string, int[], long[]> Cases => new()
    {
        { "in order", [10, 11, 12], [10, 11, 12] },
        { "wrap at 65535", [65534, 65535, 0, 1], [65534, 65535, 65536, 65537] },
        { "reorder across the wrap", [65535, 1, 0, 2], [65535, 65537, 65536, 65538] },
        { "late packet from before the wrap", [65530, 2, 65533, 3], [65530, 65538, 65533, 65539] },
        { "duplicate", [7, 8, 8, 7], [7, 8, 8, 7] },
        { "late packet before the first", [2, 65535, 3], [2, -1, 3] },
        { "long forward gap", [100, 30000, 30001], [100, 30000, 30001] },
        { "gap of 32767 is forward", [0, 32767], [0, 32767] },
        { "gap of 32768 reads as backward", [0, 32768], [0, -32768] },
        { "two wraps", [65535, 0, 32767, 65534, 0], [65535, 65536, 98303, 131070, 131072] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Unwrap_Cases(string name, int[] input, long[] expected)
    {
        _ = name;
        var unwrapper = new SequenceUnwrapper();
        var actual = input.Select(s => unwrapper.Unwrap((ushort)s)).ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Max(), unwrapper.Highest);
    }

    [Fact]
    public void Peek_DoesNotAdvance()
    {
        var unwrapper = new SequenceUnwrapper();
        Assert.Equal(65535, unwrapper.Unwrap(65535));
        Assert.Equal(65536, unwrapper.Peek(0));
        Assert.Equal(65535, unwrapper.Highest);
        unwrapper.Reset();
        Assert.False(unwrapper.Started);
        Assert.Equal(5, unwrapper.Unwrap(5));
    }

    [Fact]
    public void Unwrap_LongRun_IsMonotonicAcrossManyWraps()
    {
        var unwrapper = new SequenceUnwrapper();
        ushort seq = 60000;
        var previous = unwrapper.Unwrap(seq);
        for (var i = 0; i < 300_000; i++)
        {
            seq++;
            var extended = unwrapper.Unwrap(seq);
            Assert.Equal(previous + 1, extended);
            previous = extended;
        }
    }
}
