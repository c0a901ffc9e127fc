using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary>
/// Parses SDP (RFC 8866 §5) tolerantly, like browsers: CRLF or bare LF, every line kept. Fatal — returned as an error,
/// never thrown — only what browsers reject outright: no <c>v=0</c> first, a line not of the form <c>x=…</c>, a
/// malformed <c>o=</c>, <c>c=</c> or <c>m=</c>, or a text over 2 MiB. A malformed value of a known attribute, an empty
/// line or a missing <c>s=</c>/<c>t=</c> is a warning (<see cref="SdpSessionDescription.ParseWarnings"/>).
/// </summary>
internal static class SdpParser
{
    /// <summary>LiveKit's signal message limit (reference §11); no real SDP comes near it.</summary>
    public const int MaxLength = 2 * 1024 * 1024;

    private static readonly Dictionary<string, Func<string, bool>> Validators = new(StringComparer.Ordinal)
    {
        ["group"] = v => SdpGroup.TryParse(v, out _),
        ["msid-semantic"] = v => SdpMsidSemantic.TryParse(v, out _),
        ["msid"] = v => SdpMsid.TryParse(v, out _),
        ["fingerprint"] = v => SdpFingerprint.TryParse(v, out _),
        ["setup"] = v => SdpDirections.TryParseSetup(v, out _),
        ["rtpmap"] = v => SdpRtpMap.TryParse(v, out _),
        ["fmtp"] = v => SdpFmtp.TryParse(v, out _),
        ["rtcp-fb"] = v => SdpRtcpFeedback.TryParse(v, out _),
        ["extmap"] = v => SdpExtmap.TryParse(v, out _),
        ["ssrc"] = v => SdpSsrc.TryParse(v, out _),
        ["ssrc-group"] = v => SdpSsrcGroup.TryParse(v, out _),
        ["rid"] = v => SdpRid.TryParse(v, out _),
        ["simulcast"] = v => SdpSimulcast.TryParse(v, out _),
        ["candidate"] = v => IceCandidate.TryParse(v, out _),
        ["sctp-port"] = v => SdpText.TryParseInt(v.Trim(), 0, 65535, out _),
        ["max-message-size"] = v => SdpText.TryParseLong(v.Trim(), out _),
        ["mid"] = v => v.Length > 0,
        ["ice-ufrag"] = v => v.Length > 0,
        ["ice-pwd"] = v => v.Length > 0,
    };

    public static bool TryParse(string? text, [NotNullWhen(true)] out SdpSessionDescription? description, [NotNullWhen(false)] out string? error)
    {
        description = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "SDP is empty";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"SDP is longer than {MaxLength} characters";
            return false;
        }

        var lines = text.Split('\n');
        var count = lines.Length;
        while (count > 0 && lines[count - 1].TrimEnd('\r').Length == 0)
        {
            count--;
        }

        var warnings = new List<string>();
        SdpMediaDescription? media = null;
        SdpSessionDescription? session = null;
        var sawSessionName = false;
        for (var i = 0; i < count; i++)
        {
            var number = i + 1;
            var line = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            if (line.Length == 0)
            {
                warnings.Add($"line {number}: empty line ignored");
                continue;
            }

            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                error = $"line {number}: not a 'x=value' SDP line";
                return false;
            }

            var type = line[0];
            var value = line[2..];
            if (session is null)
            {
                if (type != 'v' || value != "0")
                {
                    error = "line 1: SDP must start with v=0";
                    return false;
                }

                if (i + 1 >= count || !lines[i + 1].StartsWith("o=", StringComparison.Ordinal)
                    || !SdpOrigin.TryParse(lines[i + 1].TrimEnd('\r')[2..], out var origin))
                {
                    error = "line 2: missing or malformed o= line";
                    return false;
                }

                session = new SdpSessionDescription(origin, string.Empty);
                i++;
                continue;
            }

            switch (type)
            {
                case 'v' or 'o':
                    warnings.Add($"line {number}: repeated {type}= line ignored");
                    break;
                case 'm':
                    if (!TryParseMediaLine(value, out media))
                    {
                        error = $"line {number}: malformed m= line";
                        return false;
                    }

                    session.MediaDescriptions.Add(media);
                    break;
                case 'c':
                    if (!SdpConnection.TryParse(value, out var connection))
                    {
                        error = $"line {number}: malformed c= line";
                        return false;
                    }

                    if (media is null)
                    {
                        session.Connection = connection;
                    }
                    else
                    {
                        media.Connection = connection;
                    }

                    break;
                case 'a':
                    var attribute = ParseAttribute(value);
                    if (attribute.Value is not null && Validators.TryGetValue(attribute.Name, out var validate) && !validate(attribute.Value))
                    {
                        warnings.Add($"line {number}: malformed a={attribute.Name} kept verbatim");
                    }

                    (media?.Attributes ?? session.Attributes).Add(attribute);
                    break;
                case 'b':
                    (media?.Bandwidths ?? session.Bandwidths).Add(value);
                    break;
                case 's' when media is null:
                    session.SessionName = value;
                    sawSessionName = true;
                    break;
                case 't' when media is null:
                    session.Timings.Add(value);
                    break;
                case 'i' when media is not null:
                    media.Information = value;
                    break;
                default:
                    (media?.OtherLines ?? session.OtherLines).Add(new SdpLine(type, value));
                    break;
            }
        }

        if (session is null)
        {
            error = "SDP has no lines";
            return false;
        }

        if (!sawSessionName)
        {
            warnings.Add("no s= line");
        }

        if (session.Timings.Count == 0)
        {
            warnings.Add("no t= line");
        }

        session.ParseWarnings = warnings;
        description = session;
        error = null;
        return true;
    }

    private static SdpAttribute ParseAttribute(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new SdpAttribute(value) : new SdpAttribute(value[..colon], value[(colon + 1)..]);
    }

    /// <summary><c>&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; *(SP &lt;fmt&gt;)</c>.</summary>
    private static bool TryParseMediaLine(string value, [NotNullWhen(true)] out SdpMediaDescription? media)
    {
        media = null;
        var parts = SdpText.SplitSpaces(value);
        if (parts.Length < 3 || !SdpText.IsToken(parts[0]) || !SdpText.IsToken(parts[2]))
        {
            return false;
        }

        var (portText, countText) = SdpText.SplitFirst(parts[1], '/');
        if (!SdpText.TryParseInt(portText, 0, 65535, out var port))
        {
            return false;
        }

        int? numberOfPorts = null;
        if (parts[1].Contains('/', StringComparison.Ordinal))
        {
            if (!SdpText.TryParseInt(countText, 1, 65535, out var ports))
            {
                return false;
            }

            numberOfPorts = ports;
        }

        media = new SdpMediaDescription(parts[0], port, parts[2], parts[3..]) { NumberOfPorts = numberOfPorts };
        return true;
    }
}
