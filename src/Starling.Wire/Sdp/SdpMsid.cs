using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary>
/// <c>a=msid:&lt;stream id&gt; [&lt;track id&gt;]</c> (RFC 8830 §2). "-" is the no-stream id. LiveKit subscriber
/// media uses <c>PA_xxx|TR_xxx TR_xxx</c> (reference §1 trap 7).
/// </summary>
internal sealed record SdpMsid(string StreamId, string? TrackId = null) : ISdpAttributeValue<SdpMsid>
{
    public static string AttributeName => "msid";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpMsid? result)
    {
        var parts = SdpText.SplitSpaces(value);
        result = parts.Length is 1 or 2 && SdpText.IsToken(parts[0]) ? new SdpMsid(parts[0], parts.Length == 2 ? parts[1] : null) : null;
        return result is not null;
    }

    public string ToValue() => TrackId is null ? StreamId : $"{StreamId} {TrackId}";
}
