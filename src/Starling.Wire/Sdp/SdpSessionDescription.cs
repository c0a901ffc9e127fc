using System.Diagnostics.CodeAnalysis;

namespace Starling.Wire.Sdp;

/// <summary>
/// A parsed SDP session description (RFC 8866 §5) as WebRTC uses it (RFC 8829 JSEP):
/// <code>
/// v=0
/// o=- 4611731400430051336 2 IN IP4 127.0.0.1
/// s=-
/// t=0 0
/// a=group:BUNDLE 0 1 2
/// a=extmap-allow-mixed
/// a=msid-semantic: WMS
/// m=audio 9 UDP/TLS/RTP/SAVPF 111 63
/// …
/// </code>
/// Everything is kept, in order, so <see cref="ToString"/> writes back what <see cref="TryParse"/> read (with CRLF line
/// ends). Line types are written in RFC 8866's fixed order; attributes in the order they were read or added.
/// </summary>
internal sealed class SdpSessionDescription
{
    public SdpSessionDescription(SdpOrigin origin, string sessionName = "-")
    {
        Origin = origin;
        SessionName = sessionName;
    }

    public int Version { get; set; }

    public SdpOrigin Origin { get; set; }

    public string SessionName { get; set; }

    public SdpConnection? Connection { get; set; }

    public List<string> Bandwidths { get; } = [];

    /// <summary>The <c>t=</c> lines; JSEP writes one, <c>0 0</c>.</summary>
    public List<string> Timings { get; } = [];

    /// <summary><c>i=</c>, <c>u=</c>, <c>e=</c>, <c>p=</c>, <c>r=</c>, <c>z=</c>, <c>k=</c> and unknown lines, kept verbatim.</summary>
    public List<SdpLine> OtherLines { get; } = [];

    public SdpAttributeList Attributes { get; } = new();

    public List<SdpMediaDescription> MediaDescriptions { get; } = [];

    /// <summary>Lines the parser kept but could not read (e.g. a malformed <c>a=rtpmap</c>), as "line N: …".</summary>
    public IReadOnlyList<string> ParseWarnings { get; internal set; } = [];

    public IReadOnlyList<SdpGroup> Groups => Attributes.GetAll<SdpGroup>();

    /// <summary>The BUNDLE group (RFC 9143), or null.</summary>
    public SdpGroup? Bundle => Groups.FirstOrDefault(g => g.Semantics == SdpGroup.Bundle);

    public SdpMsidSemantic? MsidSemantic => Attributes.Get<SdpMsidSemantic>();

    /// <summary>Parses SDP text (CRLF or LF). False with a reason only for SDP no browser would accept.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SdpSessionDescription? description, [NotNullWhen(false)] out string? error) =>
        SdpParser.TryParse(text, out description, out error);

    /// <summary>The section with <c>a=mid:<paramref name="mid"/></c>, or null.</summary>
    public SdpMediaDescription? FindByMid(string mid) => MediaDescriptions.FirstOrDefault(m => m.Mid == mid);

    /// <summary>The ICE ufrag that applies to a section: its own, else the session's (RFC 8839 §5.4).</summary>
    public string? GetIceUfrag(SdpMediaDescription media) => media.Attributes.IceUfrag ?? Attributes.IceUfrag;

    public string? GetIcePwd(SdpMediaDescription media) => media.Attributes.IcePwd ?? Attributes.IcePwd;

    public SdpFingerprint? GetFingerprint(SdpMediaDescription media) => media.Attributes.Fingerprint ?? Attributes.Fingerprint;

    public SdpSetupRole? GetSetup(SdpMediaDescription media) => media.Attributes.Setup ?? Attributes.Setup;

    /// <summary>The SDP text, CRLF line ends, RFC 8866 line order.</summary>
    public override string ToString() => SdpWriter.Write(this);
}
