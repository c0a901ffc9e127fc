using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary>
/// <c>a=fmtp:&lt;format&gt; &lt;format specific parameters&gt;</c> (RFC 8866 §6.15), e.g.
/// <c>111 minptime=10;useinbandfec=1</c>, <c>97 apt=96</c>, <c>63 111/111</c>. Parameters are kept as written;
/// <see cref="GetParameter"/> reads the usual <c>key=value;…</c> form.
/// </summary>
internal sealed record SdpFmtp(int PayloadType, string Parameters) : ISdpAttributeValue<SdpFmtp>
{
    public static string AttributeName => "fmtp";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpFmtp? result)
    {
        var (pt, parameters) = SdpText.SplitFirst(value.Trim());
        result = SdpText.TryParseInt(pt, 0, 127, out var payloadType) ? new SdpFmtp(payloadType, parameters.Trim()) : null;
        return result is not null;
    }

    /// <summary>The value of <paramref name="key"/> in <c>key=value;key=value</c> (case-insensitive key), or null.</summary>
    public string? GetParameter(string key)
    {
        foreach (var pair in Parameters.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, value) = SdpText.SplitFirst(pair, '=');
            if (name.Trim().Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return value.Trim();
            }
        }

        return null;
    }

    public string ToValue() => $"{SdpText.Format(PayloadType)} {Parameters}";
}
