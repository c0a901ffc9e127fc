using Starling.Sfu.Buffers;
using Starling.Sfu.Forwarding;
using Starling.Sfu.Routing;
using Starling.Wire.Rtcp;
using Starling.Wire.Rtp;

namespace Starling.Sfu.Tests.Routing;

public sealed class TrackRouterTests
{
    private const long Frequency = 1000; // timestamps in ms

    private static readonly uint[] LayerSsrcs = [0x1110, 0x2220, 0x3330];

    private static TrackRouter CreateRouter(RecordingFeedback? feedback = null) => new(
        new TrackRouterOptions
        {
            KeyframeDetector = KeyframeDetectors.Vp8,
            KeyframeRequestInterval = TimeSpan.FromMilliseconds(100),
            ReceiveStream = new ReceiveStreamOptions { PacketBuffer = new PacketBufferOptions { Capacity = 256, SlabBytes = 256 * 1500 } },
        },
        Frequency,
        feedback);

    private static DownTrackOptions Subscriber(uint ssrc, byte pt = 100, int target = 0, byte[]? map = null) => new()
    {
        Ssrc = ssrc,
        PayloadType = pt,
        ExtensionIdMap = map,
        Forwarder = new ForwarderOptions { InitialTargetLayer = target },
    };

    private static (uint Ssrc, int PayloadType, ushort SequenceNumber, uint Timestamp, byte[] Payload) Describe(byte[] bytes)
    {
        var packet = Read(bytes);
        return (packet.Ssrc, packet.PayloadType, packet.SequenceNumber, packet.Timestamp, packet.Payload.ToArray());
    }

    private static RtpPacket Read(byte[] bytes)
    {
        Assert.True(RtpPacket.TryRead(bytes, out var packet, out _));
        return packet;
    }

    [Fact]
    public void WriteRtp_FansOutWithEachSubscribersHeaders_PayloadUntouched()
    {
        using var router = CreateRouter();
        var a = new RecordingSink();
        var b = new RecordingSink();
        byte[] map = new byte[16];
        map[TestRtp.MidExtensionId] = 9; // keep mid under id 9, strip abs-send-time
        router.AddDownTrack(Subscriber(0xA, 100), a);
        router.AddDownTrack(Subscriber(0xB, 101, map: map), b);

        var source = TestRtp.Packet(500, 90_000, LayerSsrcs[0], keyframe: true, marker: true);
        Assert.Equal(2, router.WriteRtp(source, 0, 0));

        var pa = Read(a.Packets[0]);
        Assert.Equal((0xAu, (byte)100, (ushort)500, 90_000u, true), (pa.Ssrc, pa.PayloadType, pa.SequenceNumber, pa.Timestamp, pa.Marker));
        Assert.True(pa.TryGetExtension(TestRtp.MidExtensionId, out _));
        Assert.True(pa.TryGetExtension(TestRtp.AbsSendTimeExtensionId, out _));
        Assert.Equal(Read(source).Payload.ToArray(), pa.Payload.ToArray());

        var pb = Read(b.Packets[0]);
        Assert.Equal((0xBu, (byte)101), (pb.Ssrc, pb.PayloadType));
        Assert.True(pb.TryGetExtension(9, out var mid));
        Assert.Equal("0"u8.ToArray(), mid.ToArray());
        Assert.False(pb.TryGetExtension(TestRtp.AbsSendTimeExtensionId, out _));
        Assert.Equal(source.Length, pb.Length);
        Assert.True(a.MinTrailerSeen >= IRtpSink.TrailerCapacity);
    }

    [Fact]
    public void WriteRtp_DuplicateAndMalformed_AreNotForwarded()
    {
        using var router = CreateRouter();
        var sink = new RecordingSink();
        router.AddDownTrack(Subscriber(1), sink);
        var packet = TestRtp.Packet(1, 0, LayerSsrcs[0], keyframe: true);
        Assert.Equal(1, router.WriteRtp(packet, 0, 0));
        Assert.Equal(0, router.WriteRtp(packet, 0, 1));
        Assert.Equal(0, router.WriteRtp([1, 2, 3], 0, 1));
        Assert.Equal(0, router.WriteRtp(packet, 7, 1)); // layer out of range
        Assert.Single(sink.Packets);
        Assert.Equal(1, router.PacketsNotForwarded);
        Assert.Equal(2, router.PacketsRejected);
    }

    [Fact]
    public void WriteRtp_PaddingOnly_IsRecordedButNotForwarded_NoSequenceGap()
    {
        using var router = CreateRouter();
        var sink = new RecordingSink();
        router.AddDownTrack(Subscriber(1), sink);
        router.WriteRtp(TestRtp.Packet(10, 0, LayerSsrcs[0], keyframe: true), 0, 0);
        router.WriteRtp(TestRtp.Packet(11, 0, LayerSsrcs[0], paddingOnly: true), 0, 1);
        router.WriteRtp(TestRtp.Packet(12, 3000, LayerSsrcs[0]), 0, 33);
        Assert.Equal([10, 11], sink.Packets.Select(p => (int)Read(p).SequenceNumber));
        Assert.Equal(1, router.GetStream(0)!.Stats.PaddingPackets);
    }

    [Fact]
    public void Simulcast_SwitchAtKeyframe_RequestsKeyframesThrottledAcrossSubscribers()
    {
        var feedback = new RecordingFeedback();
        using var router = CreateRouter(feedback);
        var sinks = Enumerable.Range(0, 5).Select(_ => new RecordingSink()).ToArray();
        var tracks = sinks.Select((s, i) => router.AddDownTrack(Subscriber((uint)(100 + i)), s)).ToArray();
        ushort[] seq = [1000, 30000, 60000];
        uint[] ts = [10_000, 2_000_000, 4_000_000];
        void Frame(long now, int layer, bool key)
        {
            router.WriteRtp(TestRtp.Packet(seq[layer]++, ts[layer], LayerSsrcs[layer], keyframe: key), layer, now);
            router.WriteRtp(TestRtp.Packet(seq[layer]++, ts[layer], LayerSsrcs[layer], marker: true), layer, now);
            ts[layer] += 3000;
        }

        Frame(0, 0, key: true);
        Frame(0, 1, key: false);
        Frame(0, 2, key: false);
        foreach (var track in tracks)
        {
            track.TargetLayer = 2;
        }

        for (var i = 1; i <= 20; i++)
        {
            Frame(i * 33, 0, false);
            Frame(i * 33, 1, false);
            Frame(i * 33, 2, key: i == 20);
        }

        // Five subscribers want layer 2 (each asks every 500 ms): the router sends one PLI at 33 ms and one at 533 ms.
        Assert.Equal([(LayerSsrcs[2], 2), (LayerSsrcs[2], 2)], feedback.KeyframeRequests);
        foreach (var (sink, track) in sinks.Zip(tracks))
        {
            Assert.Equal(2, track.CurrentLayer);
            var sequences = sink.Packets.Select(p => (int)Read(p).SequenceNumber).ToArray();
            Assert.Equal(Enumerable.Range(1000, sequences.Length), sequences);
            Assert.All(sink.Packets[^2..], p => Assert.Equal(track.Ssrc, Read(p).Ssrc));
        }
    }

    [Fact]
    public void HandleNack_ResendsFromPublisherHistoryWithOriginalOutgoingNumbers()
    {
        using var router = CreateRouter();
        var sink = new RecordingSink();
        var track = router.AddDownTrack(Subscriber(7, target: 0), sink);
        router.WriteRtp(TestRtp.Packet(65535, 100, LayerSsrcs[0], keyframe: true), 0, 0);
        router.WriteRtp(TestRtp.Packet(0, 100, LayerSsrcs[0]), 0, 1);
        track.TargetLayer = 1;
        router.WriteRtp(TestRtp.Packet(42, 5000, LayerSsrcs[1], keyframe: true), 1, 10);
        var firstSent = sink.Packets.Select(p => p.ToArray()).ToArray();

        Assert.Equal(2, track.HandleNack([0, 1, 12345]));
        Assert.Equal(1, track.NackMisses);
        Assert.Equal(2, track.PacketsRetransmitted);
        Assert.Equal(firstSent[1], sink.Packets[3]); // out seq 0 (source layer 0, seq 0)
        Assert.Equal(firstSent[2], sink.Packets[4]); // out seq 1 (source layer 1, seq 42)
    }

    [Fact]
    public void HandleNack_WithRtx_ResendsOnTheRtxStreamWithOsnAndOwnSequence()
    {
        using var router = CreateRouter();
        var sink = new RecordingSink();
        var track = router.AddDownTrack(
            new DownTrackOptions { Ssrc = 7, PayloadType = 100, RtxSsrc = 0x7007, RtxPayloadType = 101, Forwarder = new ForwarderOptions { InitialTargetLayer = 0 } },
            sink);
        router.WriteRtp(TestRtp.Packet(65535, 100, LayerSsrcs[0], keyframe: true), 0, 0);
        router.WriteRtp(TestRtp.Packet(0, 100, LayerSsrcs[0], payloadLength: 333), 0, 1);
        var first = sink.Packets.Select(Describe).ToArray();

        Assert.Equal(2, track.HandleNack([first[1].SequenceNumber, first[0].SequenceNumber, 12345]));

        Assert.Equal((2L, 1L), (track.PacketsRetransmitted, track.NackMisses));
        Assert.Equal(4, sink.Packets.Count);
        Assert.True(sink.MinTrailerSeen >= IRtpSink.TrailerCapacity);
        var rtx = sink.Packets.Skip(2).Select(Describe).ToArray();
        Assert.All(rtx, p => Assert.Equal((0x7007u, 101), (p.Ssrc, p.PayloadType)));
        Assert.Equal((ushort)(rtx[0].SequenceNumber + 1), rtx[1].SequenceNumber); // the RTX stream's own numbering
        for (var i = 0; i < 2; i++)
        {
            var original = first[1 - i];
            Assert.Equal(original.SequenceNumber, (ushort)(rtx[i].Payload[0] << 8 | rtx[i].Payload[1])); // OSN
            Assert.Equal(original.Timestamp, rtx[i].Timestamp);
            Assert.Equal(original.Payload, rtx[i].Payload[RtpRtx.OsnSize..]);
        }

        // the media stream's sender report counts first transmissions only (RTX packets are another stream's)
        Assert.True(track.ForwardSenderReport(LayerSsrcs[0], 0xE000_0000_8000_0000, 100, 0));
        Assert.True(RtcpSenderReport.TryRead(sink.Rtcp[^1], out var sr, out _));
        Assert.Equal(2u, sr.PacketCount);
    }

    [Fact]
    public void TryGetRtt_ReportAboutAForwardedSenderReport_GivesArrivalMinusSendMinusDlsr()
    {
        using var router = CreateRouter(); // timestamps in ms
        var sink = new RecordingSink();
        var track = router.AddDownTrack(Subscriber(0xA, 100), sink);
        router.WriteRtp(TestRtp.Packet(500, 90_000, LayerSsrcs[0], keyframe: true), 0, 0);
        const ulong ntp = 0xE000_1234_5678_0000;
        Assert.True(track.ForwardSenderReport(LayerSsrcs[0], ntp, 90_000, now: 1_000));

        // the subscriber held the SR 250 ms (DLSR in 1/65536 s) and its report arrives 330 ms after we sent the SR
        var block = new RtcpReportBlock(0xA, 0, 0, 500, 0, 0x1234_5678, 250 * 65536 / 1000);
        Assert.True(track.TryGetRtt(block, now: 1_330, out var rtt));
        Assert.Equal(80, rtt.TotalMilliseconds, 1);
        Assert.False(track.TryGetRtt(block with { Ssrc = 0xB }, 1_330, out _)); // another stream's block
        Assert.False(track.TryGetRtt(block with { LastSenderReport = 0 }, 1_330, out _)); // no SR received yet
    }

    [Fact]
    public void HandleNack_PacketGoneFromHistory_IsAMiss()
    {
        using var router = new TrackRouter(
            new TrackRouterOptions
            {
                KeyframeDetector = KeyframeDetectors.Vp8,
                ReceiveStream = new ReceiveStreamOptions { PacketBuffer = new PacketBufferOptions { Capacity = 4, SlabBytes = 8 * 1500 } },
            },
            Frequency);
        var sink = new RecordingSink();
        var track = router.AddDownTrack(Subscriber(7), sink);
        for (ushort s = 0; s < 10; s++)
        {
            router.WriteRtp(TestRtp.Packet(s, 0, LayerSsrcs[0], keyframe: s == 0), 0, s);
        }

        Assert.Equal(0, track.HandleNack([2]));
        Assert.Equal(1, track.HandleNack([9]));
    }

    [Fact]
    public void RemoveDownTrack_StopsForwarding()
    {
        using var router = CreateRouter();
        var sink = new RecordingSink();
        var track = router.AddDownTrack(Subscriber(1), sink);
        router.WriteRtp(TestRtp.Packet(1, 0, LayerSsrcs[0], keyframe: true), 0, 0);
        Assert.True(router.RemoveDownTrack(track));
        Assert.False(router.RemoveDownTrack(track));
        Assert.Equal(0, router.WriteRtp(TestRtp.Packet(2, 0, LayerSsrcs[0]), 0, 1));
        Assert.Single(sink.Packets);
        Assert.Empty(router.DownTracks);
    }

    [Fact]
    public void PublisherSsrcChange_RestartsLayer_StragglersOfOldSsrcDropped()
    {
        using var router = CreateRouter();
        var sink = new RecordingSink();
        router.AddDownTrack(Subscriber(1), sink);
        router.WriteRtp(TestRtp.Packet(100, 1000, 0xAAAA, keyframe: true), 0, 0);
        router.WriteRtp(TestRtp.Packet(101, 4000, 0xAAAA), 0, 33);
        router.WriteRtp(TestRtp.Packet(7, 555, 0xBBBB, keyframe: true), 0, 66);
        Assert.Equal(0, router.WriteRtp(TestRtp.Packet(102, 7000, 0xAAAA), 0, 67)); // straggler
        router.WriteRtp(TestRtp.Packet(8, 3555, 0xBBBB), 0, 99);

        var sent = sink.Packets.Select(p => (Read(p).SequenceNumber, Read(p).Timestamp)).ToArray();
        Assert.Equal([((ushort)100, 1000u), ((ushort)101, 4000u), ((ushort)102, 4000u + (33 * 90)), ((ushort)103, 4000u + (33 * 90) + 3000)], sent);
        Assert.Equal(0xBBBBu, router.GetStream(0)!.Ssrc);
    }

    [Fact]
    public void PollKeyframeRequests_WithoutTraffic_RequestsForKnownLayer()
    {
        var feedback = new RecordingFeedback();
        using var router = CreateRouter(feedback);
        var track = router.AddDownTrack(Subscriber(1, target: 1), new RecordingSink());
        router.WriteRtp(TestRtp.Packet(1, 0, LayerSsrcs[1]), 1, 0); // delta frame: waits, requests
        router.PollKeyframeRequests(50);
        router.PollKeyframeRequests(500);
        Assert.Equal([(LayerSsrcs[1], 1), (LayerSsrcs[1], 1)], feedback.KeyframeRequests);
        Assert.Equal(-1, track.CurrentLayer);
    }

    [Fact]
    public void Dispose_ThenWriteOrNack_IsHarmless()
    {
        var router = CreateRouter();
        var sink = new RecordingSink();
        var track = router.AddDownTrack(Subscriber(1), sink);
        router.WriteRtp(TestRtp.Packet(1, 0, LayerSsrcs[0], keyframe: true), 0, 0);
        router.Dispose();
        Assert.Equal(0, router.WriteRtp(TestRtp.Packet(2, 0, LayerSsrcs[0]), 0, 1));
        Assert.Equal(0, track.HandleNack([1]));
        Assert.Throws<ObjectDisposedException>(() => router.AddDownTrack(Subscriber(2), sink));
    }

    [Fact]
    public void HandleRtcpNack_ParsesPairsAndChecksSsrc()
    {
        using var router = CreateRouter();
        var sink = new RecordingSink();
        var track = router.AddDownTrack(Subscriber(0x77), sink);
        for (ushort s = 100; s < 110; s++)
        {
            router.WriteRtp(TestRtp.Packet(s, 0, LayerSsrcs[0], keyframe: s == 100), 0, s);
        }

        var nack = new byte[64];
        Assert.True(RtcpNack.TryWrite(nack, 1, 0x77, [101, 103, 104], out var length));
        Assert.True(track.HandleRtcpNack(nack.AsSpan(0, length), out var resent));
        Assert.Equal(3, resent);
        Assert.Equal([101, 103, 104], sink.Packets[^3..].Select(p => (int)Read(p).SequenceNumber));

        Assert.True(RtcpNack.TryWrite(nack, 1, 0x78, [101], out length));
        Assert.False(track.HandleRtcpNack(nack.AsSpan(0, length), out _));
        Assert.False(track.HandleRtcpNack([1, 2, 3], out _));
    }

    [Fact]
    public void TryWriteNack_PublisherHoles_AfterDelay()
    {
        using var router = CreateRouter();
        router.WriteRtp(TestRtp.Packet(65534, 0, LayerSsrcs[1]), 1, 0);
        router.WriteRtp(TestRtp.Packet(2, 0, LayerSsrcs[1]), 1, 0); // 65535, 0, 1 missing
        var buffer = new byte[64];
        Assert.False(router.TryWriteNack(1, 5, 0xFEED, buffer, out _));
        Assert.False(router.TryWriteNack(0, 50, 0xFEED, buffer, out _)); // no such layer yet
        Assert.True(router.TryWriteNack(1, 10, 0xFEED, buffer, out var length));
        Assert.True(RtcpNack.TryRead(buffer.AsSpan(0, length), out var nack, out _));
        Assert.Equal((0xFEEDu, LayerSsrcs[1]), (nack.SenderSsrc, nack.MediaSsrc));
        var lost = new List<int>();
        foreach (var s in nack.GetLostSequenceNumbers())
        {
            lost.Add(s);
        }

        Assert.Equal([65535, 0, 1], lost);
    }

    [Fact]
    public void ForwardSenderReport_MapsThePublishersTimestampOntoTheDownTrack()
    {
        using var router = CreateRouter();
        var sink = new RecordingSink();
        var downTrack = router.AddDownTrack(Subscriber(0xA, 100), sink);
        Assert.False(downTrack.ForwardSenderReport(LayerSsrcs[0], 1, 1, 0)); // nothing forwarded yet

        Assert.Equal(1, router.WriteRtp(TestRtp.Packet(500, 90_000, LayerSsrcs[0], keyframe: true), 0, 0));
        var sent = Read(sink.Packets[0]).Timestamp;
        const ulong ntp = 0xE000_0000_8000_0000;
        Assert.True(downTrack.ForwardSenderReport(LayerSsrcs[0], ntp, 90_000 + 4500, 0));
        Assert.False(downTrack.ForwardSenderReport(LayerSsrcs[1], ntp, 1, 0)); // another layer is not what we forward

        var report = Assert.Single(sink.Rtcp);
        Assert.True(Starling.Wire.Rtcp.RtcpSenderReport.TryRead(report, out var sr, out _));
        Assert.Equal((0xAu, ntp, sent + 4500, 1u), (sr.Ssrc, sr.NtpTimestamp, sr.RtpTimestamp, sr.PacketCount));
        Assert.Equal((uint)sink.Packets[0].Length, sr.OctetCount);

        downTrack.Paused = true; // a paused down-track reports nothing
        Assert.False(downTrack.ForwardSenderReport(LayerSsrcs[0], ntp, 90_000, 0));
    }
}
