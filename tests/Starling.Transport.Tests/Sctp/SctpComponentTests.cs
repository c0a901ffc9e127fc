using Starling.Transport.Sctp;

namespace Starling.Transport.Tests.Sctp;

public sealed class SctpComponentTests
{
    [Theory]
    [InlineData(1u, 2u, true)]
    [InlineData(0xFFFFFFFFu, 0u, true)] // wraps
    [InlineData(0u, 0x7FFFFFFFu, true)]
    [InlineData(2u, 1u, false)]
    [InlineData(5u, 5u, false)]
    public void SerialNumber_Lt_Rfc1982(uint a, uint b, bool expected) => Assert.Equal(expected, SerialNumber.Lt(a, b));

    [Fact]
    public void Tracker_OutOfOrderTsns_GapBlocksAndCumulativeAdvance()
    {
        var t = new ReceivedTsnTracker();
        t.Reset(100);
        Assert.Equal(99u, t.CumulativeTsn);
        foreach (var tsn in new uint[] { 100, 102, 103, 106 })
        {
            Assert.Equal(TsnStatus.New, t.Classify(tsn));
            t.Add(tsn);
        }

        Assert.Equal(100u, t.CumulativeTsn);
        Span<GapAckBlock> gaps = stackalloc GapAckBlock[8];
        var n = t.FillGapAckBlocks(gaps);
        Assert.Equal([new GapAckBlock(2, 3), new GapAckBlock(6, 6)], gaps[..n].ToArray());
        Assert.Equal(TsnStatus.Duplicate, t.Classify(100));
        Assert.Equal(TsnStatus.Duplicate, t.Classify(103));
        Assert.Equal(TsnStatus.OutOfWindow, t.Classify(100 + ReceivedTsnTracker.Window));

        t.Add(101);
        Assert.Equal(103u, t.CumulativeTsn);
        t.ForwardTo(105);
        Assert.Equal(106u, t.CumulativeTsn);
        Assert.False(t.HasGaps);
    }

    [Fact]
    public void Tracker_WrapsAroundZero()
    {
        var t = new ReceivedTsnTracker();
        t.Reset(0xFFFFFFFE);
        t.Add(0xFFFFFFFE);
        t.Add(0);
        Assert.Equal(0xFFFFFFFEu, t.CumulativeTsn);
        t.Add(0xFFFFFFFF);
        Assert.Equal(0u, t.CumulativeTsn);
    }

    [Fact]
    public void Rto_FirstAndLaterMeasurements_Rfc9260Section631()
    {
        var rto = new RtoEstimator(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(60));
        Assert.Equal(TimeSpan.FromSeconds(1), rto.Rto);
        rto.Observe(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(100), rto.SmoothedRtt);
        Assert.Equal(TimeSpan.FromMilliseconds(50), rto.RttVariation);
        Assert.Equal(TimeSpan.FromMilliseconds(300), rto.Rto); // SRTT + 4 * RTTVAR
        rto.Observe(TimeSpan.FromMilliseconds(200));
        Assert.Equal(TimeSpan.FromMilliseconds(62.5), rto.RttVariation); // 3/4 * 50 + 1/4 * 100
        Assert.Equal(TimeSpan.FromMilliseconds(112.5), rto.SmoothedRtt); // 7/8 * 100 + 1/8 * 200
        rto.Backoff();
        Assert.Equal(TimeSpan.FromMilliseconds(725), rto.Rto);
    }

    [Fact]
    public void Rto_ClampedToMinAndMax()
    {
        var rto = new RtoEstimator(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));
        rto.Observe(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), rto.Rto);
        for (var i = 0; i < 5; i++)
        {
            rto.Backoff();
        }

        Assert.Equal(TimeSpan.FromSeconds(4), rto.Rto);
    }

    [Fact]
    public void Reassembly_OrderedFragmentsOutOfOrder_DeliveredOnceCompleteAndInSsnOrder()
    {
        var q = new ReassemblyQueue(1000);
        var delivered = new List<SctpMessage>();
        // Message SSN 1 (TSN 13, single) arrives before SSN 0 (TSNs 10..12, fragmented, middle last).
        Assert.True(q.Add(13, 1, 1, 51, DataChunk.FlagBeginning | DataChunk.FlagEnd, "d"u8, delivered));
        Assert.True(q.Add(12, 1, 0, 51, DataChunk.FlagEnd, "c"u8, delivered));
        Assert.True(q.Add(10, 1, 0, 51, DataChunk.FlagBeginning, "a"u8, delivered));
        Assert.Empty(delivered);
        Assert.Equal(3, q.BufferedBytes);
        Assert.True(q.Add(11, 1, 0, 51, 0, "b"u8, delivered));
        Assert.Equal(["abc", "d"], delivered.Select(m => System.Text.Encoding.ASCII.GetString(m.Payload)));
        Assert.Equal(0, q.BufferedBytes);
    }

    [Fact]
    public void Reassembly_MessageOverMaximum_Refused()
    {
        var q = new ReassemblyQueue(4);
        var delivered = new List<SctpMessage>();
        Assert.True(q.Add(1, 0, 0, 53, DataChunk.FlagBeginning, "abc"u8, delivered));
        Assert.False(q.Add(2, 0, 0, 53, DataChunk.FlagEnd, "de"u8, delivered));
        Assert.False(q.Add(3, 0, 1, 53, DataChunk.FlagBeginning | DataChunk.FlagEnd, "abcde"u8, delivered));
    }

    [Fact]
    public void Reassembly_ForwardTsn_DropsPartialsAndSkipsSsn()
    {
        var q = new ReassemblyQueue(1000);
        var delivered = new List<SctpMessage>();
        q.Add(20, 2, 0, 53, DataChunk.FlagBeginning, "x"u8, delivered); // SSN 0 never completes
        q.Add(23, 2, 1, 53, DataChunk.FlagBeginning | DataChunk.FlagEnd, "y"u8, delivered); // SSN 1 waits
        q.Add(25, 3, 0, 53, DataChunk.FlagUnordered, "z"u8, delivered); // unordered middle fragment, orphan
        Assert.Empty(delivered);
        q.HandleForwardTsn(22, new ForwardTsnChunk(22, [new ForwardTsnStream(2, 0)]), delivered);
        Assert.Equal(["y"], delivered.Select(m => System.Text.Encoding.ASCII.GetString(m.Payload)));
        Assert.Equal(1, q.BufferedBytes); // the unordered orphan above the new cumulative TSN is kept until skipped
        q.HandleForwardTsn(25, new ForwardTsnChunk(25, []), delivered);
        Assert.Equal(0, q.BufferedBytes);
    }
}
