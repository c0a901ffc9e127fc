using System.Buffers.Binary;

namespace Starling.Transport.Net;

/// <summary>
/// Framing of datagrams on a stream (RFC 4571 §2), which ICE-TCP uses for STUN, DTLS and SRTP alike (RFC 6544 §3):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |             LENGTH            |  STUN, DTLS or SRTP packet  ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// LENGTH is big-endian and counts the packet only.
/// </summary>
internal static class Rfc4571Framing
{
    public const int HeaderSize = 2;
    public const int MaxPayload = ushort.MaxValue;

    /// <summary>
    /// Reads one complete frame from the start of <paramref name="source"/>: false when more bytes are needed
    /// (then <paramref name="bytesRead"/> is 0), true with the payload otherwise.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ReadOnlySpan<byte> payload, out int bytesRead)
    {
        payload = default;
        bytesRead = 0;
        if (source.Length < HeaderSize)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(source);
        if (source.Length - HeaderSize < length)
        {
            return false;
        }

        payload = source.Slice(HeaderSize, length);
        bytesRead = HeaderSize + length;
        return true;
    }

    /// <summary>The length a frame announces, once its header has arrived.</summary>
    public static bool TryPeekLength(ReadOnlySpan<byte> source, out int length)
    {
        length = source.Length >= HeaderSize ? BinaryPrimitives.ReadUInt16BigEndian(source) : 0;
        return source.Length >= HeaderSize;
    }

    public static int GetSize(int payloadLength) => HeaderSize + payloadLength;

    public static bool TryWrite(ReadOnlySpan<byte> payload, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (payload.Length > MaxPayload || destination.Length < HeaderSize + payload.Length)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)payload.Length);
        payload.CopyTo(destination[HeaderSize..]);
        bytesWritten = HeaderSize + payload.Length;
        return true;
    }
}
