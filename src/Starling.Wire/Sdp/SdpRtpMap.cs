using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary>
/// <c>a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;channels&gt;]</c> (RFC 8866 §6.6),
/// e.g. <c>111 opus/48000/2</c>, <c>96 VP8/90000</c>.
/// </summary>
internal sealed record SdpRtpMap(int PayloadType, string EncodingName, uint ClockRate, int? Channels = null) : ISdpAttributeValue<SdpRtpMap>
{
    public static string AttributeName => "rtpmap";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpRtpMap? result)
    {
        result = null;
        var (pt, encoding) = SdpText.SplitFirst(value.Trim());
        var parts = encoding.Trim().Split('/');
        if (!SdpText.TryParseInt(pt, 0, 127, out var payloadType) || parts.Length is < 2 or > 3
            || !SdpText.IsToken(parts[0]) || !SdpText.TryParseUInt(parts[1], out var clock))
        {
            return false;
        }

        int? channels = null;
        if (parts.Length == 3)
        {
            if (!SdpText.TryParseInt(parts[2], 1, 255, out var count))
            {
                return false;
            }

            channels = count;
        }

        result = new SdpRtpMap(payloadType, parts[0], clock, channels);
        return true;
    }

    public string ToValue() =>
        $"{SdpText.Format(PayloadType)} {EncodingName}/{SdpText.Format(ClockRate)}{(Channels is { } c ? "/" + SdpText.Format(c) : string.Empty)}";
}
