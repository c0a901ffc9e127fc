using System.Buffers.Binary;

namespace Starling.Transport.Sctp;

/// <summary>
/// INIT (RFC 9260 §3.3.2) and INIT ACK (§3.3.3) share this layout; <see cref="IsAck"/> tells them apart.
/// The optional parameters are kept as raw bytes (a list of <see cref="SctpParameter"/>).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Type = 1 / 2 |  Chunk Flags  |      Chunk Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Initiate Tag                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Advertised Receiver Window Credit (a_rwnd)          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Number of Outbound Streams   |   Number of Inbound Streams   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                          Initial TSN                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \              Optional/Variable-Length Parameters              \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Reading checks the structure only (including that the parameters are well-formed TLVs); the semantic
/// checks (tag and stream counts non-zero, mandatory State Cookie in INIT ACK) belong to the association.
/// </summary>
internal readonly ref struct InitChunk
{
    public const int HeaderSize = 20;

    public InitChunk(bool isAck, uint initiateTag, uint advertisedReceiverWindowCredit, ushort outboundStreams, ushort inboundStreams, uint initialTsn, ReadOnlySpan<byte> parameters)
    {
        IsAck = isAck;
        InitiateTag = initiateTag;
        AdvertisedReceiverWindowCredit = advertisedReceiverWindowCredit;
        OutboundStreams = outboundStreams;
        InboundStreams = inboundStreams;
        InitialTsn = initialTsn;
        Parameters = parameters;
    }

    public bool IsAck { get; }

    public uint InitiateTag { get; }

    public uint AdvertisedReceiverWindowCredit { get; }

    public ushort OutboundStreams { get; }

    public ushort InboundStreams { get; }

    public uint InitialTsn { get; }

    /// <summary>Encoded parameters (each padded to 4 bytes).</summary>
    public ReadOnlySpan<byte> Parameters { get; }

    public static bool TryRead(ReadOnlySpan<byte> source, out InitChunk chunk, out int consumed)
    {
        chunk = default;
        if (!SctpChunk.TryRead(source, out var raw, out consumed)
            || (raw.ChunkType != SctpChunkType.Init && raw.ChunkType != SctpChunkType.InitAck)
            || raw.Value.Length < HeaderSize - SctpChunk.HeaderSize
            || !SctpParameter.IsWellFormedList(raw.Value[16..]))
        {
            consumed = 0;
            return false;
        }

        var v = raw.Value;
        chunk = new InitChunk(
            raw.ChunkType == SctpChunkType.InitAck,
            BinaryPrimitives.ReadUInt32BigEndian(v),
            BinaryPrimitives.ReadUInt32BigEndian(v[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(v[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(v[10..]),
            BinaryPrimitives.ReadUInt32BigEndian(v[12..]),
            v[16..]);
        return true;
    }

    public int GetSize() => SctpChunk.Pad4(HeaderSize + Parameters.Length);

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var type = IsAck ? SctpChunkType.InitAck : SctpChunkType.Init;
        // RFC 9260 §3.2: the length leaves out the last parameter's padding.
        if (!SctpChunk.TryWriteHeader(destination, (byte)type, 0, HeaderSize + SctpChunk.UnpaddedTlvListLength(Parameters), out var padded)
            || HeaderSize + Parameters.Length > padded)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], InitiateTag);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], AdvertisedReceiverWindowCredit);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], OutboundStreams);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], InboundStreams);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], InitialTsn);
        Parameters.CopyTo(destination[HeaderSize..]);
        written = padded;
        return true;
    }
}
