using System.Buffers;
using System.Numerics;

namespace Starling.Sfu.Buffers;

/// <summary>
/// The retransmission history of one received RTP stream: packets keyed by extended sequence number, copied into
/// one preallocated slab used as a circular log, with a power-of-two index of (sequence, position, length) slots.
/// </summary>
/// <remarks>
/// <para>
/// Ownership: the buffer owns its slab, rented from <see cref="ArrayPool{T}.Shared"/> in the constructor and
/// returned by <see cref="Dispose"/>. <see cref="Add"/> copies the caller's bytes in and <see cref="TryCopy"/>
/// copies them out; no span into the slab ever escapes, so nobody can observe bytes a later <see cref="Add"/>
/// overwrites. Neither call allocates.
/// </para>
/// <para>
/// A packet disappears when its index slot is reused (<see cref="PacketBufferOptions.Capacity"/> newer sequence
/// numbers) or when the log wraps over its bytes (<see cref="PacketBufferOptions.SlabBytes"/> of newer packets),
/// whichever comes first. Positions in the log only grow (a packet that would straddle the end of the slab starts
/// at the next lap), so a slot is intact exactly when <c>head − position ≤ slab size</c>.
/// </para>
/// <para>Not thread-safe: its owner (<see cref="ReceiveStream"/>) serializes calls.</para>
/// </remarks>
internal sealed class PacketBuffer : IDisposable
{
    private const long Empty = long.MinValue;

    private readonly Slot[] _slots;
    private readonly long _mask;
    private readonly int _slabBytes;
    private readonly int _maxPacketSize;
    private byte[]? _slab;
    private long _head;
    private long _highest = Empty;

    public PacketBuffer(PacketBufferOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Capacity < 2 || !BitOperations.IsPow2(options.Capacity))
        {
            throw new ArgumentException("Capacity must be a power of two of at least 2.", nameof(options));
        }

        if (options.MaxPacketSize < 12 || options.SlabBytes < options.MaxPacketSize)
        {
            throw new ArgumentException("SlabBytes must hold at least one packet of MaxPacketSize (>= 12).", nameof(options));
        }

        _slots = new Slot[options.Capacity];
        _mask = options.Capacity - 1;
        _slabBytes = options.SlabBytes;
        _maxPacketSize = options.MaxPacketSize;
        _slab = ArrayPool<byte>.Shared.Rent(_slabBytes);
        Clear();
    }

    /// <summary>Index slots (a power of two).</summary>
    public int Capacity => _slots.Length;

    /// <summary>Highest extended sequence number stored, or <see cref="long.MinValue"/> when empty.</summary>
    public long HighestSequence => _highest;

    /// <summary>Copies <paramref name="packet"/> in under <paramref name="extendedSequence"/>.</summary>
    public PacketBufferResult Add(ReadOnlySpan<byte> packet, long extendedSequence)
    {
        var slab = _slab ?? throw new ObjectDisposedException(nameof(PacketBuffer));
        if (packet.IsEmpty || packet.Length > _maxPacketSize)
        {
            return PacketBufferResult.TooLarge;
        }

        if (_highest != Empty && extendedSequence <= _highest - _slots.Length)
        {
            return PacketBufferResult.TooOld;
        }

        ref var slot = ref _slots[extendedSequence & _mask];
        if (slot.Sequence == extendedSequence && IsIntact(slot.Position))
        {
            return PacketBufferResult.Duplicate;
        }

        var offset = (int)(_head % _slabBytes);
        if (offset + packet.Length > _slabBytes)
        {
            _head += _slabBytes - offset;
            offset = 0;
        }

        packet.CopyTo(slab.AsSpan(offset, packet.Length));
        slot.Sequence = extendedSequence;
        slot.Position = _head;
        slot.Length = packet.Length;
        _head += packet.Length;
        if (_highest == Empty || extendedSequence > _highest)
        {
            _highest = extendedSequence;
        }

        return PacketBufferResult.Stored;
    }

    /// <summary>True when the packet is still held.</summary>
    public bool Contains(long extendedSequence)
    {
        ref readonly var slot = ref _slots[extendedSequence & _mask];
        return slot.Sequence == extendedSequence && IsIntact(slot.Position);
    }

    /// <summary>
    /// Copies the packet stored under <paramref name="extendedSequence"/> to <paramref name="destination"/>.
    /// False when it is gone or never arrived, or when <paramref name="destination"/> is too small.
    /// </summary>
    public bool TryCopy(long extendedSequence, Span<byte> destination, out int length)
    {
        var slab = _slab ?? throw new ObjectDisposedException(nameof(PacketBuffer));
        length = 0;
        ref readonly var slot = ref _slots[extendedSequence & _mask];
        if (slot.Sequence != extendedSequence || !IsIntact(slot.Position) || destination.Length < slot.Length)
        {
            return false;
        }

        slab.AsSpan((int)(slot.Position % _slabBytes), slot.Length).CopyTo(destination);
        length = slot.Length;
        return true;
    }

    /// <summary>Forgets every packet (the stream restarted under a new SSRC).</summary>
    public void Clear()
    {
        Array.Fill(_slots, new Slot { Sequence = Empty });
        _highest = Empty;
    }

    /// <summary>Returns the slab to the pool. Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        var slab = _slab;
        _slab = null;
        if (slab is not null)
        {
            ArrayPool<byte>.Shared.Return(slab);
        }
    }

    private bool IsIntact(long position) => _head - position <= _slabBytes;

    private struct Slot
    {
        public long Sequence;
        public long Position;
        public int Length;
    }
}
