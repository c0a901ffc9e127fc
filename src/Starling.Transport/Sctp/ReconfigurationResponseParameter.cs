using System.Buffers.Binary;

namespace Starling.Transport.Sctp;

/// <summary>
/// Re-configuration Response Parameter (RFC 6525 §4.4). The two next-TSN fields are only present in answers
/// to SSN/TSN Reset Requests; this implementation reads them but never writes them.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Parameter Type = 16       |      Parameter Length         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Re-configuration Response Sequence Number             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                            Result                             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   Sender's Next TSN (optional)                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Receiver's Next TSN (optional)               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly record struct ReconfigurationResponseParameter(uint ResponseSequenceNumber, ReconfigurationResult Result)
{
    public const int Size = 12;

    public static bool TryRead(ReadOnlySpan<byte> source, out ReconfigurationResponseParameter parameter, out int consumed)
    {
        parameter = default;
        if (!SctpParameter.TryRead(source, out var raw, out consumed)
            || raw.Type != (ushort)SctpParameterType.ReconfigurationResponse
            || (raw.Value.Length != 8 && raw.Value.Length != 16))
        {
            consumed = 0;
            return false;
        }

        parameter = new ReconfigurationResponseParameter(
            BinaryPrimitives.ReadUInt32BigEndian(raw.Value),
            (ReconfigurationResult)BinaryPrimitives.ReadUInt32BigEndian(raw.Value[4..]));
        return true;
    }

    public int GetSize() => Size;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < Size)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)SctpParameterType.ReconfigurationResponse);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Size);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ResponseSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], (uint)Result);
        written = Size;
        return true;
    }
}
