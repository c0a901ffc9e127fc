using System.Buffers.Binary;
using Starling.Sfu.Buffers;
using Starling.Sfu.Forwarding;
using Starling.Sfu.Routing;

namespace Starling.Sfu.Tests.Routing;

public sealed class TrackRouterAllocationTests
{
    private const long Frequency = 1000;
    private const int Subscribers = 10;
    private static readonly uint[] LayerSsrcs = [0x1000, 0x2000, 0x3000];
    private static readonly int[] PacketsPerFrame = [1, 2, 4];
    private static readonly int[] PacketSizes = [300, 800, 1100];

    [Fact]
    public void WriteRtp_BurstWithLayerSwitchPauseResumeAndNacks_AllocatesNothing()
    {
        var feedback = new CountingFeedback();
        using var router = new TrackRouter(
            new TrackRouterOptions { KeyframeDetector = KeyframeDetectors.Vp8, ReceiveStream = new ReceiveStreamOptions { PacketBuffer = PacketBufferOptions.Video } },
            Frequency,
            feedback);
        var sinks = new ContiguitySink[Subscribers];
        var tracks = new DownTrack[Subscribers];
        for (var i = 0; i < Subscribers; i++)
        {
            sinks[i] = new ContiguitySink((uint)(0xA000 + i));
            var rtx = i % 2 == 0; // half the subscribers negotiated RTX
            tracks[i] = router.AddDownTrack(
                new DownTrackOptions
                {
                    Ssrc = (uint)(0xA000 + i),
                    PayloadType = 96,
                    RtxSsrc = rtx ? (uint)(0xB000 + i) : 0,
                    RtxPayloadType = rtx ? (byte)97 : (byte)0,
                    Forwarder = new ForwarderOptions { InitialTargetLayer = i % 3 },
                },
                sinks[i]);
        }

        var source = new Source();
        var buffer = new byte[1500];
        Span<ushort> nacks = stackalloc ushort[3];

        // Warm-up: every path once (layer switches, pause/resume, NACKs, keyframe requests).
        Run(router, tracks, source, buffer, nacks, packets: 3000);
        var sentBefore = sinks.Sum(s => s.Packets);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var forwarded = Run(router, tracks, source, buffer, nacks, packets: 10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(forwarded > 10_000, $"forwarded {forwarded}");
        Assert.True(sinks.Sum(s => s.Packets) - sentBefore > 10_000);
        Assert.All(sinks, s => Assert.Equal(0, s.SequenceGaps));
        Assert.True(feedback.Requests > 0);
        Assert.True(tracks.Sum(t => t.PacketsRetransmitted) > 0);
        Assert.All(sinks.Where((_, i) => i % 2 == 0), s => Assert.True(s.RtxPackets > 0));
        Assert.All(sinks.Where((_, i) => i % 2 == 1), s => Assert.Equal(0, s.RtxPackets));
        Assert.All(sinks, s => Assert.Equal(0, s.RtxSequenceGaps));

        // The run ends 28 frames after the last control step: switched tracks settled, the paused one resumed.
        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], tracks.Select(t => t.CurrentLayer));
        Assert.True(tracks[3].PacketsDropped > tracks[9].PacketsDropped, "paused track dropped more");
    }

    private static long Run(TrackRouter router, DownTrack[] tracks, Source source, byte[] buffer, Span<ushort> nacks, int packets)
    {
        long forwarded = 0;
        var written = 0;
        var frame = 0;
        while (written < packets)
        {
            var now = source.Now;
            switch (frame % 300)
            {
                case 50:
                    tracks[0].TargetLayer = 2; // switch up
                    tracks[5].TargetLayer = 0; // switch down
                    break;
                case 120:
                    tracks[3].Paused = true;
                    tracks[0].TargetLayer = 0;
                    break;
                case 200:
                    tracks[3].Paused = false;
                    tracks[5].TargetLayer = 2;
                    break;
            }

            for (var layer = 0; layer < 3 && written < packets; layer++)
            {
                var keyframe = frame % 30 == layer * 10;
                for (var p = 0; p < PacketsPerFrame[layer]; p++)
                {
                    var length = TestRtp.Write(
                        buffer,
                        source.Sequence[layer]++,
                        source.Timestamp[layer],
                        LayerSsrcs[layer],
                        keyframe: keyframe && p == 0,
                        frameStart: p == 0,
                        marker: p == PacketsPerFrame[layer] - 1,
                        payloadLength: PacketSizes[layer]);
                    forwarded += router.WriteRtp(buffer.AsSpan(0, length), layer, now);
                    written++;
                }

                source.Timestamp[layer] += 3000;
            }

            if (frame % 10 == 5)
            {
                foreach (var track in tracks)
                {
                    var last = track.LastSequence;
                    nacks[0] = (ushort)(last - 1);
                    nacks[1] = (ushort)(last - 3);
                    nacks[2] = (ushort)(last - 60_000); // unknown: a miss
                    track.HandleNack(nacks);
                }
            }

            frame++;
            source.Now += 33;
            router.PollKeyframeRequests(source.Now);
        }

        return forwarded;
    }

    private sealed class Source
    {
        public long Now { get; set; }

        public ushort[] Sequence { get; } = [65000, 100, 30000];

        public uint[] Timestamp { get; } = [uint.MaxValue - 100_000, 5000, 2_000_000_000];
    }

    /// <summary>Counts first transmissions and RTX packets and checks each is contiguous, without allocating.</summary>
    private sealed class ContiguitySink(uint mediaSsrc) : IRtpSink
    {
        private int _last = -1;
        private int _lastRtx = -1;

        public long Packets { get; private set; }

        public long SequenceGaps { get; private set; }

        public long RtxPackets { get; private set; }

        public long RtxSequenceGaps { get; private set; }

        public void Send(Span<byte> buffer, int length)
        {
            if (BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]) != mediaSsrc)
            {
                var rtxSequence = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
                if (_lastRtx >= 0 && rtxSequence != (ushort)(_lastRtx + 1))
                {
                    RtxSequenceGaps++;
                }

                _lastRtx = rtxSequence;
                RtxPackets++;
                return;
            }

            var sequence = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
            if (_last >= 0 && ((ushort)(sequence - _last) is 0 or > 0x8000))
            {
                return; // a retransmission of an earlier number
            }

            if (_last >= 0 && sequence != (ushort)(_last + 1))
            {
                SequenceGaps++;
            }

            _last = sequence;
            Packets++;
            buffer[12..length].Clear(); // scribble, as in-place SRTP would
        }
    }

    private sealed class CountingFeedback : IPublisherFeedback
    {
        public int Requests { get; private set; }

        public void RequestKeyframe(uint ssrc, int layer) => Requests++;
    }
}
