namespace Starling.Wire.Rtp;

/// <summary>
/// An RTCP SDES item carried in an RTP header extension (RFC 7941 §4): <c>sdes:mid</c> (RFC 8843 §15.2),
/// <c>rtp-stream-id</c> and <c>repaired-rtp-stream-id</c> (RFC 8852 §3). The value is the item's ASCII text
/// with no length byte or terminator:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ID   |  len  |  text (len+1 ASCII bytes) ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Like libwebrtc, a NUL byte ends the text (a sender may pad with zeros). The text must be non-empty printable
/// ASCII (0x21–0x7E), which covers the mid token and rid grammars; compare it to a known rid with
/// <c>SequenceEqual</c>, no string needed.
/// </summary>
internal readonly ref struct SdesTextExtension
{
    public const int MaxLength = 255;

    public SdesTextExtension(ReadOnlySpan<byte> text)
    {
        Text = text;
    }

    public ReadOnlySpan<byte> Text { get; }

    public static bool TryRead(ReadOnlySpan<byte> source, out SdesTextExtension value, out int bytesRead)
    {
        value = default;
        bytesRead = 0;
        var end = source.IndexOf((byte)0);
        var text = end < 0 ? source : source[..end];
        if (text.IsEmpty || text.Length > MaxLength || !IsPrintable(text))
        {
            return false;
        }

        value = new SdesTextExtension(text);
        bytesRead = source.Length;
        return true;
    }

    public int GetSize() => Text.Length;

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (Text.IsEmpty || Text.Length > MaxLength || destination.Length < Text.Length || !IsPrintable(Text))
        {
            return false;
        }

        Text.CopyTo(destination);
        bytesWritten = Text.Length;
        return true;
    }

    /// <summary>The text as a string (allocates; for the control plane).</summary>
    public override string ToString() => System.Text.Encoding.ASCII.GetString(Text);

    private static bool IsPrintable(ReadOnlySpan<byte> text) => !text.ContainsAnyExceptInRange((byte)0x21, (byte)0x7E);
}
