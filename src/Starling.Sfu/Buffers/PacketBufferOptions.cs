namespace Starling.Sfu.Buffers;

/// <summary>Sizes of one <see cref="PacketBuffer"/>.</summary>
internal sealed class PacketBufferOptions
{
    /// <summary>Audio preset: 512 packets (about 10 s of 20 ms Opus) in a 128 KiB slab.</summary>
    public static readonly PacketBufferOptions Audio = new() { Capacity = 512, SlabBytes = 128 * 1024 };

    /// <summary>Video preset: 8192 packets in a 2 MiB slab (about 6 s at 2.5 Mbit/s; the slab, not the index, bounds the history).</summary>
    public static readonly PacketBufferOptions Video = new() { Capacity = 8192, SlabBytes = 2 * 1024 * 1024 };

    /// <summary>Index slots, a power of two; packets older than <c>highest − Capacity</c> are gone. Default 512.</summary>
    public int Capacity { get; init; } = 512;

    /// <summary>Bytes of packet storage (rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/>). Default 128 KiB.</summary>
    public int SlabBytes { get; init; } = 128 * 1024;

    /// <summary>Largest packet stored; larger ones are refused (<see cref="PacketBufferResult.TooLarge"/>). Default 1500.</summary>
    public int MaxPacketSize { get; init; } = 1500;
}
