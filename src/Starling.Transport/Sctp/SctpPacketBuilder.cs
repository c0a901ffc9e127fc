using System.Buffers;

namespace Starling.Transport.Sctp;

/// <summary>
/// Bundles chunks into packets of at most the configured size (RFC 9260 §6.10): a common header, then chunks in
/// the order appended (the association appends control chunks before DATA), then the CRC32c on finish.
/// Buffers come from the shared array pool and are returned by whoever sends the packet.
/// </summary>
internal sealed class SctpPacketBuilder
{
    private readonly int _maxSize;
    private readonly ushort _sourcePort;
    private readonly ushort _destinationPort;
    private byte[]? _buffer;
    private int _length;

    public SctpPacketBuilder(int maxPacketSize, ushort sourcePort, ushort destinationPort)
    {
        _maxSize = maxPacketSize;
        _sourcePort = sourcePort;
        _destinationPort = destinationPort;
    }

    public int MaxSize => _maxSize;

    public bool IsOpen => _buffer is not null;

    public bool HasChunks => _length > SctpCommonHeader.Size;

    public int Remaining => _buffer is null ? 0 : _maxSize - _length;

    public uint VerificationTag { get; private set; }

    public Span<byte> Free => _buffer.AsSpan(_length, _maxSize - _length);

    public void Begin(uint verificationTag)
    {
        _buffer ??= ArrayPool<byte>.Shared.Rent(_maxSize);
        VerificationTag = verificationTag;
        new SctpCommonHeader(_sourcePort, _destinationPort, verificationTag, 0).TryWrite(_buffer, out _);
        _length = SctpCommonHeader.Size;
    }

    public void Advance(int count) => _length += count;

    /// <summary>Copies an encoded chunk in, starting a new packet when this one is full. False if it can never fit.</summary>
    public bool Append(ReadOnlySpan<byte> chunk, List<OutgoingPacket> outbox)
    {
        if (chunk.Length > _maxSize - SctpCommonHeader.Size)
        {
            return false;
        }

        if (chunk.Length > Remaining)
        {
            Finish(outbox);
            Begin(VerificationTag);
        }

        chunk.CopyTo(Free);
        _length += chunk.Length;
        return true;
    }

    /// <summary>Ensures <paramref name="size"/> bytes are free, starting a new packet if needed.</summary>
    public void Reserve(int size, List<OutgoingPacket> outbox)
    {
        if (size > Remaining && HasChunks)
        {
            Finish(outbox);
            Begin(VerificationTag);
        }
    }

    /// <summary>Checksums the packet and moves it to <paramref name="outbox"/> (an empty packet is discarded).</summary>
    public void Finish(List<OutgoingPacket> outbox)
    {
        if (_buffer is null)
        {
            return;
        }

        if (HasChunks)
        {
            SctpCommonHeader.WriteChecksum(_buffer.AsSpan(0, _length));
            outbox.Add(new OutgoingPacket(_buffer, _length));
            _buffer = null;
        }

        _length = SctpCommonHeader.Size;
    }

    /// <summary>Returns an unfinished buffer to the pool.</summary>
    public void Discard()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
