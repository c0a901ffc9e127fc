namespace Starling.Wire.Rtp;

/// <summary>
/// One element of an RFC 8285 header extension block, viewed in place.
/// <see cref="Offset"/> is where <see cref="Value"/> starts in the packet, so callers holding the writable
/// buffer can rewrite the value (or, one or two bytes before it, the element header) without searching again.
/// </summary>
internal readonly ref struct RtpHeaderExtension
{
    public RtpHeaderExtension(byte id, ReadOnlySpan<byte> value, int offset)
    {
        Id = id;
        Value = value;
        Offset = offset;
    }

    /// <summary>The local identifier negotiated with <c>a=extmap</c> (1–14 one-byte form, 1–255 two-byte form).</summary>
    public byte Id { get; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Offset of the first value byte from the start of the packet.</summary>
    public int Offset { get; }
}
