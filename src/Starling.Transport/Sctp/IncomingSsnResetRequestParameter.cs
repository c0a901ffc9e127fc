using System.Buffers.Binary;

namespace Starling.Transport.Sctp;

/// <summary>
/// Incoming SSN Reset Request Parameter (RFC 6525 §4.2): asks the peer to reset its outgoing streams.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Parameter Type = 14       |  Parameter Length = 8 + 2 * N |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Re-configuration Request Sequence Number             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Stream Number 1 (optional)   |    Stream Number 2 (optional) |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// /                            ......                             /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct IncomingSsnResetRequestParameter
{
    public const int HeaderSize = 8;

    private readonly ReadOnlySpan<byte> _raw;
    private readonly ReadOnlySpan<ushort> _streams;
    private readonly bool _isRaw;

    public IncomingSsnResetRequestParameter(uint requestSequenceNumber, ReadOnlySpan<ushort> streams)
    {
        RequestSequenceNumber = requestSequenceNumber;
        _streams = streams;
        StreamCount = streams.Length;
    }

    private IncomingSsnResetRequestParameter(uint requestSequenceNumber, ReadOnlySpan<byte> raw)
    {
        RequestSequenceNumber = requestSequenceNumber;
        _raw = raw;
        _isRaw = true;
        StreamCount = raw.Length / 2;
    }

    public uint RequestSequenceNumber { get; }

    public int StreamCount { get; }

    public ushort GetStream(int index) => _isRaw ? BinaryPrimitives.ReadUInt16BigEndian(_raw[(index * 2)..]) : _streams[index];

    public static bool TryRead(ReadOnlySpan<byte> source, out IncomingSsnResetRequestParameter parameter, out int consumed)
    {
        parameter = default;
        if (!SctpParameter.TryRead(source, out var raw, out consumed)
            || raw.Type != (ushort)SctpParameterType.IncomingSsnResetRequest
            || raw.Value.Length < HeaderSize - SctpParameter.HeaderSize || (raw.Value.Length % 2) != 0)
        {
            consumed = 0;
            return false;
        }

        parameter = new IncomingSsnResetRequestParameter(BinaryPrimitives.ReadUInt32BigEndian(raw.Value), raw.Value[4..]);
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

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)SctpParameterType.IncomingSsnResetRequest);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], RequestSequenceNumber);
        for (var i = 0; i < StreamCount; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(HeaderSize + (i * 2))..], GetStream(i));
        }

        destination[length..padded].Clear();
        written = padded;
        return true;
    }
}
