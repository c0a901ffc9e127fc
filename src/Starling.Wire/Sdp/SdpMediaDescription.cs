namespace Starling.Wire.Sdp;

/// <summary>
/// One media section (RFC 8866 §5.14):
/// <c>m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; …</c> followed by its
/// <c>i=</c>, <c>c=</c>, <c>b=</c>, <c>k=</c> and <c>a=</c> lines, e.g.
/// <c>m=video 9 UDP/TLS/RTP/SAVPF 96 97</c> or <c>m=application 9 UDP/DTLS/SCTP webrtc-datachannel</c>.
/// Typed accessors read and write the attributes JSEP uses (RFC 8829 §5); anything else stays in
/// <see cref="Attributes"/> verbatim.
/// </summary>
internal sealed class SdpMediaDescription
{
    public SdpMediaDescription(string media, int port, string protocol, IEnumerable<string> formats)
    {
        Media = media;
        Port = port;
        Protocol = protocol;
        Formats = [.. formats];
    }

    /// <summary>audio, video, application, …</summary>
    public string Media { get; set; }

    /// <summary>9 with trickle ICE (RFC 8840 §4.1.1); 0 rejects the section unless it is bundle-only.</summary>
    public int Port { get; set; }

    public int? NumberOfPorts { get; set; }

    /// <summary>UDP/TLS/RTP/SAVPF for media, UDP/DTLS/SCTP for data (RFC 8829 §5.1.2).</summary>
    public string Protocol { get; set; }

    /// <summary>Payload types for RTP, <c>webrtc-datachannel</c> for SCTP.</summary>
    public List<string> Formats { get; }

    public string? Information { get; set; }

    public SdpConnection? Connection { get; set; }

    /// <summary><c>b=</c> values as written, e.g. <c>AS:2500</c>, <c>TIAS:2500000</c>.</summary>
    public List<string> Bandwidths { get; } = [];

    /// <summary><c>k=</c> and lines of unknown type, kept verbatim.</summary>
    public List<SdpLine> OtherLines { get; } = [];

    public SdpAttributeList Attributes { get; } = new();

    public bool IsAudio => Media == "audio";

    public bool IsVideo => Media == "video";

    public bool IsApplication => Media == "application";

    /// <summary>Port 0 without <c>a=bundle-only</c>: a rejected or stopped section (RFC 8829 §5.2.2, RFC 9143 §6).</summary>
    public bool IsRejected => Port == 0 && !Attributes.Has("bundle-only");

    /// <summary>The payload types of an RTP section (formats that are numbers).</summary>
    public IReadOnlyList<int> PayloadTypes =>
        Formats.Select(f => SdpText.TryParseInt(f, 0, 127, out var pt) ? pt : -1).Where(pt => pt >= 0).ToArray();

    public string? Mid
    {
        get => Attributes.GetValue("mid");
        set
        {
            if (value is null)
            {
                Attributes.RemoveAll("mid");
            }
            else
            {
                Attributes.Set("mid", value);
            }
        }
    }

    /// <summary>The section's direction; sendrecv when none is written. Setting replaces it in place.</summary>
    public SdpDirection Direction
    {
        get => Attributes.Direction ?? SdpDirection.SendRecv;
        set => Attributes.Direction = value;
    }

    public IReadOnlyList<SdpMsid> Msids => Attributes.GetAll<SdpMsid>();

    public bool RtcpMux
    {
        get => Attributes.Has("rtcp-mux");
        set => Attributes.SetFlag("rtcp-mux", value);
    }

    /// <summary><c>a=rtcp-rsize</c> (RFC 5506): reduced-size RTCP allowed.</summary>
    public bool RtcpRsize
    {
        get => Attributes.Has("rtcp-rsize");
        set => Attributes.SetFlag("rtcp-rsize", value);
    }

    public IReadOnlyList<SdpRtpMap> RtpMaps => Attributes.GetAll<SdpRtpMap>();

    public IReadOnlyList<SdpFmtp> Fmtps => Attributes.GetAll<SdpFmtp>();

    public IReadOnlyList<SdpRtcpFeedback> RtcpFeedback => Attributes.GetAll<SdpRtcpFeedback>();

    public IReadOnlyList<SdpExtmap> Extmaps => Attributes.GetAll<SdpExtmap>();

    public IReadOnlyList<SdpSsrc> Ssrcs => Attributes.GetAll<SdpSsrc>();

    public IReadOnlyList<SdpSsrcGroup> SsrcGroups => Attributes.GetAll<SdpSsrcGroup>();

    public IReadOnlyList<SdpRid> Rids => Attributes.GetAll<SdpRid>();

    public SdpSimulcast? Simulcast => Attributes.Get<SdpSimulcast>();

    /// <summary><c>a=sctp-port</c> (RFC 8841 §5).</summary>
    public int? SctpPort
    {
        get => Attributes.GetValue("sctp-port") is { } v && SdpText.TryParseInt(v.Trim(), 0, 65535, out var port) ? port : null;
        set => SetNumber("sctp-port", value);
    }

    /// <summary><c>a=max-message-size</c> (RFC 8841 §6); 0 means no limit.</summary>
    public long? MaxMessageSize
    {
        get => Attributes.GetValue("max-message-size") is { } v && SdpText.TryParseLong(v.Trim(), out var size) ? size : null;
        set => SetNumber("max-message-size", value);
    }

    public SdpRtpMap? GetRtpMap(int payloadType) => RtpMaps.FirstOrDefault(m => m.PayloadType == payloadType);

    public SdpFmtp? GetFmtp(int payloadType) => Fmtps.FirstOrDefault(f => f.PayloadType == payloadType);

    /// <summary>Feedback for <paramref name="payloadType"/>, including wildcard entries.</summary>
    public IReadOnlyList<SdpRtcpFeedback> GetRtcpFeedback(int payloadType) => RtcpFeedback.Where(f => f.AppliesTo(payloadType)).ToArray();

    public override string ToString() => $"m={Media} {Port} {Protocol} {string.Join(' ', Formats)}";

    private void SetNumber(string name, long? value)
    {
        if (value is { } number)
        {
            Attributes.Set(name, SdpText.Format(number));
        }
        else
        {
            Attributes.RemoveAll(name);
        }
    }
}
