using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary>
/// <c>a=msid-semantic: WMS [*|stream ids]</c> (the pre-RFC 8830 session attribute every WebRTC stack still writes,
/// with a space after the colon). Written back in Chrome's form.
/// </summary>
internal sealed record SdpMsidSemantic(string Semantic, IReadOnlyList<string> Identifiers) : ISdpAttributeValue<SdpMsidSemantic>
{
    public static string AttributeName => "msid-semantic";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpMsidSemantic? result)
    {
        var parts = SdpText.SplitSpaces(value);
        result = parts.Length >= 1 && SdpText.IsToken(parts[0]) ? new SdpMsidSemantic(parts[0], parts[1..]) : null;
        return result is not null;
    }

    public string ToValue() => Identifiers.Count == 0 ? $" {Semantic}" : $" {Semantic} {string.Join(' ', Identifiers)}";
}
