using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Starling.Wire.Stun;

/// <summary>The 96-bit STUN transaction id (RFC 8489 §5), held by value.</summary>
internal readonly struct StunTransactionId : IEquatable<StunTransactionId>
{
    public const int Size = 12;

    private readonly ulong _high;
    private readonly uint _low;

    private StunTransactionId(ulong high, uint low)
    {
        _high = high;
        _low = low;
    }

    /// <summary>A fresh id from the cryptographic random number generator (RFC 8489 §6.3.1 wants it unpredictable).</summary>
    public static StunTransactionId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[Size];
        RandomNumberGenerator.Fill(bytes);
        TryRead(bytes, out var id, out _);
        return id;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out StunTransactionId id, out int bytesRead)
    {
        if (source.Length < Size)
        {
            id = default;
            bytesRead = 0;
            return false;
        }

        id = new StunTransactionId(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt32BigEndian(source[8..]));
        bytesRead = Size;
        return true;
    }

    public static int GetSize() => Size;

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < Size)
        {
            bytesWritten = 0;
            return false;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], _low);
        bytesWritten = Size;
        return true;
    }

    public bool Equals(StunTransactionId other) => _high == other._high && _low == other._low;

    public override bool Equals(object? obj) => obj is StunTransactionId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_high, _low);

    public override string ToString() => $"{_high:x16}{_low:x8}";

    public static bool operator ==(StunTransactionId left, StunTransactionId right) => left.Equals(right);

    public static bool operator !=(StunTransactionId left, StunTransactionId right) => !left.Equals(right);
}
