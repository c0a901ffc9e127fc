namespace Starling.Transport.Sctp;

/// <summary>
/// Operation Error (RFC 9260 §3.3.10): reports non-fatal conditions with one or more error causes.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 9    | Chunk  Flags  |           Length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                    one or more Error Causes                   \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct ErrorChunk
{
    public ErrorChunk(ReadOnlySpan<byte> errorCauses)
    {
        ErrorCauses = errorCauses;
    }

    public ReadOnlySpan<byte> ErrorCauses { get; }

    public static bool TryRead(ReadOnlySpan<byte> source, out ErrorChunk chunk, out int consumed)
    {
        chunk = default;
        if (!SctpChunk.TryRead(source, out var raw, out consumed) || raw.ChunkType != SctpChunkType.Error
            || !SctpErrorCause.IsWellFormedList(raw.Value))
        {
            consumed = 0;
            return false;
        }

        chunk = new ErrorChunk(raw.Value);
        return true;
    }

    public int GetSize() => SctpChunk.Pad4(SctpChunk.HeaderSize + ErrorCauses.Length);

    public bool TryWrite(Span<byte> destination, out int written) =>
        SctpChunk.TryWriteTlvList(destination, (byte)SctpChunkType.Error, 0, ErrorCauses, out written);
}
