using BenchmarkDotNet.Attributes;
using Starling.Sfu.Congestion;
using Starling.Sfu.Routing;

namespace Starling.Bench;

/// <summary>
/// What a subscriber sink adds per packet before SRTP: stamping our transport-wide sequence number (registered with
/// the bandwidth estimator), abs-send-time and mid on a copy of the benchmark's VP8-like packet.
/// </summary>
[MemoryDiagnoser]
public class StampBenchmarks
{
    private readonly byte[] _template = new byte[1536];
    private readonly byte[] _buffer = new byte[1536];
    private int _length;
    private SendStamper _stamper = null!;
    private SendStamper _transportOnly = null!;
    private SendStamper _absOnly = null!;
    private SendStamper _midOnly = null!;

    [GlobalSetup]
    public void Setup()
    {
        _length = BenchRtp.Write(_template, 1);
        _stamper = new SendStamper(TimeProvider.System, new SendSideBandwidthEstimator(TimeProvider.System.TimestampFrequency), 3, 2, 4, "1"u8);
        _transportOnly = new SendStamper(TimeProvider.System, new SendSideBandwidthEstimator(TimeProvider.System.TimestampFrequency), 3, 0, 0, default);
        _absOnly = new SendStamper(TimeProvider.System, null, 0, 2, 0, default);
        _midOnly = new SendStamper(TimeProvider.System, null, 0, 0, 4, "1"u8);
    }

    [Benchmark(Baseline = true)]
    public int CopyOnly()
    {
        _template.AsSpan(0, _length).CopyTo(_buffer);
        return _length;
    }

    [Benchmark]
    public int CopyAndStamp()
    {
        _template.AsSpan(0, _length).CopyTo(_buffer);
        var length = _length;
        _stamper.Stamp(_buffer, ref length);
        return length;
    }

    [Benchmark]
    public int TransportOnly() => Run(_transportOnly);

    [Benchmark]
    public int AbsSendTimeOnly() => Run(_absOnly);

    [Benchmark]
    public int MidOnly() => Run(_midOnly);

    private int Run(SendStamper stamper)
    {
        _template.AsSpan(0, _length).CopyTo(_buffer);
        var length = _length;
        stamper.Stamp(_buffer, ref length);
        return length;
    }
}
