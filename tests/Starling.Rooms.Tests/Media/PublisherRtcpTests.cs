using System.Buffers.Binary;
using System.Text;
using Starling.Proto;
using Starling.Rooms.Media;
using Starling.Testing;
using Starling.Wire.Rtcp;
using Starling.Wire.Rtp;

namespace Starling.Rooms.Tests.Media;

/// <summary>
/// The RTCP the server sends a publisher, through <see cref="SessionMedia"/> with a fake transport and a fake clock:
/// transport-cc feedback, NACKs and receiver reports.
/// </summary>
public sealed class PublisherRtcpTests : IDisposable
{
    private const byte TransportCcId = 3;
    private const byte MidId = 4;
    private const byte RidId = 10;
    private const byte RepairedRidId = 11;
    private const uint Layer0Ssrc = 0x1000;
    private const uint Layer1Ssrc = 0x2000;
    private const uint Layer2Ssrc = 0x3000;

    private readonly ManualTimeProvider _time = new();
    private readonly FakeTransport _transport = new();
    private readonly SessionMedia _media;
    private ushort _transportSequence = 500;

    public PublisherRtcpTests()
    {
        _media = new SessionMedia(new Participant("PA_pub", "pub", null), _transport, _transport, _time, _ => { });
    }

    public void Dispose() => _media.Dispose();

    private PublishedTrack PublishVideo(bool transportCc = true, bool nack = true)
    {
        _transport.ApplyOffer(Offer(transportCc, nack));
        _media.AddPending("cam", new TrackInfo { Sid = "TR_cam", Type = TrackType.Video, Name = "camera" });
        return Assert.Single(_media.MatchPublications());
    }

    /// <summary>A VP8 packet of <paramref name="rid"/> with mid, rid and (unless <paramref name="transportCc"/> is false) the next transport-wide sequence number.</summary>
    private void SendVideo(uint ssrc, string rid, ushort sequence, byte payloadType = 96, bool transportCc = true)
    {
        Span<byte> buffer = stackalloc byte[256];
        var writer = new RtpPacketWriter(buffer, payloadType, sequence, sequence * 3000u, ssrc);
        Span<byte> transportSequence = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(transportSequence, _transportSequence++);
        if (transportCc)
        {
            Assert.True(writer.AddExtension(TransportCcId, transportSequence));
        }

        Assert.True(writer.AddExtension(MidId, "1"u8));
        Assert.True(writer.AddExtension(RidId, RidBytes(rid)));
        Assert.True(writer.AddPayload([0x10, 0x00, 0x00, 0x9D, 0x01, 0x2A, 1, 2, 3, 4]));
        Assert.True(writer.TryComplete(out var length));
        _transport.Deliver(buffer[..length]);
    }

    private static ReadOnlySpan<byte> RidBytes(string rid) => rid switch { "q" => "q"u8, "h" => "h"u8, _ => "f"u8 };

    private List<byte[]> TakeSent()
    {
        var sent = _transport.SentRtcp.ToList();
        _transport.SentRtcp.Clear();
        return sent;
    }

    private static List<TransportCcPacketResult> ReadTransportCc(byte[] packet, out uint senderSsrc, out uint mediaSsrc)
    {
        Assert.True(RtcpTransportCc.TryRead(packet, out var feedback, out _));
        senderSsrc = feedback.SenderSsrc;
        mediaSsrc = feedback.MediaSsrc;
        var results = new List<TransportCcPacketResult>();
        foreach (var result in feedback.GetPackets())
        {
            results.Add(result);
        }

        return results;
    }

    private static bool IsTransportCc(byte[] packet) => packet[1] == (byte)RtcpPacketType.TransportFeedback && (packet[0] & 0x1F) == RtcpFeedbackFormat.TransportCc;

    private static bool IsNack(byte[] packet) => packet[1] == (byte)RtcpPacketType.TransportFeedback && (packet[0] & 0x1F) == RtcpFeedbackFormat.Nack;

    [Fact]
    public void TransportCc_EveryPacketOfTheTransport_IsReportedEvery50Ms()
    {
        PublishVideo();
        for (ushort i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(2));
            SendVideo(Layer0Ssrc, "q", (ushort)(100 + i));
            SendVideo(Layer2Ssrc, "f", (ushort)(7000 + i));
        }

        SendVideo(0x9999, "q", 1, payloadType: 97); // RTX (not routed) counts too
        Assert.Empty(TakeSent());

        _time.Advance(TimeSpan.FromMilliseconds(50));

        var feedback = Assert.Single(TakeSent(), IsTransportCc);
        var results = ReadTransportCc(feedback, out var sender, out var media);
        Assert.Equal(_media.Rtcp.Ssrc, sender);
        Assert.Equal(0x9999u, media); // the latest packet's SSRC
        Assert.Equal(Enumerable.Range(500, 11).Select(s => (ushort)s), results.Select(r => r.SequenceNumber));
        Assert.All(results, r => Assert.True(r.Received));
        Assert.Equal(2_000, results[2].ArrivalMicroseconds - results[0].ArrivalMicroseconds);
        Assert.Equal(0, results[1].DeltaMicroseconds); // same instant as the packet before
    }

    [Fact]
    public void TransportCc_Losses_ReportedAsNotReceivedAcrossFeedbacks()
    {
        PublishVideo();
        SendVideo(Layer0Ssrc, "q", 1);
        _transportSequence += 2; // two packets lost on the way
        SendVideo(Layer0Ssrc, "q", 2);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        _transportSequence += 1; // lost right after the first feedback
        SendVideo(Layer0Ssrc, "q", 3);
        _time.Advance(TimeSpan.FromMilliseconds(50));

        var feedbacks = TakeSent().Where(IsTransportCc).Select(p => ReadTransportCc(p, out _, out _)).ToList();

        Assert.Equal(2, feedbacks.Count);
        Assert.Equal("R..R", string.Concat(feedbacks[0].Select(r => r.Received ? 'R' : '.')));
        Assert.Equal(".R", string.Concat(feedbacks[1].Select(r => r.Received ? 'R' : '.')));
        Assert.Equal(504, feedbacks[1][0].SequenceNumber);
    }

    [Fact]
    public void TransportCc_ManyPackets_SentWithoutWaitingForTheTimer()
    {
        PublishVideo();
        for (var i = 0; i < 100; i++)
        {
            SendVideo(Layer1Ssrc, "h", (ushort)i);
        }

        var feedback = Assert.Single(TakeSent(), IsTransportCc);
        Assert.Equal(100, ReadTransportCc(feedback, out _, out _).Count);
    }

    [Fact]
    public void TransportCc_NotNegotiated_NoFeedback()
    {
        PublishVideo(transportCc: false);
        for (ushort i = 0; i < 10; i++)
        {
            SendVideo(Layer0Ssrc, "q", i, transportCc: false);
        }

        _time.Advance(TimeSpan.FromMilliseconds(200));

        Assert.DoesNotContain(TakeSent(), IsTransportCc);
        Assert.Equal(0, _media.Rtcp.TransportCcSent);
    }

    [Fact]
    public void Nack_HoleInALayer_IsNackedToThatSsrc()
    {
        PublishVideo();
        SendVideo(Layer1Ssrc, "h", 100);
        SendVideo(Layer1Ssrc, "h", 101);
        SendVideo(Layer1Ssrc, "h", 104);

        _time.Advance(TimeSpan.FromMilliseconds(25));

        var nack = Assert.Single(TakeSent(), IsNack);
        Assert.True(RtcpNack.TryRead(nack, out var read, out _));
        Assert.Equal(_media.Rtcp.Ssrc, read.SenderSsrc);
        Assert.Equal(Layer1Ssrc, read.MediaSsrc);
        var lost = new List<ushort>();
        foreach (var sequence in read.GetLostSequenceNumbers())
        {
            lost.Add(sequence);
        }

        Assert.Equal([102, 103], lost);

        // Repaired before the retry: no second NACK for 102.
        SendVideo(Layer1Ssrc, "h", 102);
        _time.Advance(TimeSpan.FromMilliseconds(150));
        var again = TakeSent().Where(IsNack).ToList();
        Assert.True(RtcpNack.TryRead(Assert.Single(again), out var retry, out _));
        var retried = new List<ushort>();
        foreach (var sequence in retry.GetLostSequenceNumbers())
        {
            retried.Add(sequence);
        }

        Assert.Equal([103], retried);
    }

    /// <summary>An RTX packet (PT 97) repairing <paramref name="originalSequence"/> of the layer <paramref name="rid"/>; no payload = a padding probe.</summary>
    private void SendRtx(uint ssrc, string rid, ushort sequence, ushort? originalSequence)
    {
        Span<byte> buffer = stackalloc byte[256];
        var writer = new RtpPacketWriter(buffer, 97, sequence, 0, ssrc);
        Span<byte> transportSequence = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(transportSequence, _transportSequence++);
        Assert.True(writer.AddExtension(TransportCcId, transportSequence));
        Assert.True(writer.AddExtension(MidId, "1"u8));
        Assert.True(writer.AddExtension(RepairedRidId, RidBytes(rid)));
        if (originalSequence is { } osn)
        {
            Span<byte> payload = stackalloc byte[] { (byte)(osn >> 8), (byte)osn, 0x10, 0x00, 0x00, 0x9D, 0x01, 0x2A, 1, 2 };
            Assert.True(writer.TryReservePayload(payload.Length, out var reserved));
            payload.CopyTo(reserved);
        }

        Assert.True(writer.TryComplete(out var length, paddingLength: originalSequence is null ? 200 : 0));
        _transport.Deliver(buffer[..length]);
    }

    [Fact]
    public void Rtx_RepairsTheHoleOfItsLayer_AndStopsItsNacks()
    {
        var track = PublishVideo();
        SendVideo(Layer1Ssrc, "h", 100);
        SendVideo(Layer1Ssrc, "h", 101);
        SendVideo(Layer1Ssrc, "h", 104);
        _time.Advance(TimeSpan.FromMilliseconds(25));
        Assert.Single(TakeSent(), IsNack); // 102, 103

        SendRtx(0x2001, "h", 1, originalSequence: 102);
        SendRtx(0x2001, "h", 2, originalSequence: null); // a padding probe on the RTX stream

        Assert.Equal(1, _media.RepairedPackets);
        var stats = track.Router.GetStream(1)!.Stats;
        Assert.Equal(4, stats.Packets);
        Assert.Equal(1, stats.OutOfOrder);
        _time.Advance(TimeSpan.FromMilliseconds(150));
        var sent = TakeSent();
        Assert.True(RtcpNack.TryRead(Assert.Single(sent, IsNack), out var retry, out _));
        Assert.Equal(Layer1Ssrc, retry.MediaSsrc);
        Assert.Equal(103, retry.GetPair(0).PacketId);
        Assert.Equal(0, retry.GetPair(0).LostBitmask);

        // The three media packets and both RTX packets counted for transport-cc.
        var reported = sent.Where(IsTransportCc).SelectMany(p => ReadTransportCc(p, out _, out _)).Where(r => r.Received);
        Assert.Equal(Enumerable.Range(500, 5).Select(s => (ushort)s), reported.Select(r => r.SequenceNumber));
    }

    [Fact]
    public void Nack_NotNegotiated_NoNack()
    {
        PublishVideo(nack: false);
        SendVideo(Layer0Ssrc, "q", 1);
        SendVideo(Layer0Ssrc, "q", 5);

        _time.Advance(TimeSpan.FromMilliseconds(200));

        Assert.DoesNotContain(TakeSent(), IsNack);
    }

    [Fact]
    public void ReceiverReport_EverySecond_OneBlockPerStreamWithCname()
    {
        PublishVideo();
        SendVideo(Layer0Ssrc, "q", 10);
        SendVideo(Layer0Ssrc, "q", 13); // 11, 12 lost
        SendVideo(Layer2Ssrc, "f", 65535);
        SendVideo(Layer2Ssrc, "f", 0);

        _time.Advance(TimeSpan.FromMilliseconds(990));
        Assert.DoesNotContain(TakeSent(), p => p[1] == (byte)RtcpPacketType.ReceiverReport);
        _time.Advance(TimeSpan.FromMilliseconds(20));

        var compound = Assert.Single(TakeSent(), p => p[1] == (byte)RtcpPacketType.ReceiverReport);
        Assert.True(RtcpReceiverReport.TryRead(compound, out var report, out var read));
        Assert.Equal(_media.Rtcp.Ssrc, report.Ssrc);
        Assert.Equal(2, report.ReportCount);
        var q = report.GetReportBlock(0);
        var f = report.GetReportBlock(1);
        Assert.Equal((Layer0Ssrc, 2, 13u), (q.Ssrc, q.CumulativeLost, q.HighestSequenceNumber));
        Assert.Equal(2 * 256 / 4, q.FractionLost);
        Assert.Equal((Layer2Ssrc, 0, 0x1_0000u), (f.Ssrc, f.CumulativeLost, f.HighestSequenceNumber));
        Assert.True(RtcpSdes.TryRead(compound.AsSpan(read), out var sdes, out _));
        Assert.True(sdes.TryGetCname(_media.Rtcp.Ssrc, out var cname));
        Assert.StartsWith("starling-", Encoding.ASCII.GetString(cname), StringComparison.Ordinal);
    }

    [Fact]
    public void ReceiverReport_AfterPublisherSenderReport_EchoesLsrWithDlsr()
    {
        PublishVideo();
        SendVideo(Layer1Ssrc, "h", 1);
        var sr = new byte[RtcpSenderReport.GetSize(0)];
        Assert.True(RtcpSenderReport.TryWrite(sr, Layer1Ssrc, 0xAABB_CCDD_EEFF_0011UL, 3000, 1, 100, [], out _));
        _time.Advance(TimeSpan.FromMilliseconds(250));
        _transport.DeliverRtcp(sr);

        _time.Advance(TimeSpan.FromMilliseconds(760)); // the report goes out at 1 s, 750 ms after the SR

        var compound = Assert.Single(TakeSent(), p => p[1] == (byte)RtcpPacketType.ReceiverReport);
        Assert.True(RtcpReceiverReport.TryRead(compound, out var report, out _));
        var block = report.GetReportBlock(0);
        Assert.Equal(0xCCDD_EEFFu, block.LastSenderReport);
        Assert.Equal(750_000, RtcpReportBlock.CompactNtpToMicroseconds(block.DelaySinceLastSenderReport), 100.0);
    }

    [Fact]
    public void ReceivePath_WithFeedbackNacksRtxAndReports_AllocatesNothing()
    {
        PublishVideo();
        _transport.RecordRtcp = false;
        var sequences = new ushort[3];
        var rtxSequence = (ushort)0;
        void Run(int packets)
        {
            for (var i = 0; i < packets; i++)
            {
                var layer = i % 3;
                var sequence = sequences[layer]++;
                if (i % 97 == 0)
                {
                    _transportSequence++; // lost on the way: a NACK, then a repair
                    continue;
                }

                SendVideo(layer switch { 0 => Layer0Ssrc, 1 => Layer1Ssrc, _ => Layer2Ssrc }, layer switch { 0 => "q", 1 => "h", _ => "f" }, sequence);
                if (i % 97 == 30)
                {
                    SendRtx(0x2001, "h", rtxSequence++, (ushort)(sequences[1] - 9));
                }

                _time.Advance(TimeSpan.FromMilliseconds(1));
            }
        }

        Run(3_000);
        var sentBefore = (_media.Rtcp.TransportCcSent, _media.Rtcp.NacksSent, _media.Rtcp.ReceiverReportsSent, _media.RepairedPackets);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(20_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(_media.Rtcp.TransportCcSent - sentBefore.TransportCcSent >= 300, "transport-cc sent");
        Assert.True(_media.Rtcp.NacksSent > sentBefore.NacksSent, "NACKs sent");
        Assert.True(_media.Rtcp.ReceiverReportsSent - sentBefore.ReceiverReportsSent >= 15, "receiver reports sent");
        Assert.True(_media.RepairedPackets > sentBefore.RepairedPackets, "RTX repaired");
    }

    [Fact]
    public void Dispose_StopsTheTimer()
    {
        PublishVideo();
        SendVideo(Layer0Ssrc, "q", 1);
        _media.Dispose();

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Empty(TakeSent());
    }

    private static string Offer(bool transportCc, bool nack) =>
        string.Join("\r\n",
        [
            "v=0",
            "o=- 1 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 1",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:Xq7T",
            "a=ice-pwd:Gm1Zk8vR5oQ0eYtW3pLc9sJd",
            "a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3A:F2:D6:8B:5C:9F:33:11:AA:60:4E:21",
            "a=setup:actpass",
            "a=mid:1",
            .. transportCc ? new[] { $"a=extmap:{TransportCcId} http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01" } : [],
            $"a=extmap:{MidId} urn:ietf:params:rtp-hdrext:sdes:mid",
            $"a=extmap:{RidId} urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
            $"a=extmap:{RepairedRidId} urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
            "a=sendonly",
            "a=msid:stream cam",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=rtpmap:96 VP8/90000",
            .. transportCc ? new[] { "a=rtcp-fb:96 transport-cc" } : [],
            .. nack ? new[] { "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli" } : ["a=rtcp-fb:96 nack pli"],
            "a=rtpmap:97 rtx/90000",
            "a=fmtp:97 apt=96",
            "a=rid:q send",
            "a=rid:h send",
            "a=rid:f send",
            "a=simulcast:send q;h;f",
            string.Empty,
        ]);
}
