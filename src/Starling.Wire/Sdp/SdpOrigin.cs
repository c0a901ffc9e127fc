using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary>
/// <c>o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; &lt;nettype&gt; &lt;addrtype&gt; &lt;unicast-address&gt;</c>
/// (RFC 8866 §5.2), e.g. <c>- 4611731400430051336 2 IN IP4 127.0.0.1</c>. The session id is kept as text
/// (browsers write up to 64-bit values; RFC 8829 §5.2.1 asks for at most 63 bits).
/// </summary>
internal sealed record SdpOrigin(string Username, string SessionId, ulong SessionVersion, string NetworkType, string AddressType, string Address)
{
    public static bool TryParse(string value, [NotNullWhen(true)] out SdpOrigin? origin)
    {
        origin = null;
        var parts = SdpText.SplitSpaces(value);
        if (parts.Length != 6 || !ulong.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        origin = new SdpOrigin(parts[0], parts[1], version, parts[3], parts[4], parts[5]);
        return true;
    }

    public override string ToString() =>
        $"{Username} {SessionId} {SessionVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)} {NetworkType} {AddressType} {Address}";
}
