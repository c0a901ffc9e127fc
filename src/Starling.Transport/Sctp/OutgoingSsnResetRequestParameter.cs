using System.Buffers.Binary;

namespace Starling.Transport.Sctp;

/// <summary>
/// Outgoing SSN Reset Request Parameter (RFC 6525 §4.1): the sender resets its outgoing streams (the
/// receiver's incoming ones) once all data up to Sender's Last Assigned TSN has arrived. No streams = all.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Parameter Type = 13       | Parameter Length = 16 + 2 * N |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Re-configuration Request Sequence Number            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Re-configuration Response Sequence Number           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                Sender's Last Assigned TSN                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Stream Number 1 (optional)   |    Stream Number 2 (optional) |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// /                            ......                             /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct OutgoingSsnResetRequestParameter
{
    public const int HeaderSize = 16;

    private readonly ReadOnlySpan<byte> _raw;
    private readonly ReadOnlySpan<ushort> _streams;
    private readonly bool _isRaw;

    public OutgoingSsnResetRequestParameter(uint requestSequenceNumber, uint responseSequenceNumber, uint senderLastAssignedTsn, ReadOnlySpan<ushort> streams)
    {
        RequestSequenceNumber = requestSequenceNumber;
        ResponseSequenceNumber = responseSequenceNumber;
        SenderLastAssignedTsn = senderLastAssignedTsn;
        _streams = streams;
        StreamCount = streams.Length;
    }

    private OutgoingSsnResetRequestParameter(uint requestSequenceNumber, uint responseSequenceNumber, uint senderLastAssignedTsn, ReadOnlySpan<byte> raw)
    {
        RequestSequenceNumber = requestSequenceNumber;
        ResponseSequenceNumber = responseSequenceNumber;
        SenderLastAssignedTsn = senderLastAssignedTsn;
        _raw = raw;
        _isRaw = true;
        StreamCount = raw.Length / 2;
    }

    public uint RequestSequenceNumber { get; }

    public uint ResponseSequenceNumber { get; }

    public uint SenderLastAssignedTsn { get; }

    public int StreamCount { get; }

    public ushort GetStream(int index) => _isRaw ? BinaryPrimitives.ReadUInt16BigEndian(_raw[(index * 2)..]) : _streams[index];

    public static bool TryRead(ReadOnlySpan<byte> source, out OutgoingSsnResetRequestParameter parameter, out int consumed)
    {
        parameter = default;
        if (!SctpParameter.TryRead(source, out var raw, out consumed)
            || raw.Type != (ushort)SctpParameterType.OutgoingSsnResetRequest
            || raw.Value.Length < HeaderSize - SctpParameter.HeaderSize || (raw.Value.Length % 2) != 0)
        {
            consumed = 0;
            return false;
        }

        var v = raw.Value;
        parameter = new OutgoingSsnResetRequestParameter(
            BinaryPrimitives.ReadUInt32BigEndian(v),
            BinaryPrimitives.ReadUInt32BigEndian(v[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(v[8..]),
            v[12..]);
        return true;
    }

    public int GetSize() => SctpChunk.Pad4(HeaderSize + (StreamCount * 2));

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var length = HeaderSize + (StreamCount * 2);
        var padded = SctpChunk.Pad4(length);
        if (length > ushort.MaxValue || destination.Length < padded)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)SctpParameterType.OutgoingSsnResetRequest);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], RequestSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ResponseSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], SenderLastAssignedTsn);
        for (var i = 0; i < StreamCount; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(HeaderSize + (i * 2))..], GetStream(i));
        }

        destination[length..padded].Clear();
        written = padded;
        return true;
    }
}
