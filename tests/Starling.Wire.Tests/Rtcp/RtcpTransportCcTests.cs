using Starling.Wire.Rtcp;

namespace Starling.Wire.Tests.Rtcp;

public sealed class RtcpTransportCcTests
{
    [Fact]
    public void TryRead_PionSingle_ReadsHeaderAndDelta()
    {
        Assert.True(RtcpTransportCc.TryRead(RtcpVectors.TransportCcSingle, out var feedback, out var read));

        Assert.Equal(24, read);
        Assert.Equal(4195875351u, feedback.SenderSsrc);
        Assert.Equal(1124282272u, feedback.MediaSsrc);
        Assert.Equal(153, feedback.BaseSequenceNumber);
        Assert.Equal(1, feedback.PacketStatusCount);
        Assert.Equal(4057090, feedback.ReferenceTime);
        Assert.Equal(23, feedback.FeedbackPacketCount);
        Assert.Equal(1, feedback.ReceivedCount);
        Assert.Equal(
            [new TransportCcPacketResult(153, TransportCcStatus.SmallDelta, 37_000, (4057090L * 64_000) + 37_000)],
            Results(feedback));
    }

    [Fact]
    public void TryRead_PionRun_ReadsSevenSmallDeltas()
    {
        Assert.True(RtcpTransportCc.TryRead(RtcpVectors.TransportCcRun, out var feedback, out _));

        Assert.Equal(4, feedback.BaseSequenceNumber);
        Assert.Equal(1074030, feedback.ReferenceTime);
        Assert.Equal(1, feedback.FeedbackPacketCount);
        var results = Results(feedback);
        Assert.Equal(Enumerable.Range(4, 7).Select(s => (ushort)s), results.Select(r => r.SequenceNumber));
        Assert.Equal([19_000, 9_000, 9_000, 4_000, 3_000, 3_000, 4_000], results.Select(r => r.DeltaMicroseconds));
        Assert.All(results, r => Assert.Equal(TransportCcStatus.SmallDelta, r.Status));
        Assert.Equal(feedback.ReferenceTimeMicroseconds + 51_000, results[^1].ArrivalMicroseconds);
    }

    [Fact]
    public void TryRead_PionMixed_TwoBitVectorAndRunLength()
    {
        Assert.True(RtcpTransportCc.TryRead(RtcpVectors.TransportCcMixed, out var feedback, out _));

        Assert.Equal(34108, feedback.BaseSequenceNumber);
        Assert.Equal(9, feedback.PacketStatusCount);
        Assert.Equal(6551830, feedback.ReferenceTime);
        Assert.Equal(179, feedback.FeedbackPacketCount);
        Assert.Equal(6, feedback.ReceivedCount);
        var results = Results(feedback);
        Assert.Equal(
            "S38750 S42500 S26500 S42500 S30750 N0 L66250 N0 N0",
            string.Join(' ', results.Select(r => $"{r.Status.ToString()[0]}{r.DeltaMicroseconds}")));
        Assert.Equal(34116, results[^1].SequenceNumber);
    }

    [Theory]
    [InlineData("reserved symbol 11 (libwebrtc rejects it too)", "AFCD0006FA17FA17193DD8BB0174000E45B15A40D800F0FFD0000003")]
    [InlineData("padding bit with a zero count", "AFCD0007FA17FA17193DD8BB0174000645B15A4040022004" + "1FFE1F9AD000D000")]
    [InlineData("status count zero", "8FCD00049ACB0442000000000000000000000000")]
    [InlineData("deltas missing", "8FCD0005FA17FA1743032FA000990003" + "3DE80217" + "20030000")]
    [InlineData("chunks missing", "8FCD0004FA17FA1743032FA000990003" + "3DE80217")]
    [InlineData("NACK, not transport-cc", "81CD0003000000010000000200640005")]
    public void TryRead_Malformed_ReturnsFalse(string reason, string hex)
    {
        Assert.False(RtcpTransportCc.TryRead(Convert.FromHexString(hex), out _, out _), reason);
    }

    [Theory]
    [InlineData((ushort)0x00DD, 221, 0)] // draft §3.1.3 example 1: run of 221 not received
    [InlineData((ushort)0x2001, 1, 1)]
    [InlineData((ushort)0x4002, 2, 2)]
    public void Chunk_RunLength_CapacityAndSymbol(ushort chunk, int capacity, int symbol)
    {
        Assert.Equal(capacity, RtcpTransportCc.GetChunkCapacity(chunk));
        Assert.Equal(symbol, RtcpTransportCc.GetChunkSymbol(chunk, 0));
        Assert.Equal(symbol, RtcpTransportCc.GetChunkSymbol(chunk, capacity - 1));
    }

    [Fact]
    public void Chunk_OneBitVector_Draft314Example1()
    {
        // 0x9F1C: T=1 S=0, symbols 0 1 1 1 1 1 0 0 0 1 1 1 0 0
        Assert.Equal(14, RtcpTransportCc.GetChunkCapacity(0x9F1C));
        Assert.Equal("01111100011100", string.Concat(Enumerable.Range(0, 14).Select(i => RtcpTransportCc.GetChunkSymbol(0x9F1C, i))));
    }

    [Fact]
    public void Chunk_TwoBitVector_Symbols()
    {
        // 0xD552: T=1 S=1, symbols 01 01 01 01 01 00 10
        Assert.Equal(7, RtcpTransportCc.GetChunkCapacity(0xD552));
        Assert.Equal("1111102", string.Concat(Enumerable.Range(0, 7).Select(i => RtcpTransportCc.GetChunkSymbol(0xD552, i))));
    }

    [Fact]
    public void TryWrite_MixedArrivals_ReproducesVectorChunkAndDeltas()
    {
        // The arrivals behind TransportCcMixed, rebuilt from its reference time and deltas.
        var reference = 6551830L * 64_000;
        TransportCcArrival[] arrivals =
        [
            new(34108, reference + 38_750),
            new(34109, reference + 81_250),
            new(34110, reference + 107_750),
            new(34111, reference + 150_250),
            new(34112, reference + 181_000),
            new(34114, reference + 247_250),
        ];
        var buffer = new byte[64];

        Assert.True(RtcpTransportCc.TryWrite(buffer, 0x9B74F61F, 0x9371DCBC, 179, arrivals, out var written, out var count));

        Assert.Equal(6, count);
        Assert.Equal(RtcpTransportCc.GetSize(arrivals), written);
        Assert.True(RtcpTransportCc.TryRead(buffer.AsSpan(0, written), out var feedback, out _));
        Assert.Equal(
            "S38750 S42500 S26500 S42500 S30750 N0 L66250",
            string.Join(' ', Results(feedback).Select(r => $"{r.Status.ToString()[0]}{r.DeltaMicroseconds}")));
        // The vector reports 9 statuses (two trailing losses); ours stops at the last received packet.
        var vector = RtcpVectors.TransportCcMixed;
        Assert.Equal(vector.AsSpan(4, 10).ToArray(), buffer.AsSpan(4, 10).ToArray()); // SSRCs, base sequence number
        Assert.Equal(vector.AsSpan(16, 6).ToArray(), buffer.AsSpan(16, 6).ToArray()); // reference time, count, 0xD552 chunk
        Assert.Equal(vector.AsSpan(24, 7).ToArray(), buffer.AsSpan(22, 7).ToArray()); // receive deltas
    }

    [Fact]
    public void TryWrite_ConsecutiveArrivals_UsesOneRunLengthChunk()
    {
        var arrivals = Enumerable.Range(0, 100).Select(i => new TransportCcArrival((ushort)(65500 + i), 1_000_000 + (i * 1_000))).ToArray();
        var buffer = new byte[256];

        Assert.True(RtcpTransportCc.TryWrite(buffer, 1, 2, 0, arrivals, out var written, out var count));

        Assert.Equal(100, count);
        Assert.Equal(0x2064, (buffer[20] << 8) | buffer[21]); // run of 100 small deltas
        Assert.Equal(20 + 2 + 100 + 2, written); // + 2 bytes of padding
        Assert.Equal(0xAF, buffer[0]); // P bit set, FMT 15
        Assert.Equal(2, buffer[written - 1]);
        Assert.True(RtcpTransportCc.TryRead(buffer.AsSpan(0, written), out var feedback, out _));
        Assert.Equal(15, feedback.ReferenceTime); // 1 s / 64 ms, rounded down
        var results = Results(feedback);
        Assert.Equal(arrivals.Select(a => a.SequenceNumber), results.Select(r => r.SequenceNumber));
        Assert.Equal(arrivals.Select(a => a.ArrivalMicroseconds), results.Select(r => r.ArrivalMicroseconds));
    }

    [Fact]
    public void TryWrite_LongGap_RunOfLosses()
    {
        TransportCcArrival[] arrivals = [new(0, 0), new(1000, 5_000)];
        var buffer = new byte[64];

        Assert.True(RtcpTransportCc.TryWrite(buffer, 1, 2, 0, arrivals, out var written, out _));

        Assert.True(RtcpTransportCc.TryRead(buffer.AsSpan(0, written), out var feedback, out _));
        Assert.Equal(1001, feedback.PacketStatusCount);
        Assert.Equal(2, feedback.ReceivedCount);
        var results = Results(feedback);
        Assert.Equal(1001, results.Count);
        Assert.Equal(5_000, results[^1].ArrivalMicroseconds);
        Assert.Equal(999, results.Count(r => !r.Received));
        Assert.True(written <= 32, $"{written} bytes");
    }

    [Fact]
    public void TryWrite_NegativeAndLargeDeltas_RoundTrip()
    {
        TransportCcArrival[] arrivals = [new(10, 640_000), new(11, 639_000), new(12, 2_000_000), new(14, 2_000_250)];
        var buffer = new byte[64];

        Assert.True(RtcpTransportCc.TryWrite(buffer, 1, 2, 7, arrivals, out var written, out var count));

        Assert.Equal(4, count);
        Assert.True(RtcpTransportCc.TryRead(buffer.AsSpan(0, written), out var feedback, out _));
        Assert.Equal(7, feedback.FeedbackPacketCount);
        var received = Results(feedback).Where(r => r.Received).ToList();
        Assert.Equal(arrivals.Select(a => a.ArrivalMicroseconds), received.Select(r => r.ArrivalMicroseconds));
        Assert.Equal(
            [TransportCcStatus.SmallDelta, TransportCcStatus.LargeOrNegativeDelta, TransportCcStatus.LargeOrNegativeDelta, TransportCcStatus.SmallDelta],
            received.Select(r => r.Status));
    }

    [Fact]
    public void TryWrite_DeltasRoundedWithoutDrift()
    {
        // 100 packets 1.1 ms apart plus 0.1 ms: each delta rounds, but the running sum stays within half a tick.
        var arrivals = Enumerable.Range(0, 100).Select(i => new TransportCcArrival((ushort)i, 100 + (i * 1_100))).ToArray();
        var buffer = new byte[256];

        Assert.True(RtcpTransportCc.TryWrite(buffer, 1, 2, 0, arrivals, out var written, out _));

        Assert.True(RtcpTransportCc.TryRead(buffer.AsSpan(0, written), out var feedback, out _));
        var results = Results(feedback);
        for (var i = 0; i < arrivals.Length; i++)
        {
            Assert.InRange(results[i].ArrivalMicroseconds - arrivals[i].ArrivalMicroseconds, -125, 125);
        }
    }

    [Fact]
    public void TryWrite_DeltaBeyondRange_StopsBeforeIt()
    {
        TransportCcArrival[] arrivals = [new(1, 0), new(2, 1_000), new(3, 9_000_000), new(4, 9_001_000)];
        var buffer = new byte[64];

        Assert.True(RtcpTransportCc.TryWrite(buffer, 1, 2, 0, arrivals, out var written, out var count));

        Assert.Equal(2, count);
        Assert.True(RtcpTransportCc.TryRead(buffer.AsSpan(0, written), out var feedback, out _));
        Assert.Equal(2, feedback.PacketStatusCount);
        Assert.True(RtcpTransportCc.TryWrite(buffer, 1, 2, 1, arrivals.AsSpan(count), out _, out var rest));
        Assert.Equal(2, rest);
    }

    [Theory]
    [InlineData("duplicate", 5)]
    [InlineData("reordered", 4)]
    public void TryWrite_NotAscending_StopsThere(string reason, ushort third)
    {
        TransportCcArrival[] arrivals = [new(5, 0), new(6, 1_000), new(third, 2_000)];

        Assert.True(RtcpTransportCc.TryWrite(new byte[64], 1, 2, 0, arrivals, out _, out var count));
        Assert.True(count == 2, reason);
    }

    [Fact]
    public void TryWrite_SmallBuffer_WritesAPrefixThatFits()
    {
        var arrivals = Enumerable.Range(0, 200).Select(i => new TransportCcArrival((ushort)(i * 2), i * 70_000L)).ToArray();
        var buffer = new byte[64];

        Assert.True(RtcpTransportCc.TryWrite(buffer, 1, 2, 0, arrivals, out var written, out var count));

        Assert.InRange(written, 24, 64);
        Assert.InRange(count, 1, 199);
        Assert.True(RtcpTransportCc.TryRead(buffer.AsSpan(0, written), out var feedback, out _));
        Assert.Equal(count, feedback.ReceivedCount);
        Assert.False(RtcpTransportCc.TryWrite(new byte[23], 1, 2, 0, arrivals, out _, out _));
        Assert.False(RtcpTransportCc.TryWrite(buffer, 1, 2, 0, [], out _, out _));
        Assert.Equal(0, RtcpTransportCc.GetSize([]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(20260101)]
    public void TryWrite_RandomArrivals_RoundTrip(int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[4096];
        for (var iteration = 0; iteration < 500; iteration++)
        {
            var arrivals = new List<TransportCcArrival>();
            var sequenceNumber = (ushort)random.Next(65536);
            var time = random.NextInt64(-10_000_000, 10_000_000);
            for (var n = random.Next(1, 300); n > 0; n--)
            {
                arrivals.Add(new TransportCcArrival(sequenceNumber, time));
                sequenceNumber += (ushort)(random.Next(4) == 0 ? random.Next(2, 40) : 1);
                time += random.Next(10) == 0 ? random.Next(-20_000, 200_000) : random.Next(0, 5_000);
            }

            Assert.True(RtcpTransportCc.TryWrite(buffer, 1, 2, (byte)iteration, arrivals.ToArray(), out var written, out var count));
            Assert.InRange(count, 1, arrivals.Count);
            Assert.True(RtcpTransportCc.TryRead(buffer.AsSpan(0, written), out var feedback, out _));
            Assert.Equal(count, feedback.ReceivedCount);
            var received = Results(feedback).Where(r => r.Received).ToList();
            var offset = received[0].ArrivalMicroseconds - arrivals[0].ArrivalMicroseconds;
            for (var i = 0; i < count; i++)
            {
                Assert.Equal(arrivals[i].SequenceNumber, received[i].SequenceNumber);
                Assert.InRange(received[i].ArrivalMicroseconds - offset - arrivals[i].ArrivalMicroseconds, -250, 250);
            }
        }
    }

    [Theory]
    [InlineData("no leading loss", 100, 100, 1, "S")]
    [InlineData("one leading loss", 99, 100, 2, "NS")]
    [InlineData("three leading losses", 97, 100, 4, "NNNS")]
    [InlineData("across the wrap", 65534, 1, 4, "NNNS")]
    [InlineData("a run of losses", 0, 40, 41, "")]
    public void TryWrite_BaseBeforeFirstArrival_ReportsLeadingLosses(string reason, int baseSequence, int first, int statusCount, string prefix)
    {
        TransportCcArrival[] arrivals = [new((ushort)first, 1_000_000), new((ushort)(first + 1), 1_001_000)];
        var buffer = new byte[128];

        Assert.True(RtcpTransportCc.TryWrite(buffer, 1, 2, 3, (ushort)baseSequence, arrivals, out var written, out var count), reason);

        Assert.Equal(2, count);
        Assert.Equal(RtcpTransportCc.GetSize((ushort)baseSequence, arrivals), written);
        Assert.True(RtcpTransportCc.TryRead(buffer.AsSpan(0, written), out var feedback, out _));
        Assert.Equal(baseSequence, feedback.BaseSequenceNumber);
        Assert.Equal(statusCount + 1, feedback.PacketStatusCount);
        Assert.Equal(2, feedback.ReceivedCount);
        var results = Results(feedback);
        Assert.StartsWith(prefix, string.Concat(results.Select(r => r.Received ? 'S' : 'N')), StringComparison.Ordinal);
        Assert.Equal(statusCount - 1, results.Count(r => !r.Received));
        Assert.Equal([1_000_000L, 1_001_000L], results.Where(r => r.Received).Select(r => r.ArrivalMicroseconds));
    }

    [Theory]
    [InlineData("first arrival before the base", 101, 100)]
    [InlineData("more leading losses than one feedback reports", 0, 0x7FFF)]
    public void TryWrite_BaseOutOfReach_ReturnsFalse(string reason, int baseSequence, int first)
    {
        TransportCcArrival[] arrivals = [new((ushort)first, 0)];

        Assert.False(RtcpTransportCc.TryWrite(new byte[128], 1, 2, 0, (ushort)baseSequence, arrivals, out _, out _), reason);
        Assert.Equal(0, RtcpTransportCc.GetSize((ushort)baseSequence, arrivals));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(20260101)]
    public void TryWrite_RandomBaseAndSizeLimit_SplitsIntoReadableFeedbacks(int seed)
    {
        // A long capture written as consecutive feedbacks of at most 200 bytes, each continuing where the previous
        // one ended: together they report every sequence number exactly once.
        var random = new Random(seed);
        var buffer = new byte[200];
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var arrivals = new List<TransportCcArrival>();
            var start = (ushort)random.Next(65536);
            var sequenceNumber = (ushort)(start + random.Next(5));
            var time = random.NextInt64(0, 100_000_000);
            for (var n = random.Next(1, 2_000); n > 0; n--)
            {
                arrivals.Add(new TransportCcArrival(sequenceNumber, time));
                sequenceNumber += (ushort)(random.Next(8) == 0 ? random.Next(2, 30) : 1);
                time += random.Next(20) == 0 ? random.Next(-5_000, 100_000) : random.Next(0, 3_000);
            }

            var reported = new List<TransportCcPacketResult>();
            var next = start;
            var offset = 0;
            byte feedbackCount = 0;
            while (offset < arrivals.Count)
            {
                Assert.True(RtcpTransportCc.TryWrite(buffer, 1, 2, feedbackCount++, next, arrivals.ToArray().AsSpan(offset), out var written, out var count));
                Assert.InRange(written, 24, buffer.Length);
                Assert.True(RtcpTransportCc.TryRead(buffer.AsSpan(0, written), out var feedback, out _));
                Assert.Equal(next, feedback.BaseSequenceNumber);
                reported.AddRange(Results(feedback));
                offset += count;
                next = (ushort)(arrivals[offset - 1].SequenceNumber + 1);
            }

            Assert.Equal((ushort)(arrivals[^1].SequenceNumber - start + 1), reported.Count);
            Assert.Equal(Enumerable.Range(0, reported.Count).Select(i => (ushort)(start + i)), reported.Select(r => r.SequenceNumber));
            Assert.Equal(arrivals.Select(a => a.SequenceNumber), reported.Where(r => r.Received).Select(r => r.SequenceNumber));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TryRead_ShortenedAndMutatedWriterOutput_NeverThrows(int seed)
    {
        // Packets our writer produced, then (a) the length field and the span cut to fewer words, so the body runs
        // out inside the chunks or deltas, and (b) random bytes flipped. The reader refuses or stays consistent.
        var random = new Random(seed);
        var buffer = new byte[512];
        for (var iteration = 0; iteration < 300; iteration++)
        {
            var arrivals = new List<TransportCcArrival>();
            var sequenceNumber = (ushort)random.Next(65536);
            var time = random.NextInt64(0, 10_000_000);
            for (var n = random.Next(1, 120); n > 0; n--)
            {
                arrivals.Add(new TransportCcArrival(sequenceNumber, time));
                sequenceNumber += (ushort)(random.Next(4) == 0 ? random.Next(2, 20) : 1);
                time += random.Next(10) == 0 ? random.Next(-20_000, 100_000) : random.Next(0, 4_000);
            }

            Assert.True(RtcpTransportCc.TryWrite(buffer, 1, 2, 0, (ushort)(arrivals[0].SequenceNumber - random.Next(3)), arrivals.ToArray(), out var written, out _));
            for (var words = 1; words < written / 4; words++)
            {
                var cut = buffer.AsSpan(0, words * 4).ToArray();
                cut[0] &= 0xDF; // no padding: the cut removed it
                cut[2] = (byte)((words - 1) >> 8);
                cut[3] = (byte)(words - 1);
                AssertConsistent(cut);
            }

            for (var flips = 0; flips < 20; flips++)
            {
                var mutated = buffer.AsSpan(0, written).ToArray();
                mutated[random.Next(4, written)] = (byte)random.Next(256);
                AssertConsistent(mutated);
            }
        }
    }

    private static void AssertConsistent(byte[] bytes)
    {
        if (!RtcpTransportCc.TryRead(bytes, out var feedback, out _))
        {
            return;
        }

        var results = Results(feedback);
        Assert.Equal(feedback.PacketStatusCount, results.Count);
        Assert.Equal(feedback.ReceivedCount, results.Count(r => r.Received));
    }

    internal static List<TransportCcPacketResult> Results(RtcpTransportCc feedback)
    {
        var results = new List<TransportCcPacketResult>();
        foreach (var result in feedback.GetPackets())
        {
            results.Add(result);
        }

        return results;
    }
}
