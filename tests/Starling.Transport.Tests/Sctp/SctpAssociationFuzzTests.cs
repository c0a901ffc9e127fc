using Starling.Transport.Sctp;

namespace Starling.Transport.Tests.Sctp;

/// <summary>
/// Seeded fuzzing of a live association: garbage, corrupted and replayed packets must be dropped and counted,
/// never thrown, and the association must keep working afterwards.
/// </summary>
public sealed class SctpAssociationFuzzTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void HandlePacket_RandomBytes_DroppedCountedAndAssociationStillWorks(int seed)
    {
        using var pair = new SctpPair(seed);
        var (_, tagOfB) = SctpTestPackets.Establish(pair);
        var random = new Random(seed);
        const int Count = 3000;
        for (var i = 0; i < Count; i++)
        {
            var packet = new byte[random.Next(0, 1500)];
            random.NextBytes(packet);
            if (packet.Length >= 12 && i % 2 == 0)
            {
                // Half get a plausible header (our ports, sometimes our tag) and a valid checksum, so the chunk
                // parser and the tag check see them too.
                new SctpCommonHeader(5000, 5000, i % 4 == 0 ? tagOfB : (uint)random.Next(), 0).TryWrite(packet, out _);
                if (i % 8 == 0 && packet.Length >= 16)
                {
                    // ... with a chunk type we must not act on when its length is garbage.
                    packet[12] = (byte)random.Next(0, 256);
                }

                SctpCommonHeader.WriteChecksum(packet);
            }

            pair.B.HandlePacket(packet);
        }

        var c = pair.B.GetStats().Counters;
        var dropped = c.BadChecksums + c.MalformedPackets + c.BadVerificationTags + c.WrongPorts + c.UnknownChunks;
        Assert.True(dropped >= Count * 9 / 10, $"only {dropped} of {Count} accounted for: {c}");
        Assert.True(c.BadChecksums >= Count / 2 - 50);
        AssertStillWorks(pair);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void HandlePacket_TruncatedBitFlippedAndReplayedRealTraffic_NoExceptionAndStillWorks(int seed)
    {
        using var pair = new SctpPair(seed);
        pair.Link.Capture = true;
        pair.ConnectBoth();
        var dc = new DataChannelManager(pair.A, isDtlsServer: false);
        _ = new DataChannelManager(pair.B, isDtlsServer: true);
        var channel = dc.OpenChannel("fuzz");
        pair.Link.LossRate = 0.1;
        for (var i = 0; i < 40; i++)
        {
            channel.Send(new byte[100 + (i * 97)]);
            pair.A.Send(5, 53, new byte[50], new SctpSendOptions(Unordered: true, MaxRetransmits: 0));
        }

        pair.Link.Run(TimeSpan.FromSeconds(5));
        channel.Close();
        pair.Link.Run(TimeSpan.FromSeconds(5));
        pair.Link.LossRate = 0;
        pair.Link.Capture = false;
        var captured = pair.Link.Captured.ToList();
        Assert.True(captured.Count > 50);

        var random = new Random(seed);
        for (var i = 0; i < 4000; i++)
        {
            var (toB, original) = captured[random.Next(captured.Count)];
            var packet = (byte[])original.Clone();
            switch (random.Next(3))
            {
                case 0:
                    // Truncated, checksum recomputed so the chunk parser sees the damage.
                    packet = packet[..random.Next(0, packet.Length)];
                    if (packet.Length >= 12)
                    {
                        SctpCommonHeader.WriteChecksum(packet);
                    }

                    break;
                case 1:
                    // Bit flips (as on the wire: the checksum no longer matches).
                    for (var k = random.Next(1, 4); k > 0; k--)
                    {
                        packet[random.Next(packet.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                default:
                    // Verbatim replay: duplicates, old SACKs, old handshake chunks, old RE-CONFIG.
                    break;
            }

            (toB ? pair.B : pair.A).HandlePacket(packet);
        }

        var a = pair.A.GetStats().Counters;
        var b = pair.B.GetStats().Counters;
        Assert.True(a.BadChecksums + b.BadChecksums > 1000);
        Assert.True(a.MalformedPackets + b.MalformedPackets > 100);
        Assert.True(b.DuplicateTsns > 100);
        AssertStillWorks(pair);
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public void HandlePacket_ChunkSoupWithValidTagAndChecksum_NeverThrows(int seed)
    {
        // Well-framed chunks of every type with random bodies and our own tag: the association may legitimately
        // abort or shut down (the peer "said so"), but must never throw or corrupt its state.
        using var pair = new SctpPair(seed);
        var (_, tagOfB) = SctpTestPackets.Establish(pair);
        var random = new Random(seed);
        byte[] types = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 64, 130, 132, 192, 194, 0x3F, 0x7F, 0xBF, 0xFF];
        for (var i = 0; i < 3000; i++)
        {
            var chunks = new byte[random.Next(1, 4)][];
            for (var k = 0; k < chunks.Length; k++)
            {
                var body = new byte[random.Next(0, 64)];
                random.NextBytes(body);
                chunks[k] = SctpTestPackets.Chunk(types[random.Next(types.Length)], (byte)random.Next(256), body);
            }

            pair.B.HandlePacket(SctpTestPackets.Build(random.Next(4) == 0 ? 0 : tagOfB, chunks));
            pair.Link.Run(TimeSpan.FromMilliseconds(random.Next(0, 3)));
        }

        var state = pair.B.State;
        Assert.True(Enum.IsDefined(state));
        Assert.True(pair.B.GetStats().Counters.PacketsReceived >= 3000);
    }

    private static void AssertStillWorks(SctpPair pair)
    {
        pair.ReceivedByA.Clear();
        pair.ReceivedByB.Clear();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(SctpSendStatus.Queued, pair.A.Send(9, 53, [(byte)i]));
            Assert.Equal(SctpSendStatus.Queued, pair.B.Send(9, 53, [(byte)i]));
        }

        Assert.True(
            pair.Link.RunUntil(() => pair.ReceivedByA.Count(m => m.StreamId == 9) == 20 && pair.ReceivedByB.Count(m => m.StreamId == 9) == 20, TimeSpan.FromSeconds(20)),
            $"A got {pair.ReceivedByA.Count}, B got {pair.ReceivedByB.Count}; A={pair.A.State} B={pair.B.State}");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (byte)i), pair.ReceivedByB.Where(m => m.StreamId == 9).Select(m => m.Payload[0]));
    }
}
