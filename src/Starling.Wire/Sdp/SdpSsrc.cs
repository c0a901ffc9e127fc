using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary>
/// <c>a=ssrc:&lt;ssrc-id&gt; &lt;attribute&gt;[:&lt;value&gt;]</c> (RFC 5576 §4.1), e.g. <c>1001 cname:abc</c>,
/// <c>1001 msid:PA_x|TR_y TR_y</c>.
/// </summary>
internal sealed record SdpSsrc(uint Ssrc, string Attribute, string? Value = null) : ISdpAttributeValue<SdpSsrc>
{
    public static string AttributeName => "ssrc";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpSsrc? result)
    {
        result = null;
        var (ssrcText, rest) = SdpText.SplitFirst(value.Trim());
        if (!SdpText.TryParseUInt(ssrcText, out var ssrc))
        {
            return false;
        }

        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var attribute = colon < 0 ? rest.Trim() : rest[..colon];
        if (!SdpText.IsToken(attribute))
        {
            return false;
        }

        result = new SdpSsrc(ssrc, attribute, colon < 0 ? null : rest[(colon + 1)..]);
        return true;
    }

    public string ToValue() => $"{SdpText.Format(Ssrc)} {Attribute}{(Value is null ? string.Empty : ":" + Value)}";
}
