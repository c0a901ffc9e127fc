using Starling.Wire.Rtcp;

namespace Starling.Wire.Tests.Rtcp;

public sealed class RtcpFuzzTests
{
    public static TheoryData<int> Seeds => new() { 1, 2, 3, 20260101 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Readers_RandomBytes_NeverThrow(int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[160];
        byte[] types = [200, 201, 202, 203, 205, 206];
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            if (length >= 4 && random.Next(4) != 0)
            {
                // A plausible header so the bodies get exercised.
                buffer[0] = (byte)(0x80 | (buffer[0] & 0x3F));
                buffer[1] = types[random.Next(types.Length)];
                buffer[2] = 0;
                buffer[3] = (byte)((length / 4) - 1);
            }

            Exercise(buffer.AsSpan(0, length));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Readers_MutatedVectors_NeverThrow(int seed)
    {
        var random = new Random(seed);
        var names = RtcpVectors.Names;
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = RtcpVectors.Get(names[random.Next(names.Length)]);
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            Exercise(bytes);
            Exercise(bytes.AsSpan(0, random.Next(bytes.Length + 1)));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Nack_RandomLossLists_RoundTrip(int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[2048];
        for (var i = 0; i < 2_000; i++)
        {
            var start = (ushort)random.Next(65536);
            var lost = Enumerable.Range(0, random.Next(1, 200))
                .Select(_ => (ushort)(start + random.Next(300)))
                .Distinct()
                .OrderBy(s => (ushort)(s - start))
                .ToArray();

            Assert.True(RtcpNack.TryWrite(buffer, 1, 2, lost, out var written));
            Assert.True(RtcpNack.TryRead(buffer.AsSpan(0, written), out var nack, out _));
            var read = new List<ushort>();
            foreach (var sequenceNumber in nack.GetLostSequenceNumbers())
            {
                read.Add(sequenceNumber);
            }

            Assert.Equal(lost, read);
        }
    }

    private static void Exercise(ReadOnlySpan<byte> bytes)
    {
        var reader = new RtcpCompoundReader(bytes);
        foreach (var packet in reader)
        {
            Assert.InRange(packet.Payload.Length, 0, packet.Span.Length - 4);
            ExercisePacket(packet.Span);
        }

        ExercisePacket(bytes);
    }

    private static void ExercisePacket(ReadOnlySpan<byte> bytes)
    {
        if (RtcpSenderReport.TryRead(bytes, out var sr, out _))
        {
            _ = sr.NtpTimestamp + sr.OctetCount;
            for (var i = 0; i < sr.ReportCount; i++)
            {
                sr.GetReportBlock(i).TryGetRoundTripTime(12345, out _);
            }
        }

        if (RtcpReceiverReport.TryRead(bytes, out var rr, out _))
        {
            for (var i = 0; i < rr.ReportCount; i++)
            {
                _ = rr.GetReportBlock(i);
            }
        }

        if (RtcpSdes.TryRead(bytes, out var sdes, out _))
        {
            var items = sdes.GetItems();
            while (items.MoveNext())
            {
            }

            Assert.False(items.IsMalformed);
            sdes.TryGetCname(null, out _);
        }

        if (RtcpBye.TryRead(bytes, out var bye, out _))
        {
            for (var i = 0; i < bye.SourceCount; i++)
            {
                _ = bye.GetSsrc(i);
            }
        }

        if (RtcpNack.TryRead(bytes, out var nack, out _))
        {
            var count = 0;
            foreach (var _ in nack.GetLostSequenceNumbers())
            {
                count++;
            }

            Assert.InRange(count, nack.PairCount, nack.PairCount * 17);
        }

        RtcpPli.TryRead(bytes, out _, out _);
        if (RtcpFir.TryRead(bytes, out var fir, out _))
        {
            fir.TryGetEntry(1, out _);
        }

        if (RtcpRemb.TryRead(bytes, out var remb, out _))
        {
            for (var i = 0; i < remb.SsrcCount; i++)
            {
                _ = remb.GetSsrc(i);
            }
        }

        if (RtcpTransportCc.TryRead(bytes, out var twcc, out _))
        {
            var statuses = 0;
            var received = 0;
            foreach (var result in twcc.GetPackets())
            {
                statuses++;
                received += result.Received ? 1 : 0;
            }

            Assert.Equal(twcc.PacketStatusCount, statuses);
            Assert.Equal(twcc.ReceivedCount, received);
        }
    }
}
