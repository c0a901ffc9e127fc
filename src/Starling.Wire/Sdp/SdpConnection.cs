using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary><c>c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;</c> (RFC 8866 §5.7), e.g. <c>IN IP4 0.0.0.0</c>.</summary>
internal sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    /// <summary><c>IN IP4 0.0.0.0</c>: what JSEP writes when candidates carry the real addresses (RFC 8829 §5.2.1).</summary>
    public static SdpConnection Unspecified { get; } = new("IN", "IP4", "0.0.0.0");

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpConnection? connection)
    {
        var parts = SdpText.SplitSpaces(value);
        connection = parts.Length == 3 ? new SdpConnection(parts[0], parts[1], parts[2]) : null;
        return connection is not null;
    }

    public override string ToString() => $"{NetworkType} {AddressType} {Address}";
}
