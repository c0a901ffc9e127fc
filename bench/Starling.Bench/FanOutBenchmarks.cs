using BenchmarkDotNet.Attributes;
using Starling.Sfu.Buffers;
using Starling.Sfu.Forwarding;
using Starling.Sfu.Routing;
using Starling.Wire.Rtp;

namespace Starling.Bench;

/// <summary>
/// The SFU's own share of the forward path, without SRTP: receive stream + per-down-track forwarder decision, copy and
/// header rewrite, into sinks that only count. One operation = one incoming packet.
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private readonly byte[] _packet = new byte[1500];
    private TrackRouter _router = null!;
    private int _length;
    private long _index;
    private long _now;
    private long _tick;

    [Params(1, 10, 100)]
    public int DownTracks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tick = TimeProvider.System.TimestampFrequency / 1000;
        _router = new TrackRouter(
            new TrackRouterOptions { KeyframeDetector = KeyframeDetectors.Vp8, ReceiveStream = new ReceiveStreamOptions { PacketBuffer = PacketBufferOptions.Video } },
            TimeProvider.System.TimestampFrequency);
        for (var i = 0; i < DownTracks; i++)
        {
            _router.AddDownTrack(new DownTrackOptions { Ssrc = (uint)(0x1000 + i), PayloadType = 96, Forwarder = ForwarderOptions.Video }, new NullSink());
        }

        _length = BenchRtp.Write(_packet, 0);
        _router.WriteRtp(_packet.AsSpan(0, _length), 0, _now);
        _packet[13] = 0x01; // later packets: delta frames (P = 1 in the VP8 payload header)
    }

    [Benchmark]
    public int ForwardPacket()
    {
        var index = ++_index;
        var packet = _packet.AsSpan(0, _length);
        RtpRewriter.SetSequenceNumber(packet, (ushort)index);
        RtpRewriter.SetTimestamp(packet, (uint)(index / BenchRtp.PacketsPerFrame * 3000));
        _now += _tick;
        return _router.WriteRtp(packet, 0, _now);
    }

    [GlobalCleanup]
    public void Cleanup() => _router.Dispose();
}
