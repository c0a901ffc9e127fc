using System.Buffers.Binary;

namespace Starling.Wire.Stun;

/// <summary>
/// The fixed 20-byte STUN header (RFC 8489 §5) as a value, for code that wants it without the attributes.
/// <code>
/// |0 0|     STUN Message Type     |         Message Length        |
/// |                         Magic Cookie                          |
/// |                     Transaction ID (96 bits)                  |
/// </code>
/// </summary>
internal readonly record struct StunHeader(ushort MessageType, ushort Length, StunTransactionId TransactionId)
{
    public static bool TryRead(ReadOnlySpan<byte> source, out StunHeader header, out int bytesRead)
    {
        if (!StunMessage.LooksLikeStun(source))
        {
            header = default;
            bytesRead = 0;
            return false;
        }

        StunTransactionId.TryRead(source[8..], out var id, out _);
        header = new StunHeader(BinaryPrimitives.ReadUInt16BigEndian(source), BinaryPrimitives.ReadUInt16BigEndian(source[2..]), id);
        bytesRead = StunMessage.HeaderSize;
        return true;
    }

    public static int GetSize() => StunMessage.HeaderSize;

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < StunMessage.HeaderSize || (MessageType & 0xC000) != 0 || (Length & 0x3) != 0)
        {
            bytesWritten = 0;
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, MessageType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StunMessage.MagicCookie);
        TransactionId.TryWrite(destination[8..], out _);
        bytesWritten = StunMessage.HeaderSize;
        return true;
    }
}
