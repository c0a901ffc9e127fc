using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary><c>a=group:&lt;semantics&gt; *(SP &lt;mid&gt;)</c> (RFC 5888 §5), e.g. <c>BUNDLE 0 1 2</c> (RFC 9143).</summary>
internal sealed record SdpGroup(string Semantics, IReadOnlyList<string> Mids) : ISdpAttributeValue<SdpGroup>
{
    public const string Bundle = "BUNDLE";

    public static string AttributeName => "group";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpGroup? result)
    {
        var parts = SdpText.SplitSpaces(value);
        result = parts.Length >= 1 && SdpText.IsToken(parts[0]) ? new SdpGroup(parts[0], parts[1..]) : null;
        return result is not null;
    }

    public string ToValue() => Mids.Count == 0 ? Semantics : $"{Semantics} {string.Join(' ', Mids)}";
}
