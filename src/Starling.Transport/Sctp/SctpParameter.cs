using System.Buffers.Binary;

namespace Starling.Transport.Sctp;

/// <summary>
/// A variable-length parameter (RFC 9260 §3.2.1), used in INIT/INIT ACK, HEARTBEAT and RE-CONFIG.
/// The high two bits of the type say what a receiver does with a type it does not know (RFC 9260 §3.2.1):
/// 00 stop processing parameters, 01 stop and report, 10 skip, 11 skip and report.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Parameter Type       |       Parameter Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                       Parameter Value                         \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal readonly ref struct SctpParameter
{
    public const int HeaderSize = 4;

    public SctpParameter(ushort type, ReadOnlySpan<byte> value)
    {
        Type = type;
        Value = value;
    }

    public ushort Type { get; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>The parameter as it appeared on the wire, header included, padding excluded (for echoing back).</summary>
    public int Length => HeaderSize + Value.Length;

    public static bool TryRead(ReadOnlySpan<byte> source, out SctpParameter parameter, out int consumed)
    {
        parameter = default;
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

        parameter = new SctpParameter(BinaryPrimitives.ReadUInt16BigEndian(source), source[HeaderSize..length]);
        consumed = Math.Min(SctpChunk.Pad4(length), source.Length);
        return true;
    }

    public int GetSize() => SctpChunk.Pad4(HeaderSize + Value.Length);

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var length = HeaderSize + Value.Length;
        var padded = SctpChunk.Pad4(length);
        if (length > ushort.MaxValue || destination.Length < padded)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, Type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
        Value.CopyTo(destination[HeaderSize..]);
        destination[length..padded].Clear();
        written = padded;
        return true;
    }

    /// <summary>
    /// Validates that <paramref name="source"/> is a well-formed sequence of parameters (each length in range).
    /// </summary>
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
