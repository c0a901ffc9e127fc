using Starling.Sfu.Buffers;

namespace Starling.Sfu.Tests.Buffers;

public sealed class NackTrackerTests
{
    // Timestamps in milliseconds: frequency 1000.
    private const long Frequency = 1000;

    private static NackTracker Create(NackTrackerOptions? options = null) => new(options ?? NackTrackerOptions.Default, Frequency);

    private static long[] Nacks(NackTracker tracker, long now)
    {
        var buffer = new long[64];
        var count = tracker.GetNacks(now, buffer);
        return buffer[..count];
    }

    [Fact]
    public void GetNacks_HoleOlderThanInitialDelay_IsNacked()
    {
        var tracker = Create();
        tracker.OnPacket(100, 0);
        tracker.OnPacket(103, 0); // 101, 102 missing
        Assert.Equal(2, tracker.MissingCount);
        Assert.Empty(Nacks(tracker, 9)); // 10 ms initial delay
        Assert.Equal([101L, 102L], Nacks(tracker, 10));
        Assert.Empty(Nacks(tracker, 11)); // not again before the retry interval
    }

    [Fact]
    public void GetNacks_ReorderedPacketArrivesBeforeDelay_NoNack()
    {
        var tracker = Create();
        tracker.OnPacket(1, 0);
        tracker.OnPacket(3, 0);
        tracker.OnPacket(2, 4);
        Assert.Equal(0, tracker.MissingCount);
        Assert.Empty(Nacks(tracker, 50));
    }

    [Theory]
    [InlineData(5, 20)] // RTT below the minimum → 20 ms
    [InlineData(100, 100)]
    [InlineData(1000, 400)] // above the maximum → 400 ms
    public void GetNacks_Retries_FollowClampedRtt(int rttMs, int expectedInterval)
    {
        var tracker = Create();
        tracker.Rtt = TimeSpan.FromMilliseconds(rttMs);
        tracker.OnPacket(1, 0);
        tracker.OnPacket(3, 0);
        Assert.Equal([2L], Nacks(tracker, 10));
        Assert.Empty(Nacks(tracker, 10 + expectedInterval - 1));
        Assert.Equal([2L], Nacks(tracker, 10 + expectedInterval));
    }

    [Fact]
    public void GetNacks_AfterMaxNacks_GivesUp()
    {
        var tracker = Create(new NackTrackerOptions { MaxNacks = 3, MaxAge = TimeSpan.FromSeconds(10) });
        tracker.Rtt = TimeSpan.FromMilliseconds(50);
        tracker.OnPacket(1, 0);
        tracker.OnPacket(3, 0);
        Assert.Single(Nacks(tracker, 10));
        Assert.Single(Nacks(tracker, 60));
        Assert.Single(Nacks(tracker, 110));
        Assert.Empty(Nacks(tracker, 159));
        Assert.Equal(1, tracker.MissingCount); // still waiting for the last retransmission
        Assert.Empty(Nacks(tracker, 160));
        Assert.Equal(0, tracker.MissingCount);
        Assert.Equal(1, tracker.GivenUp);
        Assert.Equal(3, tracker.NacksSent);
    }

    [Fact]
    public void GetNacks_OlderThanMaxAge_GivesUp()
    {
        var tracker = Create(new NackTrackerOptions { MaxAge = TimeSpan.FromMilliseconds(300), MaxNacks = 100 });
        tracker.OnPacket(1, 0);
        tracker.OnPacket(3, 0);
        Assert.Single(Nacks(tracker, 10));
        Assert.Single(Nacks(tracker, 110));
        Assert.Single(Nacks(tracker, 210));
        Assert.Empty(Nacks(tracker, 301));
        Assert.Equal(1, tracker.GivenUp);
    }

    [Fact]
    public void OnPacket_RetransmissionArrives_StopsNacking()
    {
        var tracker = Create();
        tracker.OnPacket(10, 0);
        tracker.OnPacket(14, 0);
        Assert.Equal([11L, 12L, 13L], Nacks(tracker, 10));
        tracker.OnPacket(12, 30);
        Assert.Equal([11L, 13L], Nacks(tracker, 110));
    }

    [Fact]
    public void OnPacket_HoleAcrossSequenceWrap_UsesExtendedNumbers()
    {
        var tracker = Create();
        tracker.OnPacket(65534, 0);
        tracker.OnPacket(65538, 0); // 65535, 65536 (= seq 0), 65537 missing
        Assert.Equal([65535L, 65536L, 65537L], Nacks(tracker, 10));
    }

    [Fact]
    public void OnPacket_HoleLargerThanCapacity_TracksNothingAndWantsKeyframe()
    {
        var tracker = Create(new NackTrackerOptions { Capacity = 16 });
        tracker.OnPacket(1, 0);
        tracker.OnPacket(30, 0);
        Assert.Equal(0, tracker.MissingCount);
        Assert.True(tracker.KeyframeNeeded);
        Assert.True(tracker.TakeKeyframeNeeded());
        Assert.False(tracker.TakeKeyframeNeeded());
        Assert.Equal(28, tracker.GivenUp);
    }

    [Fact]
    public void OnPacket_Overflow_DropsOldestEntries()
    {
        var tracker = Create(new NackTrackerOptions { Capacity = 4 });
        tracker.OnPacket(0, 0);
        tracker.OnPacket(4, 0); // 1, 2, 3
        tracker.OnPacket(7, 0); // 5, 6 → 1 pushed out
        Assert.Equal(4, tracker.MissingCount);
        Assert.Equal(1, tracker.GivenUp);
        Assert.Equal([2L, 3L, 5L, 6L], Nacks(tracker, 10));
    }

    [Fact]
    public void GetNacks_DestinationFull_RestStaysDue()
    {
        var tracker = Create();
        tracker.OnPacket(0, 0);
        tracker.OnPacket(6, 0);
        var small = new long[2];
        Assert.Equal(2, tracker.GetNacks(10, small));
        Assert.Equal([1L, 2L], small);
        Assert.Equal([3L, 4L, 5L], Nacks(tracker, 11));
    }

    [Fact]
    public void Reset_StartsOver()
    {
        var tracker = Create();
        tracker.OnPacket(0, 0);
        tracker.OnPacket(5, 0);
        tracker.Reset();
        tracker.OnPacket(1000, 100);
        Assert.Equal(0, tracker.MissingCount);
        Assert.Empty(Nacks(tracker, 500));
    }
}
