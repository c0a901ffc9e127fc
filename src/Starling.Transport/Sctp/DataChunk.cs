using System.Buffers.Binary;

namespace Starling.Transport.Sctp;

/// <summary>
/// DATA chunk (RFC 9260 §3.3.1; I bit from RFC 7053). Flags: E end fragment, B beginning fragment,
/// U unordered, I SACK immediately.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 0    |  Res  |I|U|B|E|            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                              TSN                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Stream Identifier S      |   Stream Sequence Number n    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Payload Protocol Identifier                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                 User Data (seq n of Stream S)                 \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// A chunk with Length 16 (no user data) is well-formed here; the association answers it with ABORT
/// "No User Data" (RFC 9260 §6.2).
/// </summary>
internal readonly ref struct DataChunk
{
    public const byte FlagEnd = 0x01;
    public const byte FlagBeginning = 0x02;
    public const byte FlagUnordered = 0x04;
    public const byte FlagImmediate = 0x08;
    public const int HeaderSize = 16;

    public DataChunk(byte flags, uint tsn, ushort streamId, ushort ssn, uint ppid, ReadOnlySpan<byte> userData)
    {
        Flags = flags;
        Tsn = tsn;
        StreamId = streamId;
        StreamSequenceNumber = ssn;
        PayloadProtocolIdentifier = ppid;
        UserData = userData;
    }

    public byte Flags { get; }

    public uint Tsn { get; }

    public ushort StreamId { get; }

    public ushort StreamSequenceNumber { get; }

    public uint PayloadProtocolIdentifier { get; }

    public ReadOnlySpan<byte> UserData { get; }

    public bool IsBeginning => (Flags & FlagBeginning) != 0;

    public bool IsEnd => (Flags & FlagEnd) != 0;

    public bool IsUnordered => (Flags & FlagUnordered) != 0;

    public bool IsImmediate => (Flags & FlagImmediate) != 0;

    public static bool TryRead(ReadOnlySpan<byte> source, out DataChunk chunk, out int consumed)
    {
        chunk = default;
        if (!SctpChunk.TryRead(source, out var raw, out consumed) || raw.ChunkType != SctpChunkType.Data
            || raw.Value.Length < HeaderSize - SctpChunk.HeaderSize)
        {
            consumed = 0;
            return false;
        }

        var v = raw.Value;
        chunk = new DataChunk(
            raw.Flags,
            BinaryPrimitives.ReadUInt32BigEndian(v),
            BinaryPrimitives.ReadUInt16BigEndian(v[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(v[6..]),
            BinaryPrimitives.ReadUInt32BigEndian(v[8..]),
            v[12..]);
        return true;
    }

    public int GetSize() => SctpChunk.Pad4(HeaderSize + UserData.Length);

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (!SctpChunk.TryWriteHeader(destination, (byte)SctpChunkType.Data, Flags, HeaderSize + UserData.Length, out var padded))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Tsn);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], StreamId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], StreamSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], PayloadProtocolIdentifier);
        UserData.CopyTo(destination[HeaderSize..]);
        written = padded;
        return true;
    }
}
