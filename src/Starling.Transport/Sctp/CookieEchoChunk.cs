namespace Starling.Transport.Sctp;

/// <summary>
/// COOKIE ECHO (RFC 9260 §3.3.11): the State Cookie from the INIT ACK, returned verbatim.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 10   |Chunk  Flags   |         Length                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// /                     Cookie                                    /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct CookieEchoChunk
{
    public CookieEchoChunk(ReadOnlySpan<byte> cookie)
    {
        Cookie = cookie;
    }

    public ReadOnlySpan<byte> Cookie { get; }

    public static bool TryRead(ReadOnlySpan<byte> source, out CookieEchoChunk chunk, out int consumed)
    {
        chunk = default;
        if (!SctpChunk.TryRead(source, out var raw, out consumed) || raw.ChunkType != SctpChunkType.CookieEcho)
        {
            consumed = 0;
            return false;
        }

        chunk = new CookieEchoChunk(raw.Value);
        return true;
    }

    public int GetSize() => SctpChunk.Pad4(SctpChunk.HeaderSize + Cookie.Length);

    public bool TryWrite(Span<byte> destination, out int written) =>
        new SctpChunk((byte)SctpChunkType.CookieEcho, 0, Cookie).TryWrite(destination, out written);
}
