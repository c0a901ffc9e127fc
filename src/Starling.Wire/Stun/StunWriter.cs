using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Starling.Wire.Stun;

/// <summary>
/// Writes one STUN message (RFC 8489 §5, §14) into a caller-supplied span, attribute by attribute, keeping the
/// header's Message Length current so MESSAGE-INTEGRITY and FINGERPRINT can be computed in place. Allocation-free.
/// Every <c>Add…</c> returns false once the buffer is too small; after that the writer stays failed.
/// MESSAGE-INTEGRITY and then FINGERPRINT must be the last attributes added. (A builder rather than the usual
/// <c>GetSize</c>/<c>TryWrite</c> pair: both trailers cover everything written before them.)
/// </summary>
internal ref struct StunWriter
{
    private readonly Span<byte> _buffer;
    private int _length;
    private bool _failed;

    public StunWriter(Span<byte> buffer, ushort messageType, StunTransactionId transactionId)
    {
        _buffer = buffer;
        if (buffer.Length < StunMessage.HeaderSize)
        {
            _failed = true;
            return;
        }

        BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)(messageType & 0x3FFF));
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunMessage.MagicCookie);
        transactionId.TryWrite(buffer[8..], out _);
        _length = StunMessage.HeaderSize;
    }

    /// <summary>The value used to pad attribute values to 4 bytes (RFC 8489 §14 allows any; 0 by default).</summary>
    public byte PaddingByte { get; set; }

    public readonly bool Failed => _failed;

    /// <summary>Bytes written so far (the whole message when done).</summary>
    public readonly int Length => _failed ? 0 : _length;

    public readonly ReadOnlySpan<byte> Written => _failed ? default : _buffer[.._length];

    public bool AddAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        if (!TryReserve(type, value.Length, out var destination))
        {
            return false;
        }

        value.CopyTo(destination);
        return true;
    }

    public bool AddUsername(ReadOnlySpan<byte> username) => AddAttribute(StunAttributeType.Username, username);

    public bool AddSoftware(ReadOnlySpan<byte> software) => AddAttribute(StunAttributeType.Software, software);

    public bool AddPriority(uint priority)
    {
        if (!TryReserve(StunAttributeType.Priority, 4, out var value))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(value, priority);
        return true;
    }

    public bool AddUseCandidate() => TryReserve(StunAttributeType.UseCandidate, 0, out _);

    public bool AddIceControlling(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlling, tieBreaker);

    public bool AddIceControlled(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlled, tieBreaker);

    /// <summary>XOR-MAPPED-ADDRESS (RFC 8489 §14.2) for a 4-byte IPv4 or 16-byte IPv6 address.</summary>
    public bool AddXorMappedAddress(ReadOnlySpan<byte> address, ushort port)
    {
        byte family = address.Length switch { 4 => 0x01, 16 => 0x02, _ => 0 };
        if (family == 0)
        {
            _failed = true;
            return false;
        }

        if (!TryReserve(StunAttributeType.XorMappedAddress, 4 + address.Length, out var value))
        {
            return false;
        }

        value[0] = 0;
        value[1] = family;
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], (ushort)(port ^ (StunMessage.MagicCookie >> 16)));
        for (var i = 0; i < address.Length; i++)
        {
            value[4 + i] = (byte)(address[i] ^ _buffer[4 + i]);
        }

        return true;
    }

    /// <summary>ERROR-CODE (RFC 8489 §14.8): <paramref name="code"/> in 300–699.</summary>
    public bool AddErrorCode(int code, ReadOnlySpan<byte> reason)
    {
        if (code is < 300 or > 699)
        {
            _failed = true;
            return false;
        }

        if (!TryReserve(StunAttributeType.ErrorCode, 4 + reason.Length, out var value))
        {
            return false;
        }

        value[0] = 0;
        value[1] = 0;
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        reason.CopyTo(value[4..]);
        return true;
    }

    /// <summary>UNKNOWN-ATTRIBUTES (RFC 8489 §14.9).</summary>
    public bool AddUnknownAttributes(ReadOnlySpan<ushort> types)
    {
        if (!TryReserve(StunAttributeType.UnknownAttributes, types.Length * 2, out var value))
        {
            return false;
        }

        for (var i = 0; i < types.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value[(i * 2)..], types[i]);
        }

        return true;
    }

    /// <summary>MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 over everything written so far.</summary>
    public bool AddMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (!TryReserve(StunAttributeType.MessageIntegrity, StunMessage.MessageIntegritySize, out var value))
        {
            return false;
        }

        HMACSHA1.HashData(key, _buffer[..(_length - 4 - StunMessage.MessageIntegritySize)], value);
        return true;
    }

    /// <summary>FINGERPRINT (RFC 8489 §14.7): CRC-32 of everything written so far, xor 0x5354554E.</summary>
    public bool AddFingerprint()
    {
        if (!TryReserve(StunAttributeType.Fingerprint, 4, out var value))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(value, Crc32.Compute(_buffer[..(_length - 8)]) ^ StunMessage.FingerprintXor);
        return true;
    }

    /// <summary>Finishes: true with the message length when every attribute fitted.</summary>
    public readonly bool TryComplete(out int bytesWritten)
    {
        bytesWritten = Length;
        return !_failed;
    }

    private bool AddUInt64(ushort type, ulong number)
    {
        if (!TryReserve(type, 8, out var value))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64BigEndian(value, number);
        return true;
    }

    private bool TryReserve(ushort type, int valueLength, out Span<byte> value)
    {
        value = default;
        var total = 4 + StunMessage.Pad(valueLength);
        if (_failed || valueLength > ushort.MaxValue || _buffer.Length - _length < total
            || _length - StunMessage.HeaderSize + total > ushort.MaxValue)
        {
            _failed = true;
            return false;
        }

        var at = _buffer[_length..];
        BinaryPrimitives.WriteUInt16BigEndian(at, type);
        BinaryPrimitives.WriteUInt16BigEndian(at[2..], (ushort)valueLength);
        at.Slice(4 + valueLength, total - 4 - valueLength).Fill(PaddingByte);
        value = at.Slice(4, valueLength);
        _length += total;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(_length - StunMessage.HeaderSize));
        return true;
    }
}
