using BenchmarkDotNet.Attributes;
using Starling.Transport.Srtp;
using Starling.Wire.Rtp;

namespace Starling.Bench;

/// <summary>
/// SRTP protect of one 1100-byte-payload packet (what each down-track's sink does), to split the forward path into
/// SFU work and cryptography.
/// </summary>
[MemoryDiagnoser]
public class SrtpProtectBenchmarks
{
    private readonly byte[] _template = new byte[1500];
    private readonly byte[] _buffer = new byte[1600];
    private SrtpContext _context = null!;
    private int _length;
    private ushort _sequence;

    [Params(SrtpSuite.AesCm128HmacSha1_80, SrtpSuite.AeadAes128Gcm)]
    public SrtpSuite Suite { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _context = Suite.CreateContext(seed: 7);
        _length = BenchRtp.Write(_template, 1);
    }

    [Benchmark]
    public int Protect()
    {
        _template.AsSpan(0, _length).CopyTo(_buffer);
        RtpRewriter.SetSequenceNumber(_buffer, ++_sequence);
        _context.ProtectRtp(_buffer, _length, out var length);
        return length;
    }

    [GlobalCleanup]
    public void Cleanup() => _context.Dispose();
}
