using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace Starling.Wire.Stun;

/// <summary>
/// A read-only, allocation-free view of one STUN message (RFC 8489 §5, §14; ICE attributes RFC 8445 §16.1).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                     Transaction ID (96 bits)                  |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Attributes (Message Length bytes)          ...
/// </code>
/// <see cref="TryRead"/> checks the header and that every attribute fits; attribute accessors then only
/// look at attributes covered by MESSAGE-INTEGRITY (those after it, except FINGERPRINT, are ignored as
/// RFC 8489 §14.5 requires).
/// </summary>
internal readonly ref struct StunMessage
{
    public const int HeaderSize = 20;
    public const uint MagicCookie = 0x2112A442;
    public const uint FingerprintXor = 0x5354554E;
    public const int MessageIntegritySize = 20;

    private const int StackCopyLimit = 1024;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _integrityOffset;
    private readonly int _fingerprintOffset;

    private StunMessage(ReadOnlySpan<byte> data, int integrityOffset, int fingerprintOffset)
    {
        _data = data;
        _integrityOffset = integrityOffset;
        _fingerprintOffset = fingerprintOffset;
    }

    /// <summary>The whole message: header and attributes.</summary>
    public ReadOnlySpan<byte> Span => _data;

    public ushort MessageType => BinaryPrimitives.ReadUInt16BigEndian(_data);

    public ushort Method => StunMessageType.GetMethod(MessageType);

    public StunClass Class => StunMessageType.GetClass(MessageType);

    /// <summary>The header's Message Length: bytes of attributes after the 20-byte header.</summary>
    public int AttributesLength => _data.Length - HeaderSize;

    public StunTransactionId TransactionId
    {
        get
        {
            StunTransactionId.TryRead(_data.Slice(8, StunTransactionId.Size), out var id, out _);
            return id;
        }
    }

    public ReadOnlySpan<byte> TransactionIdBytes => _data.Slice(8, StunTransactionId.Size);

    public bool HasMessageIntegrity => _integrityOffset >= 0;

    public bool HasFingerprint => _fingerprintOffset >= 0;

    /// <summary>Rounds an attribute length up to the 4-byte boundary (RFC 8489 §14).</summary>
    public static int Pad(int length) => (length + 3) & ~3;

    /// <summary>
    /// Cheap check of the fixed header only: enough to route a datagram, not to trust it.
    /// </summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> source) =>
        source.Length >= HeaderSize
        && (source[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(source[4..]) == MagicCookie
        && (BinaryPrimitives.ReadUInt16BigEndian(source[2..]) & 0x3) == 0;

    /// <summary>
    /// Parses the header and checks that the attributes tile the message exactly. Returns false (never throws)
    /// on a short buffer, bad cookie, misaligned length, attribute overrun, a MESSAGE-INTEGRITY or FINGERPRINT
    /// of the wrong size, or any attribute after FINGERPRINT.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out StunMessage message, out int bytesRead)
    {
        message = default;
        bytesRead = 0;
        if (!LooksLikeStun(source))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        if (source.Length - HeaderSize < length)
        {
            return false;
        }

        var data = source[..(HeaderSize + length)];
        var offset = HeaderSize;
        var integrity = -1;
        var fingerprint = -1;
        while (offset < data.Length)
        {
            if (fingerprint >= 0 || data.Length - offset < 4)
            {
                return false;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            var valueLength = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            var padded = Pad(valueLength);
            if (data.Length - offset - 4 < padded)
            {
                return false;
            }

            if (type == StunAttributeType.MessageIntegrity)
            {
                if (valueLength != MessageIntegritySize)
                {
                    return false;
                }

                if (integrity < 0)
                {
                    integrity = offset;
                }
            }
            else if (type == StunAttributeType.Fingerprint)
            {
                if (valueLength != 4)
                {
                    return false;
                }

                fingerprint = offset;
            }

            offset += 4 + padded;
        }

        message = new StunMessage(data, integrity, fingerprint);
        bytesRead = data.Length;
        return true;
    }

    /// <summary>Every attribute in wire order, including any after MESSAGE-INTEGRITY.</summary>
    public StunAttributeEnumerator GetAttributes() => new(_data);

    /// <summary>
    /// Finds the first attribute of <paramref name="type"/> among those the integrity check covers
    /// (all attributes before MESSAGE-INTEGRITY, or before FINGERPRINT when there is none).
    /// </summary>
    public bool TryGetAttribute(ushort type, out ReadOnlySpan<byte> value)
    {
        var end = ProtectedEnd;
        foreach (var attribute in GetAttributes())
        {
            if (attribute.Offset >= end)
            {
                break;
            }

            if (attribute.Type == type)
            {
                value = attribute.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public bool HasAttribute(ushort type) => TryGetAttribute(type, out _);

    public bool TryGetUsername(out ReadOnlySpan<byte> username) => TryGetAttribute(StunAttributeType.Username, out username);

    /// <summary>PRIORITY (RFC 8445 §7.1.1): the priority the sender would give a peer-reflexive candidate.</summary>
    public bool TryGetPriority(out uint priority)
    {
        if (TryGetAttribute(StunAttributeType.Priority, out var value) && value.Length == 4)
        {
            priority = BinaryPrimitives.ReadUInt32BigEndian(value);
            return true;
        }

        priority = 0;
        return false;
    }

    /// <summary>USE-CANDIDATE (RFC 8445 §7.1.2): the controlling agent nominates this pair.</summary>
    public bool HasUseCandidate => TryGetAttribute(StunAttributeType.UseCandidate, out _);

    /// <summary>ICE-CONTROLLING (RFC 8445 §7.1.3): the sender's tie-breaker.</summary>
    public bool TryGetIceControlling(out ulong tieBreaker) => TryGetUInt64(StunAttributeType.IceControlling, out tieBreaker);

    /// <summary>ICE-CONTROLLED (RFC 8445 §7.1.3): the sender's tie-breaker.</summary>
    public bool TryGetIceControlled(out ulong tieBreaker) => TryGetUInt64(StunAttributeType.IceControlled, out tieBreaker);

    /// <summary>
    /// ERROR-CODE (RFC 8489 §14.8).
    /// <code>
    /// |           Reserved, should be 0         |Class|     Number    |
    /// |      Reason Phrase (variable)                                ..
    /// </code>
    /// </summary>
    public bool TryGetErrorCode(out int code, out ReadOnlySpan<byte> reason)
    {
        code = 0;
        reason = default;
        if (!TryGetAttribute(StunAttributeType.ErrorCode, out var value) || value.Length < 4)
        {
            return false;
        }

        var errorClass = value[2] & 0x7;
        var number = value[3];
        if (errorClass is < 3 or > 6 || number > 99)
        {
            return false;
        }

        code = (errorClass * 100) + number;
        reason = value[4..];
        return true;
    }

    /// <summary>UNKNOWN-ATTRIBUTES (RFC 8489 §14.9): copies up to <paramref name="destination"/>.Length types.</summary>
    public bool TryGetUnknownAttributes(Span<ushort> destination, out int count)
    {
        count = 0;
        if (!TryGetAttribute(StunAttributeType.UnknownAttributes, out var value) || value.Length % 2 != 0)
        {
            return false;
        }

        for (var i = 0; i + 1 < value.Length && count < destination.Length; i += 2)
        {
            destination[count++] = BinaryPrimitives.ReadUInt16BigEndian(value[i..]);
        }

        return true;
    }

    /// <summary>
    /// Comprehension-required attributes this implementation does not understand (RFC 8489 §6.3.1: a request
    /// carrying any is answered with 420). Returns how many were found (at most <paramref name="destination"/>.Length).
    /// </summary>
    public int GetUnknownComprehensionRequired(Span<ushort> destination)
    {
        var count = 0;
        var end = ProtectedEnd;
        foreach (var attribute in GetAttributes())
        {
            if (attribute.Offset >= end || count == destination.Length)
            {
                break;
            }

            if (StunAttributeType.IsComprehensionRequired(attribute.Type)
                && !StunAttributeType.IsKnownComprehensionRequired(attribute.Type))
            {
                destination[count++] = attribute.Type;
            }
        }

        return count;
    }

    /// <summary>
    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2) without allocating: writes the 4- or 16-byte address into
    /// <paramref name="address"/> (at least 16 bytes).
    /// <code>
    /// |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
    /// |                X-Address (Variable)
    /// </code>
    /// </summary>
    public bool TryGetXorMappedAddress(Span<byte> address, out int addressLength, out ushort port)
    {
        addressLength = 0;
        port = 0;
        if (address.Length < 16 || !TryGetAttribute(StunAttributeType.XorMappedAddress, out var value) || value.Length < 4)
        {
            return false;
        }

        var family = value[1];
        var length = family switch { 0x01 => 4, 0x02 => 16, _ => -1 };
        if (length < 0 || value.Length != 4 + length)
        {
            return false;
        }

        port = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (MagicCookie >> 16));
        for (var i = 0; i < length; i++)
        {
            // The xor key is the magic cookie followed by the transaction id: bytes 4..20 of the header.
            address[i] = (byte)(value[4 + i] ^ _data[4 + i]);
        }

        addressLength = length;
        return true;
    }

    /// <summary>Convenience form of <see cref="TryGetXorMappedAddress(Span{byte}, out int, out ushort)"/>; allocates.</summary>
    public bool TryGetXorMappedAddress([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        Span<byte> address = stackalloc byte[16];
        if (!TryGetXorMappedAddress(address, out var length, out var port))
        {
            endPoint = null;
            return false;
        }

        endPoint = new IPEndPoint(new IPAddress(address[..length]), port);
        return true;
    }

    /// <summary>
    /// Checks MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 keyed with <paramref name="key"/> (for ICE the
    /// short-term password, RFC 8489 §9.1.1) over the message up to the attribute, with the header length
    /// adjusted to end just after MESSAGE-INTEGRITY. Constant-time compare; allocation-free for messages up
    /// to 1 KiB (larger ones borrow from the array pool).
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (_integrityOffset < 0)
        {
            return false;
        }

        var prefixLength = _integrityOffset;
        byte[]? rented = null;
        var copy = prefixLength <= StackCopyLimit
            ? stackalloc byte[StackCopyLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(prefixLength));
        try
        {
            var prefix = copy[..prefixLength];
            _data[..prefixLength].CopyTo(prefix);
            BinaryPrimitives.WriteUInt16BigEndian(prefix[2..], (ushort)(prefixLength - HeaderSize + 4 + MessageIntegritySize));
            Span<byte> mac = stackalloc byte[MessageIntegritySize];
            HMACSHA1.HashData(key, prefix, mac);
            return CryptographicOperations.FixedTimeEquals(mac, _data.Slice(_integrityOffset + 4, MessageIntegritySize));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Checks FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message up to the attribute, xor 0x5354554E.
    /// <see cref="TryRead"/> guarantees FINGERPRINT is last, so the header length already covers it.
    /// </summary>
    public bool VerifyFingerprint()
    {
        if (_fingerprintOffset < 0)
        {
            return false;
        }

        var expected = BinaryPrimitives.ReadUInt32BigEndian(_data[(_fingerprintOffset + 4)..]);
        return (Crc32.Compute(_data[.._fingerprintOffset]) ^ FingerprintXor) == expected;
    }

    private int ProtectedEnd => _integrityOffset >= 0
        ? _integrityOffset + 1
        : _fingerprintOffset >= 0 ? _fingerprintOffset : _data.Length;

    private bool TryGetUInt64(ushort type, out ulong result)
    {
        if (TryGetAttribute(type, out var value) && value.Length == 8)
        {
            result = BinaryPrimitives.ReadUInt64BigEndian(value);
            return true;
        }

        result = 0;
        return false;
    }
}
