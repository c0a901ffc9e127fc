namespace Starling.Transport.Sctp;

/// <summary>
/// HEARTBEAT (RFC 9260 §3.3.5) and HEARTBEAT ACK (§3.3.6): one Heartbeat Info parameter (type 1) whose
/// contents only the sender interprets; the receiver of a HEARTBEAT echoes it unchanged.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Type = 4 / 5 | Chunk  Flags  |      Heartbeat Length         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    Heartbeat Info Type = 1    |         HB Info Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                  Sender-Specific Heartbeat Info               \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct HeartbeatChunk
{
    public HeartbeatChunk(bool isAck, ReadOnlySpan<byte> information)
    {
        IsAck = isAck;
        Information = information;
    }

    public bool IsAck { get; }

    /// <summary>The sender-specific information (the Heartbeat Info parameter's value).</summary>
    public ReadOnlySpan<byte> Information { get; }

    public static bool TryRead(ReadOnlySpan<byte> source, out HeartbeatChunk chunk, out int consumed)
    {
        chunk = default;
        if (!SctpChunk.TryRead(source, out var raw, out consumed)
            || (raw.ChunkType != SctpChunkType.Heartbeat && raw.ChunkType != SctpChunkType.HeartbeatAck)
            || !SctpParameter.TryRead(raw.Value, out var info, out _)
            || info.Type != (ushort)SctpParameterType.HeartbeatInfo)
        {
            consumed = 0;
            return false;
        }

        chunk = new HeartbeatChunk(raw.ChunkType == SctpChunkType.HeartbeatAck, info.Value);
        return true;
    }

    public int GetSize() => SctpChunk.Pad4(SctpChunk.HeaderSize + SctpParameter.HeaderSize + Information.Length);

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var type = IsAck ? SctpChunkType.HeartbeatAck : SctpChunkType.Heartbeat;
        var length = SctpChunk.HeaderSize + SctpParameter.HeaderSize + Information.Length;
        if (!SctpChunk.TryWriteHeader(destination, (byte)type, 0, length, out var padded)
            || !new SctpParameter((ushort)SctpParameterType.HeartbeatInfo, Information).TryWrite(destination[SctpChunk.HeaderSize..], out _))
        {
            return false;
        }

        written = padded;
        return true;
    }
}
