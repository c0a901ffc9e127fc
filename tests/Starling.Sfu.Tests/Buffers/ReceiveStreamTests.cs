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
