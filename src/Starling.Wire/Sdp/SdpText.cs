using System.Globalization;

namespace Starling.Wire.Sdp;

/// <summary>Small parsing helpers shared by the SDP types.</summary>
internal static class SdpText
{
    public static string[] SplitSpaces(string value) => value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Splits at the first separator: "<c>111 opus/48000/2</c>" → ("111", "opus/48000/2"); rest is "" without one.</summary>
    public static (string Head, string Tail) SplitFirst(string value, char separator = ' ')
    {
        var at = value.IndexOf(separator, StringComparison.Ordinal);
        return at < 0 ? (value, string.Empty) : (value[..at], value[(at + 1)..]);
    }

    public static bool TryParseInt(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    public static bool TryParseUInt(string text, out uint value) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryParseLong(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>A non-empty run of visible ASCII: the lenient reading of RFC 8866 <c>token</c> that browsers apply.</summary>
    public static bool IsToken(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c <= ' ' || c >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(uint value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
