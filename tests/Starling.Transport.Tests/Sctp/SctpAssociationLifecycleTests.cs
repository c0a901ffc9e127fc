using System.Buffers.Binary;
using Starling.Transport.Sctp;

namespace Starling.Transport.Tests.Sctp;

public sealed class SctpAssociationLifecycleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Connect_BothSidesOnLossyReorderingLink_AlwaysEstablishes(int seed)
    {
        using var pair = new SctpPair(seed);
        pair.Link.LossRate = 0.3;
        pair.Link.Jitter = TimeSpan.FromMilliseconds(30);
        pair.Link.DuplicateRate = 0.1;
        pair.ConnectBoth(TimeSpan.FromSeconds(60));
        pair.A.Send(1, 53, [42]);
        pair.B.Send(1, 53, [43]);
        Assert.True(pair.Link.RunUntil(() => pair.ReceivedByA.Count == 1 && pair.ReceivedByB.Count == 1, TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(15)]
    [InlineData(25)]
    [InlineData(100)]
    public void Connect_SecondSideConnectsLate_Establishes(int delayMs)
    {
        using var pair = new SctpPair();
        pair.A.Connect();
        pair.Link.Run(TimeSpan.FromMilliseconds(delayMs));
        pair.B.Connect();
        Assert.True(pair.Link.RunUntil(() => pair.BothEstablished, TimeSpan.FromSeconds(10)));
        pair.A.Send(1, 53, [1]);
        Assert.True(pair.Link.RunUntil(() => pair.ReceivedByB.Count == 1, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Connect_FirstInitsLost_T1InitRetransmits()
    {
        using var pair = new SctpPair();
        var dropped = 0;
        pair.Link.Drop = (toB, p) => toB && p[12] == (byte)SctpChunkType.Init && dropped < 2 && ++dropped > 0;
        pair.A.Connect();
        Assert.False(pair.Link.RunUntil(() => pair.BothEstablished, TimeSpan.FromMilliseconds(400)));
        Assert.True(pair.Link.RunUntil(() => pair.BothEstablished, TimeSpan.FromSeconds(5)));
        Assert.Equal(2, dropped);
    }

    [Fact]
    public void Connect_CookieEchoLost_T1CookieRetransmits()
    {
        using var pair = new SctpPair();
        var dropped = 0;
        pair.Link.Drop = (toB, p) => toB && p[12] == (byte)SctpChunkType.CookieEcho && dropped < 1 && ++dropped > 0;
        pair.A.Connect();
        Assert.True(pair.Link.RunUntil(() => pair.BothEstablished, TimeSpan.FromSeconds(5)));
        Assert.Equal(1, dropped);
    }

    [Fact]
    public void Connect_NoAnswer_FailsAfterMaxInitRetransmits()
    {
        using var pair = new SctpPair();
        pair.Link.Drop = (_, _) => true;
        pair.A.Connect();
        Assert.True(pair.Link.RunUntil(() => pair.ClosedA is not null, TimeSpan.FromMinutes(10)));
        Assert.Equal(SctpCloseReason.InitFailed, pair.ClosedA!.Value.Reason);
    }

    [Fact]
    public void Connect_StaleCookie_ErrorThenNewInitSucceedsOnFasterPath()
    {
        var shortCookie = new SctpAssociationOptions { CookieLifetime = TimeSpan.FromMilliseconds(50), RtoMin = TimeSpan.FromMilliseconds(200) };
        using var pair = new SctpPair(optionsB: shortCookie);
        pair.Link.Delay = TimeSpan.FromMilliseconds(40);
        pair.A.Connect();
        Assert.True(pair.Link.RunUntil(() => pair.B.GetStats().Counters.StaleCookies > 0, TimeSpan.FromSeconds(2)));
        pair.Link.Delay = TimeSpan.FromMilliseconds(5);
        Assert.True(pair.Link.RunUntil(() => pair.BothEstablished, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Restart_PeerComesBackWithNewAssociation_RestartedAndUsable()
    {
        using var pair = new SctpPair();
        pair.ConnectBoth();
        var restarted = 0;
        pair.B.Restarted += () => restarted++;

        // A loses all state: a new association takes its place on the same link and connects again.
        using var a2 = new SctpAssociation(pair.Link.AtoB, SctpPair.FastOptions(), pair.Time, new Random(99));
        var got = new List<SctpMessage>();
        a2.MessageReceived += got.Add;
        pair.Link.A = a2;
        a2.Connect();
        Assert.True(pair.Link.RunUntil(() => a2.State == SctpAssociationState.Established && restarted == 1, TimeSpan.FromSeconds(5)));
        pair.B.Send(3, 53, [7]);
        Assert.True(pair.Link.RunUntil(() => got.Count == 1, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Heartbeat_IdleAssociation_SentAndAnswered()
    {
        var options = SctpPair.FastOptions(o => o.HeartbeatInterval = TimeSpan.FromSeconds(1));
        using var pair = new SctpPair(optionsA: options);
        pair.ConnectBoth();
        pair.Link.Run(TimeSpan.FromSeconds(5));
        var a = pair.A.GetStats();
        Assert.True(a.Counters.HeartbeatsSent >= 2);
        Assert.True(pair.B.GetStats().Counters.HeartbeatsReceived >= 2);
        Assert.NotNull(a.SmoothedRtt);
        Assert.Equal(SctpAssociationState.Established, pair.A.State);
    }

    [Fact]
    public void Heartbeat_HandCrafted_EchoedBackVerbatim()
    {
        using var pair = new SctpPair();
        var (_, tagOfB) = SctpTestPackets.Establish(pair);
        pair.Link.Capture = true;
        byte[] info = [1, 2, 3, 4, 5, 6, 7];
        pair.B.HandlePacket(SctpTestPackets.Build(tagOfB, SctpTestPackets.Heartbeat(info)));
        var reply = pair.Link.Captured.Single(p => !p.ToB).Packet;
        var rest = reply.AsSpan(SctpCommonHeader.Size);
        Assert.True(SctpChunk.TryRead(rest, out var c, out var used));
        Assert.True(HeartbeatChunk.TryRead(rest[..used], out var ack, out _));
        Assert.True(ack.IsAck);
        Assert.Equal(info, ack.Information.ToArray());
    }

    [Fact]
    public void Heartbeat_PeerGone_AssociationFailsAfterMaxRetransmissions()
    {
        var options = SctpPair.FastOptions(o =>
        {
            o.HeartbeatInterval = TimeSpan.FromSeconds(1);
            o.MaxRetransmissions = 3;
        });
        using var pair = new SctpPair(optionsA: options);
        pair.ConnectBoth();
        pair.Link.Drop = (_, _) => true;
        Assert.True(pair.Link.RunUntil(() => pair.ClosedA is not null, TimeSpan.FromMinutes(2)));
        Assert.Equal(SctpCloseReason.PeerUnreachable, pair.ClosedA!.Value.Reason);
    }

    [Fact]
    public void Retransmissions_PeerGone_AssociationFails()
    {
        var options = SctpPair.FastOptions(o => o.MaxRetransmissions = 4);
        using var pair = new SctpPair(optionsA: options);
        pair.ConnectBoth();
        pair.Link.Drop = (_, _) => true;
        pair.A.Send(1, 53, new byte[100]);
        Assert.True(pair.Link.RunUntil(() => pair.ClosedA is not null, TimeSpan.FromMinutes(5)));
        Assert.Equal(SctpCloseReason.PeerUnreachable, pair.ClosedA!.Value.Reason);
        Assert.Equal(5, pair.A.GetStats().Counters.RetransmissionTimeouts);
    }

    [Fact]
    public void Abort_Local_PeerTornDownWithReason()
    {
        using var pair = new SctpPair();
        pair.ConnectBoth();
        pair.A.Abort("going away");
        Assert.True(pair.Link.RunUntil(() => pair.ClosedB is not null, TimeSpan.FromSeconds(1)));
        Assert.Equal(SctpCloseReason.AbortedLocally, pair.ClosedA!.Value.Reason);
        Assert.Equal(SctpCloseReason.AbortedByPeer, pair.ClosedB!.Value.Reason);
        Assert.Contains("going away", pair.ClosedB.Value.Detail, StringComparison.Ordinal);
        Assert.Equal(SctpAssociationState.Closed, pair.B.State);
        Assert.Equal(SctpSendStatus.InvalidState, pair.B.Send(1, 53, [1]));
    }

    [Fact]
    public void Abort_WithWrongTag_Ignored()
    {
        using var pair = new SctpPair();
        var (_, tagOfB) = SctpTestPackets.Establish(pair);
        pair.B.HandlePacket(SctpTestPackets.Build(tagOfB + 1, SctpTestPackets.Chunk(6, 0)));
        pair.B.HandlePacket(SctpTestPackets.Build(tagOfB, SctpTestPackets.Chunk(6, AbortChunk.FlagT)));
        Assert.Equal(SctpAssociationState.Established, pair.B.State);
        Assert.Equal(2, pair.B.GetStats().Counters.BadVerificationTags);
        pair.B.HandlePacket(SctpTestPackets.Build(tagOfB, SctpTestPackets.Chunk(6, 0)));
        Assert.Equal(SctpAssociationState.Closed, pair.B.State);
    }

    [Fact]
    public void Shutdown_Graceful_QueuedDataDeliveredThenBothClosed()
    {
        using var pair = new SctpPair(3);
        pair.ConnectBoth();
        pair.Link.LossRate = 0.1;
        for (var i = 0; i < 50; i++)
        {
            pair.A.Send(1, 53, new byte[2000]);
        }

        pair.A.Shutdown();
        Assert.Equal(SctpSendStatus.InvalidState, pair.A.Send(1, 53, [1]));
        Assert.True(pair.Link.RunUntil(() => pair.ClosedA is not null && pair.ClosedB is not null, TimeSpan.FromSeconds(60)));
        Assert.Equal(50, pair.ReceivedByB.Count);
        Assert.Equal(SctpCloseReason.Shutdown, pair.ClosedA!.Value.Reason);
        Assert.Equal(SctpCloseReason.Shutdown, pair.ClosedB!.Value.Reason);
    }

    [Fact]
    public void Packet_BadChecksumWrongTagWrongPort_DroppedAndCounted()
    {
        using var pair = new SctpPair();
        var (_, tagOfB) = SctpTestPackets.Establish(pair);
        var good = SctpTestPackets.Build(tagOfB, SctpTestPackets.Heartbeat([1]));
        var badCrc = (byte[])good.Clone();
        badCrc[^1] ^= 0x40;
        var wrongPort = (byte[])good.Clone();
        wrongPort[1] = 0x99;
        SctpCommonHeader.WriteChecksum(wrongPort);

        pair.B.HandlePacket(badCrc);
        pair.B.HandlePacket(SctpTestPackets.Build(tagOfB ^ 0x1000, SctpTestPackets.Heartbeat([1])));
        pair.B.HandlePacket(wrongPort);
        pair.B.HandlePacket(good.AsSpan(0, 10));

        var c = pair.B.GetStats().Counters;
        Assert.Equal(1, c.BadChecksums);
        Assert.Equal(1, c.BadVerificationTags);
        Assert.Equal(1, c.WrongPorts);
        Assert.Equal(1, c.MalformedPackets);
        Assert.Equal(0, c.HeartbeatsReceived);
    }

    [Theory]
    [InlineData(0x3F, false, false)] // 00: stop processing the packet, do not report
    [InlineData(0x7F, false, true)] // 01: stop, report Unrecognized Chunk Type
    [InlineData(0xBF, true, false)] // 10: skip, continue
    [InlineData(0xFF, true, true)] // 11: skip, continue, report
    public void UnknownChunk_UpperTwoBits_DecideSkipAndReport(byte type, bool continues, bool reports)
    {
        using var pair = new SctpPair();
        var (_, tagOfB) = SctpTestPackets.Establish(pair);
        pair.Link.Capture = true;
        pair.B.HandlePacket(SctpTestPackets.Build(tagOfB, SctpTestPackets.Chunk(type, 0, 1, 2, 3), SctpTestPackets.Heartbeat([9])));
        var replies = pair.Link.Captured.Where(p => !p.ToB).SelectMany(p => SctpTestPackets.ChunkTypes(p.Packet)).ToList();
        Assert.Equal(continues, replies.Contains(SctpChunkType.HeartbeatAck));
        Assert.Equal(reports, replies.Contains(SctpChunkType.Error));
        Assert.Equal(1, pair.B.GetStats().Counters.UnknownChunks);
    }

    [Fact]
    public void Data_WithoutUserData_AbortNoUserData()
    {
        using var pair = new SctpPair();
        var (_, tagOfB) = SctpTestPackets.Establish(pair);
        var empty = new byte[16];
        new DataChunk(DataChunk.FlagBeginning | DataChunk.FlagEnd, 12345, 1, 0, 53, []).TryWrite(empty, out _);
        pair.B.HandlePacket(SctpTestPackets.Build(tagOfB, empty));
        Assert.Equal(SctpAssociationState.Closed, pair.B.State);
        Assert.Equal(SctpCloseReason.ProtocolViolation, pair.ClosedB!.Value.Reason);
        Assert.True(pair.Link.RunUntil(() => pair.ClosedA is not null, TimeSpan.FromSeconds(1)));
        Assert.Equal(SctpCloseReason.AbortedByPeer, pair.ClosedA!.Value.Reason);
    }

    [Fact]
    public void OutOfTheBlue_NonInitToClosedAssociation_AnsweredWithTBitAbort()
    {
        using var pair = new SctpPair();
        pair.Link.Capture = true;
        pair.B.HandlePacket(SctpTestPackets.Build(0x1234, SctpTestPackets.Heartbeat([1])));
        pair.B.HandlePacket(SctpTestPackets.Build(0x1234, SctpTestPackets.Chunk(6, 0))); // ABORT: never answered
        var reply = Assert.Single(pair.Link.Captured).Packet;
        Assert.Equal(0x1234u, SctpTestPackets.Tag(reply));
        Assert.Equal([SctpChunkType.Abort], SctpTestPackets.ChunkTypes(reply));
        Assert.Equal(AbortChunk.FlagT, reply[13]);
        Assert.Equal(2, pair.B.GetStats().Counters.OutOfTheBluePackets);
    }

    [Fact]
    public void Init_BundledWithOtherChunks_Dropped()
    {
        using var pair = new SctpPair();
        pair.Link.Capture = true;
        var init = new byte[20];
        new InitChunk(false, 77, 100000, 10, 10, 1, []).TryWrite(init, out _);
        pair.B.HandlePacket(SctpTestPackets.Build(0, init, SctpTestPackets.Heartbeat([1])));
        Assert.Empty(pair.Link.Captured);
        pair.B.HandlePacket(SctpTestPackets.Build(0, init));
        var initAck = Assert.Single(pair.Link.Captured).Packet;
        Assert.Equal(77u, SctpTestPackets.Tag(initAck));
        Assert.Equal([SctpChunkType.InitAck], SctpTestPackets.ChunkTypes(initAck));
    }

    [Fact]
    public void Init_UnknownParametersToReport_EchoedAsUnrecognizedParameter()
    {
        using var pair = new SctpPair();
        pair.Link.Capture = true;
        byte[] parameters = [0x40, 0x01, 0x00, 0x05, 0xAA, 0, 0, 0, 0xC0, 0x02, 0x00, 0x04]; // 0x4001 (01: stop+report)
        var init = new byte[20 + parameters.Length];
        new InitChunk(false, 77, 100000, 10, 10, 1, parameters).TryWrite(init, out _);
        pair.B.HandlePacket(SctpTestPackets.Build(0, init));
        var initAck = Assert.Single(pair.Link.Captured).Packet;
        Assert.True(InitChunk.TryRead(initAck.AsSpan(12), out var ack, out _));
        var found = false;
        var rest = ack.Parameters;
        while (SctpParameter.TryRead(rest, out var p, out var used))
        {
            if (p.Type == (ushort)SctpParameterType.UnrecognizedParameter)
            {
                Assert.Equal(new byte[] { 0x40, 0x01, 0x00, 0x05, 0xAA }, p.Value.ToArray());
                found = true;
            }

            rest = rest[used..];
        }

        Assert.True(found);
    }

    [Fact]
    public void InitAck_AdvertisesForwardTsnAndReconfigButNotIData()
    {
        using var pair = new SctpPair();
        pair.Link.Capture = true;
        pair.A.Connect();
        pair.Link.RunUntil(() => pair.BothEstablished, TimeSpan.FromSeconds(2));
        foreach (var (_, packet) in pair.Link.Captured.Where(p => p.Packet[12] is 1 or 2))
        {
            Assert.True(InitChunk.TryRead(packet.AsSpan(12), out var init, out _));
            byte[]? extensions = null;
            var forwardTsnSupported = false;
            var rest = init.Parameters;
            while (SctpParameter.TryRead(rest, out var p, out var used))
            {
                extensions = p.Type == 0x8008 ? p.Value.ToArray() : extensions;
                forwardTsnSupported |= p.Type == 0xC000;
                rest = rest[used..];
            }

            Assert.Equal(new byte[] { 0xC0, 0x82 }, extensions);
            Assert.True(forwardTsnSupported);
            Assert.Equal(65535, init.OutboundStreams);
            Assert.Equal(1024u * 1024, init.AdvertisedReceiverWindowCredit);
        }
    }

    [Fact]
    public void DuplicateData_ReportedInSack()
    {
        using var pair = new SctpPair();
        pair.ConnectBoth();
        pair.Link.DuplicateRate = 1.0;
        pair.A.Send(1, 53, [1, 2, 3]);
        Assert.True(pair.Link.RunUntil(() => pair.B.GetStats().Counters.DuplicateTsns > 0, TimeSpan.FromSeconds(2)));
        pair.Link.Run(TimeSpan.FromSeconds(1));
        Assert.Single(pair.ReceivedByB);
    }
}
