using Starling.Sfu.Feedback;
using Starling.Testing;

namespace Starling.Sfu.Tests.Feedback;

public sealed class SenderReportHistoryTests
{
    private static uint Dlsr(double milliseconds) => (uint)Math.Round(milliseconds * 65536 / 1000);

    [Theory]
    [InlineData(0xE000_1234_5678_9ABCUL, 0x1234_5678u)]
    [InlineData(0xFFFF_FFFF_FFFF_0000UL, 0xFFFF_FFFFu)]
    [InlineData(0x0000_0000_0001_FFFFUL, 0x0000_0001u)]
    public void CompactNtp_IsTheMiddle32Bits(ulong ntp, uint compact) => Assert.Equal(compact, SenderReportHistory.CompactNtp(ntp));

    [Fact]
    public void TryGetRtt_SubtractsSendTimeAndDlsr()
    {
        var clock = new ManualTimeProvider();
        var history = new SenderReportHistory(clock.TimestampFrequency);
        clock.Advance(TimeSpan.FromSeconds(5));
        history.Record(0xE000_0001_8000_0000, clock.GetTimestamp());
        clock.Advance(TimeSpan.FromMilliseconds(1_000 + 42)); // receiver held it 1 s, 42 ms of network both ways

        Assert.True(history.TryGetRtt(0x0001_8000, Dlsr(1_000), clock.GetTimestamp(), out var rtt));

        Assert.Equal(42, rtt.TotalMilliseconds, 0.1);
    }

    [Fact]
    public void TryGetRtt_MatchesAnOlderReport_NotJustTheLatest()
    {
        var clock = new ManualTimeProvider();
        var history = new SenderReportHistory(clock.TimestampFrequency);
        history.Record(0xE000_0010_0000_0000, clock.GetTimestamp());
        clock.Advance(TimeSpan.FromSeconds(1));
        history.Record(0xE000_0011_0000_0000, clock.GetTimestamp());
        clock.Advance(TimeSpan.FromMilliseconds(30));

        // the receiver had not yet got the second SR when it reported: it names the first, held 1 s
        Assert.True(history.TryGetRtt(0x0010_0000, Dlsr(1_000), clock.GetTimestamp(), out var rtt));
        Assert.Equal(30, rtt.TotalMilliseconds, 0.1);
        Assert.True(history.TryGetRtt(0x0011_0000, Dlsr(10), clock.GetTimestamp(), out rtt));
        Assert.Equal(20, rtt.TotalMilliseconds, 0.1);
    }

    [Fact]
    public void TryGetRtt_AcrossTheCompactNtpWrap()
    {
        var clock = new ManualTimeProvider();
        var history = new SenderReportHistory(clock.TimestampFrequency);
        history.Record(0xFFFF_FFFF_FFFF_0000, clock.GetTimestamp()); // compact 0xFFFFFFFF
        clock.Advance(TimeSpan.FromMilliseconds(500));
        history.Record(0x0000_0000_7FFF_0000, clock.GetTimestamp()); // the NTP era rolled over: compact 0x00007FFF
        clock.Advance(TimeSpan.FromMilliseconds(100));

        Assert.True(history.TryGetRtt(0x0000_7FFF, Dlsr(60), clock.GetTimestamp(), out var rtt));
        Assert.Equal(40, rtt.TotalMilliseconds, 0.1);
        Assert.True(history.TryGetRtt(0xFFFF_FFFF, Dlsr(500), clock.GetTimestamp(), out rtt));
        Assert.Equal(100, rtt.TotalMilliseconds, 0.1);
    }

    [Fact]
    public void TryGetRtt_UnknownForgottenOrNoReport_IsFalse_NegativeIsZero()
    {
        var clock = new ManualTimeProvider();
        var history = new SenderReportHistory(clock.TimestampFrequency);
        Assert.False(history.TryGetRtt(0, 0, clock.GetTimestamp(), out _)); // LSR 0: the receiver got no SR yet
        for (var i = 1; i <= SenderReportHistory.Capacity + 1; i++)
        {
            history.Record((ulong)i << 32, clock.GetTimestamp());
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.False(history.TryGetRtt(0x0001_0000, 0, clock.GetTimestamp(), out _)); // the first one was overwritten
        Assert.False(history.TryGetRtt(0x1234_0000, 0, clock.GetTimestamp(), out _)); // never sent
        Assert.True(history.TryGetRtt(0x0002_0000, 0, clock.GetTimestamp(), out var rtt));
        Assert.Equal(TimeSpan.FromSeconds(SenderReportHistory.Capacity), rtt);

        // a DLSR longer than the elapsed time (clock granularity at the receiver): zero, not negative
        Assert.True(history.TryGetRtt((uint)(SenderReportHistory.Capacity + 1) << 16, Dlsr(1_500), clock.GetTimestamp(), out rtt));
        Assert.Equal(TimeSpan.Zero, rtt);
    }
}
