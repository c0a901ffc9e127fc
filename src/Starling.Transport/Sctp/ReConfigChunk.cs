namespace Starling.Transport.Sctp;

/// <summary>
/// RE-CONFIG (RFC 6525 §3.1): one or two re-configuration parameters (§4), kept as raw bytes.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Type = 130    |  Chunk Flags  |      Chunk Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                  Re-configuration Parameter                   \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \             Re-configuration Parameter (optional)             \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct ReConfigChunk
{
    public ReConfigChunk(ReadOnlySpan<byte> parameters)
    {
        Parameters = parameters;
    }

    public ReadOnlySpan<byte> Parameters { get; }

    public static bool TryRead(ReadOnlySpan<byte> source, out ReConfigChunk chunk, out int consumed)
    {
        chunk = default;
        if (!SctpChunk.TryRead(source, out var raw, out consumed) || raw.ChunkType != SctpChunkType.ReConfig
            || raw.Value.IsEmpty || !SctpParameter.IsWellFormedList(raw.Value))
        {
            consumed = 0;
            return false;
        }

        var count = 0;
        var rest = raw.Value;
        while (!rest.IsEmpty)
        {
            SctpParameter.TryRead(rest, out _, out var used);
            rest = rest[used..];
            count++;
        }

        if (count > 2)
        {
            consumed = 0;
            return false;
        }

        chunk = new ReConfigChunk(raw.Value);
        return true;
    }

    public int GetSize() => SctpChunk.Pad4(SctpChunk.HeaderSize + Parameters.Length);

    public bool TryWrite(Span<byte> destination, out int written) =>
        SctpChunk.TryWriteTlvList(destination, (byte)SctpChunkType.ReConfig, 0, Parameters, out written);
}
