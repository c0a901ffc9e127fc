using Starling.Sfu.Buffers;

namespace Starling.Sfu.Tests.Buffers;

public sealed class PacketBufferTests
{
    private static readonly PacketBufferOptions Small = new() { Capacity = 8, SlabBytes = 1000, MaxPacketSize = 200 };

    private static byte[] Packet(long seq, int length = 100)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seq + i);
        }

        return bytes;
    }

    [Fact]
    public void Add_ThenTryCopy_ReturnsTheSameBytes()
    {
        using var buffer = new PacketBuffer(Small);
        Assert.Equal(PacketBufferResult.Stored, buffer.Add(Packet(70000), 70000));
        var destination = new byte[200];
        Assert.True(buffer.TryCopy(70000, destination, out var length));
        Assert.Equal(Packet(70000), destination[..length]);
        Assert.Equal(70000, buffer.HighestSequence);
    }

    [Theory]
    [InlineData(new long[] { 1, 2, 3 }, 2L, "Duplicate")]
    [InlineData(new long[] { 1, 2, 3 }, 4L, "Stored")]
    [InlineData(new long[] { 10 }, 3L, "Stored")] // 10 − 8 < 3: still inside the index
    [InlineData(new long[] { 10 }, 2L, "TooOld")] // shares 10's slot
    [InlineData(new long[] { 10 }, -5L, "TooOld")]
    [InlineData(new long[] { 1, 3 }, 2L, "Stored")] // fills a hole
    public void Add_Cases(long[] before, long sequence, string expected)
    {
        using var buffer = new PacketBuffer(Small);
        foreach (var s in before)
        {
            buffer.Add(Packet(s), s);
        }

        Assert.Equal(Enum.Parse<PacketBufferResult>(expected), buffer.Add(Packet(sequence), sequence));
    }

    [Fact]
    public void Add_TooLargeOrEmpty_IsRefused()
    {
        using var buffer = new PacketBuffer(Small);
        Assert.Equal(PacketBufferResult.TooLarge, buffer.Add(new byte[201], 1));
        Assert.Equal(PacketBufferResult.TooLarge, buffer.Add([], 1));
        Assert.False(buffer.Contains(1));
    }

    [Fact]
    public void TryCopy_AfterIndexWraps_OldPacketIsGone()
    {
        using var buffer = new PacketBuffer(new PacketBufferOptions { Capacity = 8, SlabBytes = 100_000, MaxPacketSize = 200 });
        for (long s = 0; s < 9; s++)
        {
            buffer.Add(Packet(s, 10), s);
        }

        Assert.False(buffer.TryCopy(0, new byte[200], out _)); // slot reused by 8
        Assert.True(buffer.TryCopy(1, new byte[200], out _));
        Assert.True(buffer.TryCopy(8, new byte[200], out _));
    }

    [Fact]
    public void TryCopy_AfterSlabWraps_OverwrittenPacketIsGone_NewerOnesAreIntact()
    {
        // 1000-byte slab, 300-byte packets: three fit, the fourth starts a new lap and overwrites the first.
        using var large = new PacketBuffer(new PacketBufferOptions { Capacity = 8, SlabBytes = 1000, MaxPacketSize = 400 });
        for (long s = 0; s < 4; s++)
        {
            large.Add(Packet(s, 300), s);
        }

        var destination = new byte[400];
        Assert.False(large.TryCopy(0, destination, out _));
        for (long s = 1; s < 4; s++)
        {
            Assert.True(large.TryCopy(s, destination, out var length));
            Assert.Equal(Packet(s, 300), destination[..length]);
        }

        Assert.False(large.Contains(0));
        // A stale slot that lost its bytes may be stored again rather than reported as a duplicate.
        Assert.Equal(PacketBufferResult.Stored, large.Add(Packet(0, 300), 0));
    }

    [Fact]
    public void TryCopy_DestinationTooSmall_ReturnsFalse()
    {
        using var buffer = new PacketBuffer(Small);
        buffer.Add(Packet(5, 100), 5);
        Assert.False(buffer.TryCopy(5, new byte[99], out var length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void TryCopy_ManyLapsOfRandomSizes_AlwaysReturnsExactBytesOrNothing()
    {
        var random = new Random(1234);
        using var buffer = new PacketBuffer(new PacketBufferOptions { Capacity = 64, SlabBytes = 4096, MaxPacketSize = 1200 });
        var sizes = new Dictionary<long, int>();
        var destination = new byte[1200];
        for (long s = 0; s < 5000; s++)
        {
            var size = random.Next(1, 1201);
            sizes[s] = size;
            Assert.Equal(PacketBufferResult.Stored, buffer.Add(Packet(s, size), s));
            var probe = s - random.Next(0, 70);
            if (buffer.TryCopy(probe, destination, out var length))
            {
                Assert.Equal(Packet(probe, sizes[probe]), destination[..length]);
            }
        }
    }

    [Fact]
    public void Clear_ForgetsEverything()
    {
        using var buffer = new PacketBuffer(Small);
        buffer.Add(Packet(1), 1);
        buffer.Clear();
        Assert.False(buffer.Contains(1));
        Assert.Equal(long.MinValue, buffer.HighestSequence);
        Assert.Equal(PacketBufferResult.Stored, buffer.Add(Packet(1), 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    public void Constructor_CapacityNotPowerOfTwo_Throws(int capacity) =>
        Assert.Throws<ArgumentException>(() => new PacketBuffer(new PacketBufferOptions { Capacity = capacity }));

    [Fact]
    public void Dispose_ThenUse_Throws()
    {
        var buffer = new PacketBuffer(Small);
        buffer.Dispose();
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.Add(Packet(1), 1));
    }

    [Fact]
    public void AddAndCopy_SteadyState_DoNotAllocate()
    {
        using var buffer = new PacketBuffer(PacketBufferOptions.Video);
        var packet = Packet(0, 1100);
        var destination = new byte[1500];
        // warm up first: the JIT (tiering, on-stack replacement of the loop) may allocate on this thread the first time
        for (long s = 0; s < 20_000; s++)
        {
            buffer.Add(packet, s);
            buffer.TryCopy(s - 100, destination, out _);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (long s = 20_000; s < 40_000; s++)
        {
            buffer.Add(packet, s);
            buffer.TryCopy(s - 100, destination, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
