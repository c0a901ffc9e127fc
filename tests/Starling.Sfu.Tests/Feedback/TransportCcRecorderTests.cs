using Starling.Sfu.Feedback;
using Starling.Testing;
using Starling.Wire.Rtcp;

namespace Starling.Sfu.Tests.Feedback;

public sealed class TransportCcRecorderTests
{
    private const uint ServerSsrc = 0x5E4E4;
    private const uint MediaSsrc = 0xCAFE;

    private readonly ManualTimeProvider _time = new();

    private TransportCcRecorder Create(TransportCcRecorderOptions? options = null) => new(options, _time.TimestampFrequency);

    /// <summary>Records <paramref name="sequences"/> one per millisecond of the fake clock.</summary>
    private void RecordEveryMs(TransportCcRecorder recorder, params int[] sequences)
    {
        foreach (var sequence in sequences)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            recorder.Record((ushort)sequence, MediaSsrc, _time.GetTimestamp());
        }
    }

    private static List<Feedback> Drain(TransportCcRecorder recorder, int bufferSize = 1500)
    {
        var feedbacks = new List<Feedback>();
        var buffer = new byte[bufferSize];
        while (recorder.TryWriteFeedback(ServerSsrc, buffer, out var written))
        {
            Assert.True(RtcpTransportCc.TryRead(buffer.AsSpan(0, written), out var feedback, out var read));
            Assert.Equal(written, read);
            var results = new List<TransportCcPacketResult>();
            foreach (var result in feedback.GetPackets())
            {
                results.Add(result);
            }

            feedbacks.Add(new Feedback(feedback.SenderSsrc, feedback.MediaSsrc, feedback.BaseSequenceNumber, feedback.FeedbackPacketCount, written, results));
        }

        return feedbacks;
    }

    /// <summary>'R' received, '.' not received, per status from the base.</summary>
    private static string Statuses(Feedback feedback) => string.Concat(feedback.Results.Select(r => r.Received ? 'R' : '.'));

    [Fact]
    public void TryWriteFeedback_InOrder_ReportsEveryPacketWithArrivalDeltas()
    {
        var recorder = Create();
        RecordEveryMs(recorder, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        var feedback = Assert.Single(Drain(recorder));

        Assert.Equal(ServerSsrc, feedback.SenderSsrc);
        Assert.Equal(MediaSsrc, feedback.MediaSsrc);
        Assert.Equal(0, feedback.BaseSequence);
        Assert.Equal(0, feedback.Count);
        Assert.Equal("RRRRRRRRRR", Statuses(feedback));
        Assert.All(feedback.Results.Skip(1), r => Assert.Equal(1_000, r.DeltaMicroseconds));
        Assert.Equal(0, recorder.Pending);
        Assert.Empty(Drain(recorder));
    }

    [Fact]
    public void TryWriteFeedback_ArrivalTimes_FollowTheClock()
    {
        var recorder = Create();
        _time.Advance(TimeSpan.FromSeconds(3) + TimeSpan.FromMilliseconds(1.5));
        var first = _time.GetTimestamp();
        recorder.Record(7, MediaSsrc, first);
        _time.Advance(TimeSpan.FromMilliseconds(70));
        recorder.Record(8, MediaSsrc, _time.GetTimestamp());

        var results = Assert.Single(Drain(recorder)).Results;

        var firstMicroseconds = first / 10; // 10 MHz fake clock
        Assert.Equal(firstMicroseconds, results[0].ArrivalMicroseconds);
        Assert.Equal(firstMicroseconds + 70_000, results[1].ArrivalMicroseconds);
        Assert.Equal(TransportCcStatus.LargeOrNegativeDelta, results[1].Status); // 70 ms > 63.75 ms
    }

    [Theory]
    [InlineData("gap", new[] { 0, 1, 2, 5, 6 }, 0, "RRR..RR")]
    [InlineData("wrap", new[] { 65533, 65534, 65535, 0, 1, 2 }, 65533, "RRRRRR")]
    [InlineData("gap across the wrap", new[] { 65534, 1 }, 65534, "R..R")]
    [InlineData("reordered", new[] { 10, 12, 11, 13 }, 10, "RRRR")]
    [InlineData("duplicate", new[] { 10, 11, 11, 12 }, 10, "RRR")]
    [InlineData("late from before the first", new[] { 10, 11, 9, 12 }, 10, "RRR")]
    public void TryWriteFeedback_Cases(string reason, int[] sequences, int baseSequence, string statuses)
    {
        var recorder = Create();
        RecordEveryMs(recorder, sequences);

        var feedback = Assert.Single(Drain(recorder));

        Assert.True(baseSequence == feedback.BaseSequence, reason);
        Assert.Equal(statuses, Statuses(feedback));
    }

    [Fact]
    public void TryWriteFeedback_Reordered_ReportsEachPacketsOwnArrival()
    {
        var recorder = Create();
        RecordEveryMs(recorder, 10, 12, 11);

        var results = Assert.Single(Drain(recorder)).Results;

        // In sequence order: 10 at 1 ms, 11 at 3 ms, 12 at 2 ms (a negative delta, so a large one).
        Assert.Equal([0, 2_000, 1_000], results.Select(r => (int)(r.ArrivalMicroseconds - results[0].ArrivalMicroseconds)));
        Assert.Equal(-1_000, results[2].DeltaMicroseconds);
        Assert.Equal(TransportCcStatus.LargeOrNegativeDelta, results[2].Status);
    }

    [Fact]
    public void TryWriteFeedback_NextFeedback_StartsWhereThePreviousEnded()
    {
        var recorder = Create();
        RecordEveryMs(recorder, 0, 1, 2, 3, 4);
        var first = Assert.Single(Drain(recorder));
        RecordEveryMs(recorder, 7, 8);

        var second = Assert.Single(Drain(recorder));

        Assert.Equal("RRRRR", Statuses(first));
        Assert.Equal(5, second.BaseSequence);
        Assert.Equal("..RR", Statuses(second)); // 5 and 6 lost at the boundary
        Assert.Equal(1, second.Count);
    }

    [Fact]
    public void Record_LateAfterReportedLost_IsReportedReceivedNext()
    {
        var recorder = Create();
        RecordEveryMs(recorder, 0, 1, 3);
        Assert.Equal("RR.R", Statuses(Assert.Single(Drain(recorder))));

        RecordEveryMs(recorder, 2);
        var again = Assert.Single(Drain(recorder));

        Assert.Equal(2, again.BaseSequence);
        Assert.Equal("RR", Statuses(again)); // 2 now, and 3 repeated (the format has no holes to skip it)
        Assert.Equal(1, recorder.LateReported);
    }

    [Fact]
    public void Record_Duplicate_IsIgnored()
    {
        var recorder = Create();
        RecordEveryMs(recorder, 5, 5);
        Drain(recorder);
        RecordEveryMs(recorder, 5);

        Assert.Equal(2, recorder.Duplicates);
        Assert.Equal(1, recorder.Packets);
        Assert.Empty(Drain(recorder));
    }

    [Fact]
    public void Record_ManyPending_AsksForFeedbackNow()
    {
        var recorder = Create(new TransportCcRecorderOptions { MaxPendingPackets = 10 });
        var due = new List<bool>();
        for (var i = 0; i < 12; i++)
        {
            due.Add(recorder.Record((ushort)i, MediaSsrc, _time.GetTimestamp()));
        }

        Assert.Equal(9, due.IndexOf(true));
        Assert.Single(Drain(recorder));
        Assert.False(recorder.Record(12, MediaSsrc, _time.GetTimestamp()));
    }

    [Fact]
    public void Record_GapOfLosses_CountsTowardPending()
    {
        var recorder = Create(new TransportCcRecorderOptions { MaxPendingPackets = 50 });
        Assert.False(recorder.Record(0, MediaSsrc, 0));
        Assert.True(recorder.Record(60, MediaSsrc, 0));
        Assert.Equal(61, recorder.Pending);
    }

    [Fact]
    public void TryWriteFeedback_MediaSsrc_IsTheLatestNonZero()
    {
        var recorder = Create();
        recorder.Record(0, 0, 0); // a probe before media
        Assert.Equal(0u, Assert.Single(Drain(recorder)).MediaSsrc);
        recorder.Record(1, 0x1111, 0);
        recorder.Record(2, 0x2222, 0);
        recorder.Record(3, 0, 0);

        Assert.Equal(0x2222u, Assert.Single(Drain(recorder)).MediaSsrc);
    }

    [Fact]
    public void TryWriteFeedback_FeedbackCount_Increments()
    {
        var recorder = Create();
        var counts = new List<byte>();
        for (var i = 0; i < 300; i++)
        {
            recorder.Record((ushort)i, MediaSsrc, _time.GetTimestamp());
            counts.AddRange(Drain(recorder).Select(f => f.Count));
        }

        Assert.Equal(Enumerable.Range(0, 300).Select(i => (byte)i), counts);
    }

    [Fact]
    public void TryWriteFeedback_OverSizeLimit_SplitsAndCoversEverySequenceOnce()
    {
        var recorder = Create(new TransportCcRecorderOptions { MaxPacketSize = 120 });
        var random = new Random(7);
        var expected = new List<int>();
        for (var sequence = 60_000; sequence < 62_000; sequence++)
        {
            if (random.Next(10) == 0)
            {
                continue; // lost
            }

            _time.Advance(TimeSpan.FromMicroseconds(random.Next(0, 3_000)));
            recorder.Record((ushort)sequence, MediaSsrc, _time.GetTimestamp());
            expected.Add(sequence);
        }

        var feedbacks = Drain(recorder);

        Assert.True(feedbacks.Count > 10, $"{feedbacks.Count} feedbacks");
        Assert.All(feedbacks, f => Assert.InRange(f.Size, 24, 120));
        var statuses = feedbacks.SelectMany(f => f.Results).ToList();
        Assert.Equal(Enumerable.Range(60_000, statuses.Count).Select(s => (ushort)s), statuses.Select(r => r.SequenceNumber));
        Assert.Equal(expected.Select(s => (ushort)s), statuses.Where(r => r.Received).Select(r => r.SequenceNumber));
        Assert.Equal(0, recorder.Pending);
    }

    [Fact]
    public void TryWriteFeedback_DefaultLimit_KeepsPacketsUnder1200Bytes()
    {
        var recorder = Create();
        for (var i = 0; i < 1_500; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(i % 7 == 0 ? 70 : 1)); // some large deltas
            recorder.Record((ushort)(i * 2), MediaSsrc, _time.GetTimestamp()); // every other one lost
        }

        var feedbacks = Drain(recorder);

        Assert.True(feedbacks.Count >= 2);
        Assert.All(feedbacks, f => Assert.InRange(f.Size, 24, 1200));
        Assert.Equal(1_500, feedbacks.Sum(f => f.Results.Count(r => r.Received)));
        Assert.Equal(0, recorder.Unreported);
    }

    [Fact]
    public void Record_BeyondCapacity_ForgetsOldestAndRefusesTooOld()
    {
        var recorder = Create(new TransportCcRecorderOptions { Capacity = 16, MaxPendingPackets = 1000 });
        recorder.Record(0, MediaSsrc, 0);
        recorder.Record(40, MediaSsrc, 0);

        Assert.Equal(25, recorder.Unreported); // 0 .. 24 fell out of the ring unreported
        Assert.False(recorder.Record(10, MediaSsrc, 0));
        Assert.Equal(1, recorder.TooOld);
        var feedback = Assert.Single(Drain(recorder));
        Assert.Equal(25, feedback.BaseSequence);
        Assert.Equal(new string('.', 15) + "R", Statuses(feedback));
    }

    [Fact]
    public void TryWriteFeedback_TinyBuffer_ReturnsFalseAndKeepsPending()
    {
        var recorder = Create();
        recorder.Record(1, MediaSsrc, 0);

        Assert.False(recorder.TryWriteFeedback(ServerSsrc, new byte[20], out _));
        Assert.Equal(1, recorder.Pending);
        Assert.Single(Drain(recorder));
    }

    [Fact]
    public void RecordAndWrite_SteadyState_AllocatesNothing()
    {
        var recorder = Create();
        var buffer = new byte[1200];
        void Run(int from, int count)
        {
            for (var i = from; i < from + count; i++)
            {
                _time.Advance(TimeSpan.FromMicroseconds(700));
                if (i % 13 != 0)
                {
                    recorder.Record((ushort)i, MediaSsrc, _time.GetTimestamp());
                }

                if (i % 50 == 0)
                {
                    while (recorder.TryWriteFeedback(ServerSsrc, buffer, out _))
                    {
                    }
                }
            }
        }

        Run(0, 1_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(1_000, 20_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(recorder.FeedbackPackets > 400);
    }

    private sealed record Feedback(uint SenderSsrc, uint MediaSsrc, ushort BaseSequence, byte Count, int Size, List<TransportCcPacketResult> Results);
}
