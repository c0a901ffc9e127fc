using BenchmarkDotNet.Attributes;
using Starling.Sfu.Buffers;
using Starling.Sfu.Congestion;
using Starling.Sfu.Forwarding;
using Starling.Sfu.Routing;
using Starling.Transport.Srtp;

namespace Starling.Bench;

/// <summary>
/// The whole forward path for one received packet: SRTP unprotect in place (the publisher's context) → track router
/// (receive stream, forwarder per down-track, copy + header rewrite into the pooled scratch buffer) → each
/// down-track's sink stamps our header extensions (transport-wide sequence, abs-send-time, mid) and protects it in
/// place with that subscriber's own SRTP context. One operation = one incoming
/// packet = <see cref="DownTracks"/> forwarded packets.
/// </summary>
/// <remarks>
/// SRTP refuses replays, so every operation needs a freshly protected packet: <see cref="Refill"/> (an iteration
/// setup, not measured) protects the next <see cref="RingSize"/> packets of the stream into a ring, and each
/// iteration runs exactly that many operations.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(RingSize)]
public class ForwardingBenchmarks
{
    public const int RingSize = 16384;
    private const int Stride = 1536;

    private readonly byte[] _ring = new byte[RingSize * Stride];
    private readonly int[] _lengths = new int[RingSize];
    private SrtpContext _publisher = null!;
    private SrtpContext _receiver = null!;
    private TrackRouter _router = null!;
    private SrtpSink[] _sinks = [];
    private long _produced;
    private int _next;
    private long _now;
    private long _tick;

    [Params(SrtpSuite.AesCm128HmacSha1_80, SrtpSuite.AeadAes128Gcm)]
    public SrtpSuite Suite { get; set; }

    [Params(1, 10, 100)]
    public int DownTracks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _publisher = Suite.CreateContext(seed: 1);
        _receiver = Suite.CreateContext(seed: 1);
        _tick = TimeProvider.System.TimestampFrequency / 1000;
        _router = new TrackRouter(
            new TrackRouterOptions { KeyframeDetector = KeyframeDetectors.Vp8, ReceiveStream = new ReceiveStreamOptions { PacketBuffer = PacketBufferOptions.Video } },
            TimeProvider.System.TimestampFrequency);
        _sinks = new SrtpSink[DownTracks];
        for (var i = 0; i < DownTracks; i++)
        {
            // like a browser subscriber: our transport-wide sequence numbers (one estimator per subscriber), abs-send-time, mid
            var stamper = new SendStamper(TimeProvider.System, new SendSideBandwidthEstimator(TimeProvider.System.TimestampFrequency), 3, 2, 4, "1"u8);
            _sinks[i] = new SrtpSink(Suite.CreateContext(seed: 100 + i), stamper);
            _router.AddDownTrack(new DownTrackOptions { Ssrc = (uint)(0x1000 + i), PayloadType = 96, Forwarder = ForwarderOptions.Video }, _sinks[i]);
        }

        // Prime: first packets (keyframe), per-SSRC SRTP state, pools.
        Refill();
        for (var i = 0; i < 256; i++)
        {
            ForwardPacket();
        }
    }

    [IterationSetup]
    public void Refill()
    {
        for (var i = 0; i < RingSize; i++)
        {
            var slot = _ring.AsSpan(i * Stride, Stride);
            var length = BenchRtp.Write(slot, _produced++);
            if (_publisher.ProtectRtp(slot, length, out _lengths[i]) != SrtpStatus.Ok)
            {
                throw new InvalidOperationException("protect failed");
            }
        }

        _next = 0;
    }

    [Benchmark]
    public int ForwardPacket()
    {
        var slot = _ring.AsSpan(_next * Stride, Stride);
        var length = _lengths[_next];
        _next = (_next + 1) & (RingSize - 1);
        if (_receiver.UnprotectRtp(slot, length, out var plain) != SrtpStatus.Ok)
        {
            throw new InvalidOperationException("unprotect failed");
        }

        _now += _tick;
        return _router.WriteRtp(slot[..plain], 0, _now);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _router.Dispose();
        _publisher.Dispose();
        _receiver.Dispose();
    }
}
