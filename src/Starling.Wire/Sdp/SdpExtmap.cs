using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary>
/// <c>a=extmap:&lt;id&gt;[/&lt;direction&gt;] &lt;URI&gt; [&lt;extension attributes&gt;]</c> (RFC 8285 §8), e.g.
/// <c>4 urn:ietf:params:rtp-hdrext:sdes:mid</c>, <c>2/recvonly urn:… attrs</c>. Ids 1–14 fit the one-byte
/// form, 1–255 the two-byte form.
/// </summary>
internal sealed record SdpExtmap(int Id, string Uri, SdpDirection? Direction = null, string? Attributes = null) : ISdpAttributeValue<SdpExtmap>
{
    public static string AttributeName => "extmap";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpExtmap? result)
    {
        result = null;
        var (idPart, rest) = SdpText.SplitFirst(value.Trim());
        var (idText, directionText) = SdpText.SplitFirst(idPart, '/');
        var (uri, attributes) = SdpText.SplitFirst(rest.Trim());
        SdpDirection? direction = null;
        if (!SdpText.TryParseInt(idText, 1, 255, out var id) || !SdpText.IsToken(uri))
        {
            return false;
        }

        if (idPart.Contains('/', StringComparison.Ordinal))
        {
            if (!SdpDirections.TryParseDirection(directionText, out var parsed))
            {
                return false;
            }

            direction = parsed;
        }

        attributes = attributes.Trim();
        result = new SdpExtmap(id, uri, direction, attributes.Length == 0 ? null : attributes);
        return true;
    }

    public string ToValue() =>
        $"{SdpText.Format(Id)}{(Direction is { } d ? "/" + SdpDirections.Name(d) : string.Empty)} {Uri}{(Attributes is null ? string.Empty : " " + Attributes)}";
}
