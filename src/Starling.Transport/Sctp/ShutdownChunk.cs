using System.Buffers.Binary;

namespace Starling.Transport.Sctp;

/// <summary>
/// SHUTDOWN (RFC 9260 §3.3.8). SHUTDOWN ACK (§3.3.9, type 8), COOKIE ACK (§3.3.12, type 11) and
/// SHUTDOWN COMPLETE (§3.3.13, type 14, T bit) carry no value and are read and written as a plain
/// <see cref="SctpChunk"/>.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 7    | Chunk  Flags  |      Length = 8               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      Cumulative TSN Ack                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly record struct ShutdownChunk(uint CumulativeTsnAck)
{
    public const int Size = 8;

    public static bool TryRead(ReadOnlySpan<byte> source, out ShutdownChunk chunk, out int consumed)
    {
        chunk = default;
        if (!SctpChunk.TryRead(source, out var raw, out consumed) || raw.ChunkType != SctpChunkType.Shutdown || raw.Value.Length != 4)
        {
            consumed = 0;
            return false;
        }

        chunk = new ShutdownChunk(BinaryPrimitives.ReadUInt32BigEndian(raw.Value));
        return true;
    }

    public int GetSize() => Size;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (!SctpChunk.TryWriteHeader(destination, (byte)SctpChunkType.Shutdown, 0, Size, out var padded))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], CumulativeTsnAck);
        written = padded;
        return true;
    }
}
