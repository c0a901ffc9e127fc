using System.Buffers.Binary;

namespace Starling.Transport.Sctp;

/// <summary>
/// FORWARD TSN (RFC 3758 §3.2): moves the receiver's cumulative TSN past abandoned chunks and, for ordered
/// streams, past the abandoned stream sequence numbers.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 192  |  Flags = 0x00 |        Length = Variable      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      New Cumulative TSN                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Stream-1              |       Stream Sequence-1       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// /                              ...                              /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct ForwardTsnChunk
{
    public const int HeaderSize = 8;

    private readonly ReadOnlySpan<byte> _raw;
    private readonly ReadOnlySpan<ForwardTsnStream> _streams;
    private readonly bool _isRaw;

    public ForwardTsnChunk(uint newCumulativeTsn, ReadOnlySpan<ForwardTsnStream> streams)
    {
        NewCumulativeTsn = newCumulativeTsn;
        _streams = streams;
        StreamCount = streams.Length;
    }

    private ForwardTsnChunk(uint newCumulativeTsn, ReadOnlySpan<byte> raw)
    {
        NewCumulativeTsn = newCumulativeTsn;
        _raw = raw;
        _isRaw = true;
        StreamCount = raw.Length / 4;
    }

    public uint NewCumulativeTsn { get; }

    public int StreamCount { get; }

    public ForwardTsnStream GetStream(int index) => _isRaw
        ? new ForwardTsnStream(BinaryPrimitives.ReadUInt16BigEndian(_raw[(index * 4)..]), BinaryPrimitives.ReadUInt16BigEndian(_raw[((index * 4) + 2)..]))
        : _streams[index];

    public static bool TryRead(ReadOnlySpan<byte> source, out ForwardTsnChunk chunk, out int consumed)
    {
        chunk = default;
        if (!SctpChunk.TryRead(source, out var raw, out consumed) || raw.ChunkType != SctpChunkType.ForwardTsn
            || raw.Value.Length < 4 || (raw.Value.Length % 4) != 0)
        {
            consumed = 0;
            return false;
        }

        chunk = new ForwardTsnChunk(BinaryPrimitives.ReadUInt32BigEndian(raw.Value), raw.Value[4..]);
        return true;
    }

    public static int GetSize(int streams) => HeaderSize + (streams * 4);

    public int GetSize() => GetSize(StreamCount);

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (!SctpChunk.TryWriteHeader(destination, (byte)SctpChunkType.ForwardTsn, 0, GetSize(), out var padded))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], NewCumulativeTsn);
        for (var i = 0; i < StreamCount; i++)
        {
            var s = GetStream(i);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(HeaderSize + (i * 4))..], s.StreamId);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(HeaderSize + (i * 4) + 2)..], s.StreamSequenceNumber);
        }

        written = padded;
        return true;
    }
}
