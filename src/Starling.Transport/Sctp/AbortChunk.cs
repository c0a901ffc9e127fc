namespace Starling.Transport.Sctp;

/// <summary>
/// ABORT (RFC 9260 §3.3.7). The T bit says the Verification Tag is the peer's reflected tag rather than ours.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 6    |  Reserved   |T|           Length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                   zero or more Error Causes                   \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct AbortChunk
{
    public const byte FlagT = 0x01;

    public AbortChunk(bool tagReflected, ReadOnlySpan<byte> errorCauses)
    {
        TagReflected = tagReflected;
        ErrorCauses = errorCauses;
    }

    public bool TagReflected { get; }

    /// <summary>Encoded list of <see cref="SctpErrorCause"/>.</summary>
    public ReadOnlySpan<byte> ErrorCauses { get; }

    public static bool TryRead(ReadOnlySpan<byte> source, out AbortChunk chunk, out int consumed)
    {
        chunk = default;
        if (!SctpChunk.TryRead(source, out var raw, out consumed) || raw.ChunkType != SctpChunkType.Abort)
        {
            consumed = 0;
            return false;
        }

        // Causes are informational; a malformed list does not make the ABORT itself invalid.
        chunk = new AbortChunk((raw.Flags & FlagT) != 0, raw.Value);
        return true;
    }

    public int GetSize() => SctpChunk.Pad4(SctpChunk.HeaderSize + ErrorCauses.Length);

    public bool TryWrite(Span<byte> destination, out int written) =>
        SctpChunk.TryWriteTlvList(destination, (byte)SctpChunkType.Abort, TagReflected ? FlagT : (byte)0, ErrorCauses, out written);
}
