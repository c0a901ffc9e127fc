using System.Buffers.Binary;

namespace Starling.Transport.Sctp;

/// <summary>
/// Selective Acknowledgement (RFC 9260 §3.3.4).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 3    |Chunk  Flags   |      Chunk Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      Cumulative TSN Ack                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Advertised Receiver Window Credit (a_rwnd)           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Number of Gap Ack Blocks = N  |  Number of Duplicate TSNs = M |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    Gap Ack Block #1 Start     |      Gap Ack Block #1 End     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// /                              ...                              /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                        Duplicate TSN 1                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// /                              ...                              /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// A read chunk views the wire bytes; a chunk built for writing views typed spans. Both answer the accessors.
/// </summary>
internal readonly ref struct SackChunk
{
    public const int HeaderSize = 16;

    private readonly ReadOnlySpan<byte> _rawGaps;
    private readonly ReadOnlySpan<byte> _rawDuplicates;
    private readonly ReadOnlySpan<GapAckBlock> _gaps;
    private readonly ReadOnlySpan<uint> _duplicates;
    private readonly bool _isRaw;

    public SackChunk(uint cumulativeTsnAck, uint advertisedReceiverWindowCredit, ReadOnlySpan<GapAckBlock> gapAckBlocks, ReadOnlySpan<uint> duplicateTsns)
    {
        CumulativeTsnAck = cumulativeTsnAck;
        AdvertisedReceiverWindowCredit = advertisedReceiverWindowCredit;
        _gaps = gapAckBlocks;
        _duplicates = duplicateTsns;
        GapAckBlockCount = gapAckBlocks.Length;
        DuplicateTsnCount = duplicateTsns.Length;
    }

    private SackChunk(uint cumulativeTsnAck, uint advertisedReceiverWindowCredit, ReadOnlySpan<byte> rawGaps, ReadOnlySpan<byte> rawDuplicates)
    {
        CumulativeTsnAck = cumulativeTsnAck;
        AdvertisedReceiverWindowCredit = advertisedReceiverWindowCredit;
        _rawGaps = rawGaps;
        _rawDuplicates = rawDuplicates;
        _isRaw = true;
        GapAckBlockCount = rawGaps.Length / 4;
        DuplicateTsnCount = rawDuplicates.Length / 4;
    }

    public uint CumulativeTsnAck { get; }

    public uint AdvertisedReceiverWindowCredit { get; }

    public int GapAckBlockCount { get; }

    public int DuplicateTsnCount { get; }

    public GapAckBlock GetGapAckBlock(int index) => _isRaw
        ? new GapAckBlock(BinaryPrimitives.ReadUInt16BigEndian(_rawGaps[(index * 4)..]), BinaryPrimitives.ReadUInt16BigEndian(_rawGaps[((index * 4) + 2)..]))
        : _gaps[index];

    public uint GetDuplicateTsn(int index) => _isRaw
        ? BinaryPrimitives.ReadUInt32BigEndian(_rawDuplicates[(index * 4)..])
        : _duplicates[index];

    public static bool TryRead(ReadOnlySpan<byte> source, out SackChunk chunk, out int consumed)
    {
        chunk = default;
        if (!SctpChunk.TryRead(source, out var raw, out consumed) || raw.ChunkType != SctpChunkType.Sack
            || raw.Value.Length < HeaderSize - SctpChunk.HeaderSize)
        {
            consumed = 0;
            return false;
        }

        var v = raw.Value;
        int gaps = BinaryPrimitives.ReadUInt16BigEndian(v[8..]);
        int dups = BinaryPrimitives.ReadUInt16BigEndian(v[10..]);
        if (v.Length != 12 + (gaps * 4) + (dups * 4))
        {
            consumed = 0;
            return false;
        }

        chunk = new SackChunk(
            BinaryPrimitives.ReadUInt32BigEndian(v),
            BinaryPrimitives.ReadUInt32BigEndian(v[4..]),
            v.Slice(12, gaps * 4),
            v.Slice(12 + (gaps * 4), dups * 4));
        return true;
    }

    public static int GetSize(int gapAckBlocks, int duplicateTsns) => HeaderSize + (gapAckBlocks * 4) + (duplicateTsns * 4);

    public int GetSize() => GetSize(GapAckBlockCount, DuplicateTsnCount);

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (GapAckBlockCount > ushort.MaxValue || DuplicateTsnCount > ushort.MaxValue
            || !SctpChunk.TryWriteHeader(destination, (byte)SctpChunkType.Sack, 0, GetSize(), out var padded))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], CumulativeTsnAck);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], AdvertisedReceiverWindowCredit);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], (ushort)GapAckBlockCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], (ushort)DuplicateTsnCount);
        var offset = HeaderSize;
        for (var i = 0; i < GapAckBlockCount; i++)
        {
            var block = GetGapAckBlock(i);
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], block.Start);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], block.End);
            offset += 4;
        }

        for (var i = 0; i < DuplicateTsnCount; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], GetDuplicateTsn(i));
            offset += 4;
        }

        written = padded;
        return true;
    }
}
