namespace Starling.Wire.Stun;

/// <summary>
/// One attribute of a STUN message, viewed in place (RFC 8489 §14).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Type                  |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Value (variable)                ....
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The value is padded to a multiple of 4 bytes; <see cref="Value"/> excludes the padding.
/// </summary>
internal readonly ref struct StunAttribute
{
    public StunAttribute(ushort type, ReadOnlySpan<byte> value, int offset)
    {
        Type = type;
        Value = value;
        Offset = offset;
    }

    public ushort Type { get; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Offset of the attribute header from the start of the message.</summary>
    public int Offset { get; }
}
