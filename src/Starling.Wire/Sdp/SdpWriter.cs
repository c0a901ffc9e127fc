using System.Text;

namespace Starling.Wire.Sdp;

/// <summary>
/// Writes a <see cref="SdpSessionDescription"/> with CRLF line ends in the order RFC 8866 §5 fixes and browsers
/// expect: <c>v o s i u e p c b t r z k a</c>, then per media section <c>m i c b k a</c>. Lines of unknown type go
/// after the known ones of their section, before the attributes.
/// </summary>
internal static class SdpWriter
{
    private const string SessionOrderBeforeConnection = "iuep";
    private const string SessionOrderAfterTiming = "rzk";
    private const string MediaOrderAfterBandwidth = "k";

    public static string Write(SdpSessionDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var sdp = new StringBuilder(4096);
        Line(sdp, 'v', SdpText.Format(description.Version));
        Line(sdp, 'o', description.Origin.ToString());
        Line(sdp, 's', description.SessionName);
        OtherLines(sdp, description.OtherLines, SessionOrderBeforeConnection);
        if (description.Connection is not null)
        {
            Line(sdp, 'c', description.Connection.ToString());
        }

        foreach (var bandwidth in description.Bandwidths)
        {
            Line(sdp, 'b', bandwidth);
        }

        foreach (var timing in description.Timings.Count == 0 ? ["0 0"] : description.Timings)
        {
            Line(sdp, 't', timing);
        }

        OtherLines(sdp, description.OtherLines, SessionOrderAfterTiming);
        UnknownLines(sdp, description.OtherLines, SessionOrderBeforeConnection + SessionOrderAfterTiming);
        Attributes(sdp, description.Attributes);
        foreach (var media in description.MediaDescriptions)
        {
            var port = media.NumberOfPorts is { } count ? $"{SdpText.Format(media.Port)}/{SdpText.Format(count)}" : SdpText.Format(media.Port);
            Line(sdp, 'm', media.Formats.Count == 0 ? $"{media.Media} {port} {media.Protocol}" : $"{media.Media} {port} {media.Protocol} {string.Join(' ', media.Formats)}");
            if (media.Information is not null)
            {
                Line(sdp, 'i', media.Information);
            }

            if (media.Connection is not null)
            {
                Line(sdp, 'c', media.Connection.ToString());
            }

            foreach (var bandwidth in media.Bandwidths)
            {
                Line(sdp, 'b', bandwidth);
            }

            OtherLines(sdp, media.OtherLines, MediaOrderAfterBandwidth);
            UnknownLines(sdp, media.OtherLines, MediaOrderAfterBandwidth);
            Attributes(sdp, media.Attributes);
        }

        return sdp.ToString();
    }

    private static void Attributes(StringBuilder sdp, SdpAttributeList attributes)
    {
        foreach (var attribute in attributes)
        {
            Line(sdp, 'a', attribute.ToString());
        }
    }

    private static void OtherLines(StringBuilder sdp, List<SdpLine> lines, string types)
    {
        foreach (var type in types)
        {
            foreach (var line in lines)
            {
                if (line.Type == type)
                {
                    Line(sdp, line.Type, line.Value);
                }
            }
        }
    }

    private static void UnknownLines(StringBuilder sdp, List<SdpLine> lines, string knownTypes)
    {
        foreach (var line in lines)
        {
            if (!knownTypes.Contains(line.Type, StringComparison.Ordinal))
            {
                Line(sdp, line.Type, line.Value);
            }
        }
    }

    private static void Line(StringBuilder sdp, char type, string value) => sdp.Append(type).Append('=').Append(value).Append("\r\n");
}
