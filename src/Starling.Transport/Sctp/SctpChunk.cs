using System.Buffers.Binary;

namespace Starling.Transport.Sctp;

/// <summary>
/// A chunk as a type-length-value record (RFC 9260 §3.2). Length counts the 4-byte header and the value but not
/// the trailing padding to a multiple of 4, which the receiver ignores (and tolerates missing on the last chunk).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Chunk Type  | Chunk  Flags  |        Chunk Length           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                          Chunk Value                          \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct SctpChunk
{
    public const int HeaderSize = 4;

    public SctpChunk(byte type, byte flags, ReadOnlySpan<byte> value)
    {
        Type = type;
        Flags = flags;
        Value = value;
    }

    public byte Type { get; }

    public byte Flags { get; }

    /// <summary>The chunk value, without header and padding.</summary>
    public ReadOnlySpan<byte> Value { get; }

    public SctpChunkType ChunkType => (SctpChunkType)Type;

    /// <summary>Reads one chunk; <paramref name="consumed"/> includes padding (clamped to what is present).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out SctpChunk chunk, out int consumed)
    {
        chunk = default;
        consumed = 0;
        if (source.Length < HeaderSize)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        if (length < HeaderSize || length > source.Length)
        {
            return false;
        }

        chunk = new SctpChunk(source[0], source[1], source[HeaderSize..length]);
        consumed = Math.Min(Pad4(length), source.Length);
        return true;
    }

    public int GetSize() => Pad4(HeaderSize + Value.Length);

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (HeaderSize + Value.Length > ushort.MaxValue || !TryWriteHeader(destination, Type, Flags, HeaderSize + Value.Length, out var total))
        {
            return false;
        }

        Value.CopyTo(destination[HeaderSize..]);
        written = total;
        return true;
    }

    /// <summary>
    /// Writes a chunk whose value is a list of padded TLVs (parameters or error causes). Per RFC 9260 §3.2 the
    /// Chunk Length includes the padding of every TLV except the last one.
    /// </summary>
    public static bool TryWriteTlvList(Span<byte> destination, byte type, byte flags, ReadOnlySpan<byte> tlvs, out int written)
    {
        written = 0;
        var length = HeaderSize + UnpaddedTlvListLength(tlvs);
        if (!TryWriteHeader(destination, type, flags, length, out var padded) || HeaderSize + tlvs.Length > padded)
        {
            return false;
        }

        tlvs.CopyTo(destination[HeaderSize..]);
        written = padded;
        return true;
    }

    /// <summary>The length of a TLV list without the final TLV's padding (the whole length if it is not well-formed).</summary>
    public static int UnpaddedTlvListLength(ReadOnlySpan<byte> tlvs)
    {
        var offset = 0;
        var lastEnd = 0;
        while (offset + 4 <= tlvs.Length)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(tlvs[(offset + 2)..]);
            if (length < 4 || offset + length > tlvs.Length)
            {
                return tlvs.Length;
            }

            lastEnd = offset + length;
            offset += Pad4(length);
        }

        return offset >= tlvs.Length ? lastEnd : tlvs.Length;
    }

    /// <summary>Rounds a length up to a multiple of four.</summary>
    public static int Pad4(int length) => (length + 3) & ~3;

    /// <summary>
    /// Writes a chunk header with the given unpadded <paramref name="length"/> and zeroes the padding;
    /// <paramref name="paddedLength"/> is what the whole chunk occupies. The caller writes the value.
    /// </summary>
    public static bool TryWriteHeader(Span<byte> destination, byte type, byte flags, int length, out int paddedLength)
    {
        paddedLength = Pad4(length);
        if (length < HeaderSize || length > ushort.MaxValue || destination.Length < paddedLength)
        {
            paddedLength = 0;
            return false;
        }

        destination[0] = type;
        destination[1] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
        destination[length..paddedLength].Clear();
        return true;
    }
}
