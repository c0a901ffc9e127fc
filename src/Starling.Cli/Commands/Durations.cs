using System.Globalization;

namespace Starling.Cli.Commands;

/// <summary>Parses durations written like Go's: <c>6h</c>, <c>30m</c>, <c>90s</c>, <c>1h30m</c>, <c>500ms</c>,
/// <c>2d</c>; a bare number is seconds.</summary>
internal static class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.Trim().AsSpan();
        if (double.TryParse(span, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var bare))
        {
            value = TimeSpan.FromSeconds(bare);
            return true;
        }

        var total = 0.0;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            span = span[digits..];
            var unitLength = 0;
            while (unitLength < span.Length && char.IsAsciiLetter(span[unitLength]))
            {
                unitLength++;
            }

            double? seconds = span[..unitLength] switch
            {
                "ms" => number / 1000,
                "s" => number,
                "m" => number * 60,
                "h" => number * 3600,
                "d" => number * 86400,
                _ => null,
            };
            if (seconds is null)
            {
                return false;
            }

            total += seconds.Value;
            span = span[unitLength..];
        }

        if (total > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(total);
        return true;
    }

    /// <summary>A System.CommandLine parser for an optional duration option.</summary>
    public static TimeSpan? Parse(System.CommandLine.Parsing.ArgumentResult result)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        if (TryParse(token, out var value))
        {
            return value;
        }

        result.AddError($"invalid duration '{token}': use e.g. 90s, 30m, 6h or 1h30m");
        return null;
    }
}
