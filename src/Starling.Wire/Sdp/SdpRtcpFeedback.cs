using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary>
/// <c>a=rtcp-fb:&lt;payload type or *&gt; &lt;type&gt; [&lt;parameter&gt;]</c> (RFC 4585 §4.2), e.g. <c>96 nack pli</c>,
/// <c>96 ccm fir</c>, <c>* transport-cc</c>. A null <see cref="PayloadType"/> is the wildcard.
/// </summary>
internal sealed record SdpRtcpFeedback(int? PayloadType, string Type, string? Parameter = null) : ISdpAttributeValue<SdpRtcpFeedback>
{
    public static string AttributeName => "rtcp-fb";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpRtcpFeedback? result)
    {
        result = null;
        var (pt, rest) = SdpText.SplitFirst(value.Trim());
        var (type, parameter) = SdpText.SplitFirst(rest.Trim());
        int? payloadType = null;
        if (pt != "*")
        {
            if (!SdpText.TryParseInt(pt, 0, 127, out var number))
            {
                return false;
            }

            payloadType = number;
        }

        if (!SdpText.IsToken(type))
        {
            return false;
        }

        parameter = parameter.Trim();
        result = new SdpRtcpFeedback(payloadType, type, parameter.Length == 0 ? null : parameter);
        return true;
    }

    /// <summary>True when this feedback applies to <paramref name="payloadType"/> (its own or the wildcard).</summary>
    public bool AppliesTo(int payloadType) => PayloadType is null || PayloadType == payloadType;

    public string ToValue() =>
        $"{(PayloadType is { } pt ? SdpText.Format(pt) : "*")} {Type}{(Parameter is null ? string.Empty : " " + Parameter)}";
}
