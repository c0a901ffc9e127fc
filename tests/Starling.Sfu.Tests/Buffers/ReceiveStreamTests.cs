using Starling.Sfu.Buffers;

namespace Starling.Sfu.Tests.Buffers;

public sealed class ReceiveStreamTests
{
    private const long Frequency = 1000;

    private static ReceiveStream Create(NackTrackerOptions? nack = null) =>
        new(0x1234, 0, new ReceiveStreamOptions { ClockRate = 90_000, PacketBuffer = new PacketBufferOptions { Capacity = 64, SlabBytes = 64 * 1500 }, Nack = nack ?? NackTrackerOptions.Default }, Frequency);

    [Fact]
    public void Receive_UnwrapsStoresAndDetectsDuplicates()
    {
        using var stream = Create();
        byte[] packet = [1, 2, 3, 4];
        Assert.Equal(ReceiveResult.New, stream.Receive(packet, 65535, uint.MaxValue, 4, 0, out var s1, out var t1));
        Assert.Equal(ReceiveResult.New, stream.Receive(packet, 0, 2999, 4, 33, out var s2, out var t2));
        Assert.Equal(ReceiveResult.Duplicate, stream.Receive(packet, 0, 2999, 4, 34, out _, out _));
        Assert.Equal((65535L, 65536L), (s1, s2));
        Assert.Equal((4294967295L, 4294970295L), (t1, t2));
        Assert.True(stream.TryCopyPacket(65536, new byte[10], out var length));
        Assert.Equal(4, length);
        var stats = stream.Stats;
        Assert.Equal(2, stats.Packets);
        Assert.Equal(1, stats.Duplicates);
    }

    [Fact]
    public void Receive_FarTooOld_IsRefused()
    {
        using var stream = Create();
        stream.Receive([1], 1000, 0, 1, 0, out _, out _);
        Assert.Equal(ReceiveResult.TooOld, stream.Receive([1], 900, 0, 1, 0, out _, out _));
    }

    [Fact]
    public void GetNacks_ReportsHolesAfterDelay()
    {
        using var stream = Create();
        stream.Receive([1], 10, 0, 1, 0, out _, out _);
        stream.Receive([1], 13, 0, 1, 0, out _, out _);
        var nacks = new long[8];
        Assert.Equal(0, stream.GetNacks(5, nacks));
        Assert.Equal(2, stream.GetNacks(10, nacks));
        Assert.Equal([11L, 12L], nacks[..2]);
    }

    [Fact]
    public void TryGetReportBlock_BeforeAnyPacket_ReturnsFalse()
    {
        using var stream = Create();
        Assert.False(stream.TryGetReportBlock(0, out _));
    }

    [Fact]
    public void TryGetReportBlock_LossAcrossWrap_FillsRfc3550Fields()
    {
        using var stream = Create();
        // 65530 .. 65535, 0 .. 3 with 65533 and 1 missing: 10 expected, 8 received.
        foreach (var sequence in new ushort[] { 65530, 65531, 65532, 65534, 65535, 0, 2, 3 })
        {
            stream.Receive([1], sequence, (uint)(sequence * 3000), 1, sequence, out _, out _);
        }

        Assert.True(stream.TryGetReportBlock(100, out var block));

        Assert.Equal(0x1234u, block.Ssrc);
        Assert.Equal(2, block.CumulativeLost);
        Assert.Equal(2 * 256 / 10, block.FractionLost);
        Assert.Equal(1, block.SequenceNumberCycles);
        Assert.Equal(3, block.HighestSequenceNumberLow);
        Assert.Equal(0u, block.LastSenderReport);
        Assert.Equal(0u, block.DelaySinceLastSenderReport);

        // The next interval lost nothing; the cumulative count stays.
        stream.Receive([1], 4, 12_000, 1, 101, out _, out _);
        Assert.True(stream.TryGetReportBlock(200, out block));
        Assert.Equal(0, block.FractionLost);
        Assert.Equal(2, block.CumulativeLost);
    }

    [Fact]
    public void TryGetReportBlock_AfterSenderReport_CarriesLsrAndDlsr()
    {
        using var stream = Create();
        stream.Receive([1], 10, 0, 1, 0, out _, out _);
        const ulong ntp = 0x0000_1234_5678_9ABCUL;

        stream.OnSenderReport(ntp, 1_000);
        Assert.True(stream.TryGetReportBlock(1_500, out var block)); // 500 ms later

        Assert.Equal(0x1234_5678u, block.LastSenderReport);
        Assert.Equal(32768u, block.DelaySinceLastSenderReport); // 0.5 s in 1/65536 s
    }

    [Fact]
    public void TryGetReportBlock_Jitter_InRtpUnits()
    {
        using var stream = Create();
        // 90 kHz, frames every 33 ms of RTP time, but every other one arrives 10 ms late.
        for (var i = 0; i < 200; i++)
        {
            stream.Receive([1], (ushort)i, (uint)(i * 2970), 1, (i * 33) + (i % 2 == 0 ? 0 : 10), out _, out _);
        }

        Assert.True(stream.TryGetReportBlock(10_000, out var block));
        Assert.InRange(block.Jitter, 850u, 920u); // |D| alternates 900 (10 ms); J converges toward 900
    }

    [Fact]
    public void TryGetReportBlock_AfterDispose_ReturnsFalse()
    {
        var stream = Create();
        stream.Receive([1], 10, 0, 1, 0, out _, out _);
        stream.Dispose();
        Assert.False(stream.TryGetReportBlock(0, out _));
    }

    [Fact]
    public void Restart_NewSsrc_ForgetsHistory()
    {
        using var stream = Create();
        stream.Receive([1], 10, 0, 1, 0, out _, out _);
        stream.Restart(0x9999);
        Assert.Equal(0x9999u, stream.Ssrc);
        Assert.False(stream.TryCopyPacket(10, new byte[10], out _));
        Assert.Equal(ReceiveResult.New, stream.Receive([1], 500, 0, 1, 0, out var s, out _));
        Assert.Equal(500, s);
        Assert.Equal(1, stream.Stats.Packets);
    }
}
