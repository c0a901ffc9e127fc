using System.Buffers.Binary;

namespace Starling.Wire.Rtp;

/// <summary>
/// Transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2): one counter across
/// every stream of the transport, echoed back in transport-cc feedback (<c>Rtcp.TransportCcFeedback</c>).
/// An SFU stamps its own number on each packet it sends, in place via <see cref="RtpRewriter.TryGetExtension"/>.
/// <code>
///  0                   1                   2
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ID   | L=1   |transport-wide sequence number |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly record struct TransportSequenceNumberExtension(ushort SequenceNumber)
{
    public const int Size = 2;

    public static bool TryRead(ReadOnlySpan<byte> source, out TransportSequenceNumberExtension value, out int bytesRead)
    {
        if (source.Length != Size)
        {
            value = default;
            bytesRead = 0;
            return false;
        }

        value = new TransportSequenceNumberExtension(BinaryPrimitives.ReadUInt16BigEndian(source));
        bytesRead = Size;
        return true;
    }

    public int GetSize() => Size;

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        if (!BinaryPrimitives.TryWriteUInt16BigEndian(destination, SequenceNumber))
        {
            bytesWritten = 0;
            return false;
        }

        bytesWritten = Size;
        return true;
    }
}
