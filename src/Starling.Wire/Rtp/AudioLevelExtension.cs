namespace Starling.Wire.Rtp;

/// <summary>
/// Client-to-mixer audio level (RFC 6464 §3): the voice activity flag and the level in −dBov (0 = loudest,
/// 127 = silence or muted).
/// <code>
///  0                   1
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ID   | len=0 |V| level       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Bytes after the first (the two-byte form's padding in RFC 6464 §3) are ignored.
/// </summary>
internal readonly record struct AudioLevelExtension(bool VoiceActivity, byte Level)
{
    public const int Size = 1;
    public const byte Silence = 127;

    public static bool TryRead(ReadOnlySpan<byte> source, out AudioLevelExtension value, out int bytesRead)
    {
        if (source.IsEmpty)
        {
            value = default;
            bytesRead = 0;
            return false;
        }

        value = new AudioLevelExtension((source[0] & 0x80) != 0, (byte)(source[0] & 0x7F));
        bytesRead = Size;
        return true;
    }

    public int GetSize() => Size;

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.IsEmpty || Level > 127)
        {
            return false;
        }

        destination[0] = (byte)((VoiceActivity ? 0x80 : 0) | Level);
        bytesWritten = Size;
        return true;
    }
}
