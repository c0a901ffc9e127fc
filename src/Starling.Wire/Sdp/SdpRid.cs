using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary>
/// <c>a=rid:&lt;rid-id&gt; &lt;send|recv&gt; [pt=&lt;fmt list&gt;;][restriction;…]</c> (RFC 8851 §10), e.g.
/// <c>q send</c>, <c>h send max-width=640;max-height=360</c>. Restrictions are kept as written.
/// </summary>
internal sealed record SdpRid(string Id, SdpRidDirection Direction, string? Restrictions = null) : ISdpAttributeValue<SdpRid>
{
    public static string AttributeName => "rid";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpRid? result)
    {
        result = null;
        var (id, rest) = SdpText.SplitFirst(value.Trim());
        var (directionText, restrictions) = SdpText.SplitFirst(rest.Trim());
        if (!IsRidId(id))
        {
            return false;
        }

        SdpRidDirection direction;
        switch (directionText)
        {
            case "send":
                direction = SdpRidDirection.Send;
                break;
            case "recv":
                direction = SdpRidDirection.Recv;
                break;
            default:
                return false;
        }

        restrictions = restrictions.Trim();
        result = new SdpRid(id, direction, restrictions.Length == 0 ? null : restrictions);
        return true;
    }

    /// <summary>The payload types of a <c>pt=</c> restriction, or empty when there is none.</summary>
    public IReadOnlyList<int> PayloadTypes
    {
        get
        {
            foreach (var restriction in (Restrictions ?? string.Empty).Split(';', StringSplitOptions.TrimEntries))
            {
                if (restriction.StartsWith("pt=", StringComparison.Ordinal))
                {
                    return restriction[3..].Split(',').Select(p => SdpText.TryParseInt(p, 0, 127, out var pt) ? pt : -1).Where(p => p >= 0).ToArray();
                }
            }

            return [];
        }
    }

    /// <summary>rid-id = 1*(alpha-numeric / "-" / "_") (RFC 8851 §10), at most 255 characters.</summary>
    public static bool IsRidId(string id) =>
        id.Length is > 0 and <= 255 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public string ToValue() =>
        $"{Id} {(Direction == SdpRidDirection.Send ? "send" : "recv")}{(Restrictions is null ? string.Empty : " " + Restrictions)}";
}
