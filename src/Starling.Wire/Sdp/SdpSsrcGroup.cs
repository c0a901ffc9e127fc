using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary>
/// <c>a=ssrc-group:&lt;semantics&gt; &lt;ssrc-id&gt; …</c> (RFC 5576 §4.2): <c>FID</c> pairs media and RTX
/// (RFC 4588), <c>SIM</c> lists simulcast layers (legacy Chrome), <c>FEC-FR</c> FlexFEC.
/// </summary>
internal sealed record SdpSsrcGroup(string Semantics, IReadOnlyList<uint> Ssrcs) : ISdpAttributeValue<SdpSsrcGroup>
{
    public const string Fid = "FID";
    public const string Sim = "SIM";

    public static string AttributeName => "ssrc-group";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpSsrcGroup? result)
    {
        result = null;
        var parts = SdpText.SplitSpaces(value);
        if (parts.Length < 2 || !SdpText.IsToken(parts[0]))
        {
            return false;
        }

        var ssrcs = new uint[parts.Length - 1];
        for (var i = 1; i < parts.Length; i++)
        {
            if (!SdpText.TryParseUInt(parts[i], out ssrcs[i - 1]))
            {
                return false;
            }
        }

        result = new SdpSsrcGroup(parts[0], ssrcs);
        return true;
    }

    public string ToValue() => $"{Semantics} {string.Join(' ', Ssrcs.Select(SdpText.Format))}";
}
