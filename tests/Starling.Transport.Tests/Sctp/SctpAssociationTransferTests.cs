using System.Buffers.Binary;
using Starling.Transport.Sctp;

namespace Starling.Transport.Tests.Sctp;

public sealed class SctpAssociationTransferTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Send_500OrderedMessagesWithLossAndReordering_ArriveExactlyOnceInOrder(int seed)
    {
        using var pair = new SctpPair(seed);
        pair.ConnectBoth();
        pair.Link.LossRate = 0.05;
        pair.Link.Jitter = TimeSpan.FromMilliseconds(8);
        pair.Link.DuplicateRate = 0.01;

        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(SctpSendStatus.Queued, pair.A.Send(2, 53, Numbered(i, 10 + (i * 37 % 1500))));
        }

        Assert.True(pair.Link.RunUntil(() => pair.ReceivedByB.Count >= 500, TimeSpan.FromMinutes(2)), $"received {pair.ReceivedByB.Count}");
        pair.Link.Run(TimeSpan.FromSeconds(2));
        Assert.Equal(500, pair.ReceivedByB.Count);
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(pair.ReceivedByB[i].Payload));
            Assert.Equal(10 + (i * 37 % 1500), pair.ReceivedByB[i].Payload.Length);
        }

        var stats = pair.A.GetStats();
        Assert.True(stats.Counters.Retransmissions > 0);
        Assert.Equal(0, stats.OutstandingChunks);
        Assert.Equal(SctpAssociationState.Established, pair.A.State);
    }

    [Theory]
    [InlineData(15 * 1024)]
    [InlineData(200 * 1024)]
    [InlineData(256 * 1024)]
    public void Send_LargeMessage_FragmentedAndReassembled(int size)
    {
        using var pair = new SctpPair();
        pair.ConnectBoth();
        pair.Link.Capture = true;
        var payload = new byte[size];
        new Random(size).NextBytes(payload);

        Assert.Equal(SctpSendStatus.Queued, pair.A.Send(4, 53, payload));
        Assert.True(pair.Link.RunUntil(() => pair.ReceivedByB.Count == 1, TimeSpan.FromSeconds(20)));
        Assert.Equal(payload, pair.ReceivedByB[0].Payload);
        Assert.All(pair.Link.Captured, p => Assert.True(p.Packet.Length <= 1200));
    }

    [Fact]
    public void Send_LargeMessagesUnderLoss_ReassembledIntact()
    {
        using var pair = new SctpPair(5);
        pair.ConnectBoth();
        pair.Link.LossRate = 0.05;
        pair.Link.Jitter = TimeSpan.FromMilliseconds(5);
        var payloads = new List<byte[]>();
        for (var i = 0; i < 5; i++)
        {
            var p = new byte[40_000 + (i * 7_000)];
            new Random(i).NextBytes(p);
            payloads.Add(p);
            pair.A.Send(6, 53, p);
        }

        Assert.True(pair.Link.RunUntil(() => pair.ReceivedByB.Count == 5, TimeSpan.FromMinutes(1)));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(payloads[i], pair.ReceivedByB[i].Payload);
        }
    }

    [Fact]
    public void Send_MessageLargerThanMax_Rejected()
    {
        using var pair = new SctpPair();
        Assert.Equal(SctpSendStatus.MessageTooLarge, pair.A.Send(0, 53, new byte[262145]));
        Assert.Equal(SctpSendStatus.EmptyMessage, pair.A.Send(0, 53, []));
    }

    [Fact]
    public void Send_Unordered_AllDeliveredEvenWhenEarlierOnesAreLate()
    {
        using var pair = new SctpPair();
        pair.ConnectBoth();
        var dropFirstData = true;
        pair.Link.Drop = (toB, p) =>
        {
            if (toB && dropFirstData && IsData(p))
            {
                dropFirstData = false;
                return true;
            }

            return false;
        };

        for (var i = 0; i < 20; i++)
        {
            pair.A.Send(8, 53, Numbered(i, 100), new SctpSendOptions(Unordered: true));
        }

        Assert.True(pair.Link.RunUntil(() => pair.ReceivedByB.Count == 20, TimeSpan.FromSeconds(10)));
        Assert.All(pair.ReceivedByB, m => Assert.True(m.Unordered));
        var order = pair.ReceivedByB.Select(m => BinaryPrimitives.ReadInt32BigEndian(m.Payload)).ToList();
        Assert.Equal(Enumerable.Range(0, 20), order.Order());
        Assert.NotEqual(0, order[0]); // the lost first message was overtaken
    }

    [Fact]
    public void Send_MaxRetransmitsZeroUnderLoss_AbandonedAndStreamKeepsGoing()
    {
        using var pair = new SctpPair(11);
        pair.ConnectBoth();
        pair.Link.LossRate = 0.2;
        var reliable = new List<int>();
        for (var i = 0; i < 300; i++)
        {
            pair.A.Send(10, 53, Numbered(i, 200), new SctpSendOptions(Unordered: true, MaxRetransmits: 0));
        }

        pair.Link.RunUntil(() => pair.A.GetStats().OutstandingChunks == 0 && pair.A.GetStats().SendBufferedBytes == 0, TimeSpan.FromSeconds(30));
        var lossy = pair.ReceivedByB.Count;
        Assert.InRange(lossy, 150, 299);
        Assert.True(pair.A.GetStats().Counters.AbandonedMessages > 0);
        Assert.True(pair.A.GetStats().Counters.ForwardTsnsSent > 0);
        Assert.True(pair.B.GetStats().Counters.ForwardTsnsReceived > 0);

        // Later messages still flow once the link is clean again, on the same stream and on an ordered one.
        pair.Link.LossRate = 0;
        pair.ReceivedByB.Clear();
        for (var i = 0; i < 10; i++)
        {
            pair.A.Send(10, 53, Numbered(1000 + i, 50), new SctpSendOptions(Unordered: true, MaxRetransmits: 0));
            pair.A.Send(12, 53, Numbered(2000 + i, 50));
        }

        Assert.True(pair.Link.RunUntil(() => pair.ReceivedByB.Count == 20, TimeSpan.FromSeconds(10)));
        Assert.True(pair.Link.RunUntil(() => pair.A.GetStats().OutstandingChunks == 0, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Send_OrderedPartiallyReliableUnderLoss_ForwardTsnSkipsSsnAndLaterMessagesArrive()
    {
        using var pair = new SctpPair(21);
        pair.ConnectBoth();
        pair.Link.LossRate = 0.15;
        for (var i = 0; i < 200; i++)
        {
            pair.A.Send(14, 53, Numbered(i, 3000), new SctpSendOptions(MaxRetransmits: 1));
        }

        pair.Link.RunUntil(() => pair.A.GetStats().OutstandingChunks == 0 && pair.A.GetStats().SendBufferedBytes == 0, TimeSpan.FromSeconds(60));
        pair.Link.LossRate = 0;
        pair.A.Send(14, 53, Numbered(999, 10), new SctpSendOptions(MaxRetransmits: 1));
        Assert.True(pair.Link.RunUntil(() => pair.ReceivedByB.Any(m => BinaryPrimitives.ReadInt32BigEndian(m.Payload) == 999), TimeSpan.FromSeconds(10)));

        var order = pair.ReceivedByB.Select(m => BinaryPrimitives.ReadInt32BigEndian(m.Payload)).ToList();
        Assert.Equal(order.Order(), order); // still in order, gaps allowed
        Assert.Equal(order.Distinct().Count(), order.Count);
        Assert.All(pair.ReceivedByB, m => Assert.True(m.Payload.Length is 3000 or 10));
    }

    [Fact]
    public void Send_LifetimeExpired_MessageAbandonedNotDelivered()
    {
        using var pair = new SctpPair();
        pair.ConnectBoth();
        pair.Link.Drop = (toB, p) => toB && IsData(p);
        pair.A.Send(16, 53, Numbered(1, 100), new SctpSendOptions(Lifetime: TimeSpan.FromMilliseconds(300)));
        pair.Link.Run(TimeSpan.FromSeconds(2));
        pair.Link.Drop = null;
        pair.A.Send(16, 53, Numbered(2, 100), new SctpSendOptions(Lifetime: TimeSpan.FromSeconds(5)));
        Assert.True(pair.Link.RunUntil(() => pair.ReceivedByB.Count == 1, TimeSpan.FromSeconds(5)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(pair.ReceivedByB[0].Payload));
        Assert.Equal(1, pair.A.GetStats().Counters.AbandonedMessages);
    }

    [Fact]
    public void CongestionWindow_BulkTransfer_GrowsFromInitialWindow()
    {
        using var pair = new SctpPair();
        pair.ConnectBoth();
        var initial = pair.A.GetStats().CongestionWindow;
        Assert.Equal(4380, initial); // RFC 9260 §7.2.1: min(4*MTU, max(2*MTU, 4380)) for MTU 1200

        for (var i = 0; i < 100; i++)
        {
            pair.A.Send(18, 53, new byte[10_000]);
        }

        var maxFlight = 0L;
        pair.Link.RunUntil(
            () =>
            {
                maxFlight = Math.Max(maxFlight, pair.A.GetStats().FlightSize);
                return pair.ReceivedByB.Count == 100;
            },
            TimeSpan.FromSeconds(30));
        Assert.Equal(100, pair.ReceivedByB.Count);
        Assert.True(pair.A.GetStats().CongestionWindow > 10 * initial, $"cwnd {pair.A.GetStats().CongestionWindow}");
        Assert.True(maxFlight > initial);
    }

    [Fact]
    public void CongestionWindow_Timeout_CollapsesToOneMtu()
    {
        using var pair = new SctpPair();
        pair.ConnectBoth();
        for (var i = 0; i < 50; i++)
        {
            pair.A.Send(18, 53, new byte[5_000]);
        }

        pair.Link.RunUntil(() => pair.ReceivedByB.Count == 50, TimeSpan.FromSeconds(30));
        pair.Link.Drop = (toB, _) => !toB; // lose every SACK
        pair.A.Send(18, 53, new byte[5_000]);
        pair.Link.RunUntil(() => pair.A.GetStats().Counters.RetransmissionTimeouts > 0, TimeSpan.FromSeconds(5));
        Assert.Equal(1200, pair.A.GetStats().CongestionWindow);
        pair.Link.Drop = null;
        Assert.True(pair.Link.RunUntil(() => pair.A.GetStats().OutstandingChunks == 0, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void FlowControl_SmallReceiveWindowAndHeldData_SenderStaysWithinWindowUntilGapFills()
    {
        var small = SctpPair.FastOptions(o => o.ReceiveBufferSize = 8 * 1024);
        using var pair = new SctpPair(3, optionsB: small);
        pair.ConnectBoth();

        // Lose the first DATA for a while so B must hold everything after it (ordered stream): the window fills.
        var firstTsnDrops = 0;
        uint? firstTsn = null;
        pair.Link.Drop = (toB, p) =>
        {
            if (!toB || !IsData(p))
            {
                return false;
            }

            var tsn = BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(16));
            firstTsn ??= tsn;
            return tsn == firstTsn && firstTsnDrops++ < 3;
        };

        for (var i = 0; i < 60; i++)
        {
            pair.A.Send(20, 53, Numbered(i, 1000));
        }

        var maxOutstanding = 0L;
        var stalled = false;
        Assert.True(pair.Link.RunUntil(
            () =>
            {
                var s = pair.A.GetStats();
                maxOutstanding = Math.Max(maxOutstanding, s.FlightSize);
                stalled |= s.PeerReceiverWindow == 0 && s.SendBufferedBytes > 0;
                return pair.ReceivedByB.Count == 60;
            },
            TimeSpan.FromSeconds(60)));

        Assert.True(stalled, "sender never saw a closed window");
        Assert.True(maxOutstanding <= (8 * 1024) + 1200, $"flight {maxOutstanding} exceeded the window");
        Assert.Equal(Enumerable.Range(0, 60), pair.ReceivedByB.Select(m => BinaryPrimitives.ReadInt32BigEndian(m.Payload)));
    }

    [Fact]
    public void SendBuffer_Full_ReportsBackpressure()
    {
        var opts = SctpPair.FastOptions(o => o.MaxSendBufferSize = 10_000);
        using var pair = new SctpPair(optionsA: opts);
        Assert.Equal(SctpSendStatus.Queued, pair.A.Send(0, 53, new byte[6_000]));
        Assert.Equal(SctpSendStatus.BufferFull, pair.A.Send(0, 53, new byte[6_000]));
        Assert.Equal(6_000, pair.A.GetBufferedAmount(0));
    }

    [Fact]
    public void BufferedAmountLow_FiresWhenQueueDrains()
    {
        using var pair = new SctpPair();
        var lows = new List<ushort>();
        pair.A.BufferedAmountLow += s => lows.Add(s);
        pair.A.SetBufferedAmountLowThreshold(3, 1000);
        pair.A.Send(3, 53, new byte[50_000]);
        Assert.Equal(50_000, pair.A.GetBufferedAmount(3));
        pair.ConnectBoth();
        Assert.True(pair.Link.RunUntil(() => pair.ReceivedByB.Count == 1, TimeSpan.FromSeconds(10)));
        Assert.Equal([(ushort)3], lows);
        Assert.Equal(0, pair.A.GetBufferedAmount(3));
    }

    [Fact]
    public void Sack_SinglePacket_DelayedUpTo200Ms()
    {
        using var pair = new SctpPair();
        pair.ConnectBoth();
        pair.Link.Run(TimeSpan.FromSeconds(1));
        pair.A.Send(1, 53, [1]);
        Assert.True(pair.Link.RunUntil(() => pair.ReceivedByB.Count == 1, TimeSpan.FromMilliseconds(50)));
        pair.Link.Run(TimeSpan.FromMilliseconds(150));
        Assert.Equal(1, pair.A.GetStats().OutstandingChunks); // SACK still delayed
        Assert.True(pair.Link.RunUntil(() => pair.A.GetStats().OutstandingChunks == 0, TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void Sack_EverySecondPacket_SentImmediately()
    {
        using var pair = new SctpPair();
        pair.ConnectBoth();
        pair.Link.Run(TimeSpan.FromSeconds(1));
        var sacksBefore = pair.B.GetStats().Counters.SacksSent;
        pair.A.Send(1, 53, new byte[1100]);
        pair.A.Send(1, 53, new byte[1100]);
        Assert.True(pair.Link.RunUntil(() => pair.A.GetStats().OutstandingChunks == 0, TimeSpan.FromMilliseconds(40)));
        Assert.Equal(sacksBefore + 1, pair.B.GetStats().Counters.SacksSent);
    }

    [Fact]
    public void Send_QueuedSmallMessages_BundledIntoFewPacketsAndSacksPiggyback()
    {
        using var pair = new SctpPair();
        pair.Link.Capture = true;
        for (var i = 0; i < 30; i++)
        {
            pair.A.Send((ushort)(i % 3), 51, new byte[20]);
        }

        pair.ConnectBoth();
        Assert.True(pair.Link.RunUntil(() => pair.ReceivedByB.Count == 30, TimeSpan.FromSeconds(2)));
        var dataPackets = pair.Link.Captured.Count(p => p.ToB && SctpTestPackets.ChunkTypes(p.Packet).Contains(SctpChunkType.Data));
        Assert.True(dataPackets <= 2, $"{dataPackets} packets for 30 small messages");

        // Request/response: B's answer carries the SACK for A's message in the same packet.
        pair.Link.Run(TimeSpan.FromSeconds(1));
        pair.Link.Captured.Clear();
        pair.B.MessageReceived += m => pair.B.Send(m.StreamId, 51, [2]);
        pair.A.Send(1, 51, [1]);
        Assert.True(pair.Link.RunUntil(() => pair.ReceivedByA.Count == 1, TimeSpan.FromSeconds(1)));
        var answer = pair.Link.Captured.First(p => !p.ToB).Packet;
        Assert.Equal([SctpChunkType.Sack, SctpChunkType.Data], SctpTestPackets.ChunkTypes(answer));
    }

    [Fact]
    public void Receive_MessageAboveOurMaximum_AbortsWithProtocolViolation()
    {
        var strict = new SctpAssociationOptions { MaxMessageSize = 4000 };
        using var pair = new SctpPair(optionsB: strict);
        pair.ConnectBoth();
        pair.A.Send(1, 53, new byte[10_000]);
        Assert.True(pair.Link.RunUntil(() => pair.ClosedA is not null, TimeSpan.FromSeconds(2)));
        Assert.Equal(SctpCloseReason.ProtocolViolation, pair.ClosedB!.Value.Reason);
        Assert.Equal(SctpCloseReason.AbortedByPeer, pair.ClosedA!.Value.Reason);
    }

    [Fact]
    public void Receive_StreamBeyondNegotiatedCount_ErrorReportedAndDataAcked()
    {
        var fewStreams = new SctpAssociationOptions { InboundStreams = 4 };
        using var pair = new SctpPair(optionsB: fewStreams);
        pair.ConnectBoth();
        Assert.Equal(4, pair.A.OutboundStreamCount);
        pair.A.Send(10, 53, [1]);
        pair.A.Send(1, 53, [2]);
        Assert.True(pair.Link.RunUntil(() => pair.A.GetStats().Counters.ErrorsReceived == 1 && pair.A.GetStats().OutstandingChunks == 0, TimeSpan.FromSeconds(2)));
        Assert.Equal([2], pair.ReceivedByB.Select(m => m.Payload[0]));
    }

    internal static byte[] Numbered(int n, int size)
    {
        var b = new byte[Math.Max(4, size)];
        BinaryPrimitives.WriteInt32BigEndian(b, n);
        return b;
    }

    internal static bool IsData(byte[] packet) => packet.Length > 12 && packet[12] == 0;
}
