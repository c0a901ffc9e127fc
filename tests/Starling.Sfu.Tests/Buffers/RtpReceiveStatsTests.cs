using Starling.Sfu.Buffers;

namespace Starling.Sfu.Tests.Buffers;

public sealed class RtpReceiveStatsTests
{
    [Fact]
    public void OnPacket_CountsLossDuplicatesAndReordering()
    {
        var stats = new RtpReceiveStats();
        long[] sequence = [10, 11, 13, 12, 12, 16];
        foreach (var s in sequence)
        {
            stats.OnPacket(s, s * 3000, s * 3000, 100, paddingOnly: false, duplicate: s == 12 && stats.Packets == 4);
        }

        Assert.Equal(5, stats.Packets);
        Assert.Equal(500, stats.Bytes);
        Assert.Equal(1, stats.Duplicates);
        Assert.Equal(1, stats.OutOfOrder);
        Assert.Equal(10, stats.BaseSequence);
        Assert.Equal(16, stats.HighestSequence);
        Assert.Equal(7, stats.Expected);
        Assert.Equal(2, stats.Lost); // 14, 15
    }

    [Fact]
    public void Jitter_ConstantTransit_IsZero()
    {
        var stats = new RtpReceiveStats();
        for (long i = 0; i < 100; i++)
        {
            stats.OnPacket(i, i * 3000, 500 + (i * 3000), 100, false, false);
        }

        Assert.Equal(0, stats.Jitter);
    }

    [Fact]
    public void Jitter_AlternatingDelay_ConvergesToTheDeviation()
    {
        // Every packet's transit alternates ±90 ticks: |D| = 180 each step, so J → 180.
        var stats = new RtpReceiveStats();
        for (long i = 0; i < 500; i++)
        {
            stats.OnPacket(i, i * 3000, (i * 3000) + (i % 2 == 0 ? 90 : -90), 100, false, false);
        }

        Assert.InRange(stats.Jitter, 179.9, 180.0);
    }

    [Fact]
    public void Jitter_FirstStep_IsOneSixteenth()
    {
        var stats = new RtpReceiveStats();
        stats.OnPacket(0, 0, 0, 100, false, false);
        stats.OnPacket(1, 3000, 3160, 100, false, false);
        Assert.Equal(10, stats.Jitter);
    }

    [Fact]
    public void TakeFractionLost_PerInterval()
    {
        var stats = new RtpReceiveStats();
        for (long s = 0; s < 100; s++)
        {
            if (s % 4 != 3)
            {
                stats.OnPacket(s, 0, 0, 10, false, false);
            }
        }

        // Expected 99 (0..98), received 75 → lost 24/99 → 62/256.
        Assert.Equal(62, stats.TakeFractionLost());
        Assert.Equal(0, stats.TakeFractionLost());
        stats.OnPacket(99, 0, 0, 10, false, false);
        Assert.Equal(0, stats.TakeFractionLost());
    }

    [Fact]
    public void OnPacket_PaddingOnly_IsCounted()
    {
        var stats = new RtpReceiveStats();
        stats.OnPacket(1, 0, 0, 200, paddingOnly: true, duplicate: false);
        Assert.Equal(1, stats.PaddingPackets);
        Assert.Equal(1, stats.Packets);
    }
}
