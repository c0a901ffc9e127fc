namespace Starling.Wire.Rtcp;

/// <summary>One SDES item (RFC 3550 §6.5) with the SSRC/CSRC of its chunk.</summary>
internal readonly ref struct RtcpSdesItem
{
    public const byte Cname = 1;
    public const byte Name = 2;
    public const byte Email = 3;
    public const byte Phone = 4;
    public const byte Location = 5;
    public const byte Tool = 6;
    public const byte Note = 7;
    public const byte Private = 8;

    public RtcpSdesItem(uint ssrc, byte type, ReadOnlySpan<byte> text)
    {
        Ssrc = ssrc;
        Type = type;
        Text = text;
    }

    public uint Ssrc { get; }

    public byte Type { get; }

    /// <summary>UTF-8 text, not terminated.</summary>
    public ReadOnlySpan<byte> Text { get; }
}
