using System.Buffers.Binary;

namespace Starling.Transport.Sctp;

/// <summary>
/// An error cause carried in ERROR and ABORT chunks (RFC 9260 §3.3.10).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Cause Code          |       Cause Length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                    Cause-Specific Information                 \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct SctpErrorCause
{
    public const int HeaderSize = 4;

    public SctpErrorCause(SctpErrorCauseCode code, ReadOnlySpan<byte> information)
    {
        Code = code;
        Information = information;
    }

    public SctpErrorCauseCode Code { get; }

    public ReadOnlySpan<byte> Information { get; }

    public static bool TryRead(ReadOnlySpan<byte> source, out SctpErrorCause cause, out int consumed)
    {
        cause = default;
        consumed = 0;
        if (source.Length < HeaderSize)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        if (length < HeaderSize || length > source.Length)
        {
            return false;
        }

        cause = new SctpErrorCause((SctpErrorCauseCode)BinaryPrimitives.ReadUInt16BigEndian(source), source[HeaderSize..length]);
        consumed = Math.Min(SctpChunk.Pad4(length), source.Length);
        return true;
    }

    public int GetSize() => SctpChunk.Pad4(HeaderSize + Information.Length);

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var length = HeaderSize + Information.Length;
        var padded = SctpChunk.Pad4(length);
        if (length > ushort.MaxValue || destination.Length < padded)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Code);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
        Information.CopyTo(destination[HeaderSize..]);
        destination[length..padded].Clear();
        written = padded;
        return true;
    }

    /// <summary>True when <paramref name="source"/> is a well-formed list of causes.</summary>
    public static bool IsWellFormedList(ReadOnlySpan<byte> source)
    {
        while (!source.IsEmpty)
        {
            if (!TryRead(source, out _, out var consumed))
            {
                return false;
            }

            source = source[consumed..];
        }

        return true;
    }
}
