using Starling.Rooms.Media;

namespace Starling.Rooms.Tests.Media;

public sealed class StreamAllocatorTests
{
    // three simulcast layers at 150k / 500k / 1.5M
    private static readonly long[] Simulcast = [150_000, 500_000, 1_500_000];

    public static TheoryData<string, long, int[], long[], int[]> Cases => new()
    {
        // name, budget, targets, costs (3 per track), expected allocation
        { "plenty: every track gets its target", 10_000_000, [2, 2], [.. Simulcast, .. Simulcast], [2, 2] },
        { "target below the top is respected", 10_000_000, [1], Simulcast, [1] },
        { "not wanted stays -1", 10_000_000, [-1, 2], [.. Simulcast, .. Simulcast], [-1, 2] },
        { "one track, budget between layers: the best that fits", 800_000, [2], Simulcast, [1] },
        { "one track, below the lowest layer: paused", 100_000, [2], Simulcast, [-1] },
        { "two tracks share round-robin", 1_100_000, [2, 2], [.. Simulcast, .. Simulcast], [1, 1] },
        { "lowest layers first, then raise in order", 700_000, [2, 2], [.. Simulcast, .. Simulcast], [1, 0] },
        { "second track paused when only one fits", 200_000, [2, 2], [.. Simulcast, .. Simulcast], [0, -1] },
        { "a layer not being sent is skipped", 2_000_000, [2], [150_000, 0, 1_500_000], [2] },
        { "a layer not being sent is skipped when lowering", 1_000_000, [2], [150_000, 0, 1_500_000], [0] },
        { "single-layer track", 1_000_000, [0], [800_000, 0, 0], [0] },
        { "single-layer track too big: paused", 500_000, [0], [800_000, 0, 0], [-1] },
        { "negative budget pauses everything", -5, [2], Simulcast, [-1] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Allocate(string name, long budget, int[] targets, long[] costs, int[] expected)
    {
        Assert.NotNull(name);
        var allocation = new int[targets.Length];

        var left = StreamAllocator.Allocate(budget, targets, costs, 3, allocation);

        Assert.Equal(expected, allocation);
        Assert.InRange(left, 0, Math.Max(0, budget));
        var used = 0L;
        for (var i = 0; i < targets.Length; i++)
        {
            used += allocation[i] >= 0 ? costs[(i * 3) + allocation[i]] : 0;
        }

        Assert.Equal(Math.Max(0, budget) - left, used);
    }

    [Theory]
    [InlineData(new[] { 2 }, new[] { 2 }, 0L)]
    [InlineData(new[] { 2 }, new[] { 1 }, 1_000_000L)]
    [InlineData(new[] { 2 }, new[] { -1 }, 150_000L)]
    [InlineData(new[] { 2, 2 }, new[] { 1, 0 }, 350_000L)]
    [InlineData(new[] { -1 }, new[] { -1 }, 0L)]
    public void CheapestStep(int[] targets, int[] allocation, long expected)
    {
        var costs = targets.SelectMany(_ => Simulcast).ToArray();

        Assert.Equal(expected, StreamAllocator.CheapestStep(targets, costs, 3, allocation));
    }

    [Fact]
    public void MismatchedSpans_Throw()
    {
        Assert.Throws<ArgumentException>(() => StreamAllocator.Allocate(1, [1, 1], new long[3], 3, new int[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamAllocator.Allocate(1, [1], new long[3], 0, new int[1]));
    }
}
