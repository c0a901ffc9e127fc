using System.Globalization;
using System.Text;
using Starling.Wire.Rtp;
using Starling.Wire.Sdp;

namespace Starling.Transport.WebRtc;

/// <summary>
/// Builds our SDP, as pure functions of the remote description and <see cref="LocalSdpParameters"/>
/// (RFC 8829 JSEP, RFC 8839 ICE, RFC 8842 DTLS, RFC 8841 SCTP). We are ICE-lite and always the DTLS server:
/// answers say <c>a=setup:passive</c>, offers <c>a=setup:actpass</c> (the browser then answers active).
/// Every accepted section is bundled on one transport; candidates ride in the SDP (no trickle needed).
/// Audio and video sections are accepted with one codec each; media forwarding decides their direction.
/// </summary>
internal static class SdpNegotiator
{
    private static readonly string[] SupportedVideoCodecs = ["VP8", "H264", "VP9", "AV1"];

    private static readonly HashSet<string> SupportedExtensions = new(StringComparer.Ordinal)
    {
        "urn:ietf:params:rtp-hdrext:sdes:mid",
        "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
        "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
        "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
        "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
        "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
        "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension",
        "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time",
    };

    private static readonly HashSet<string> SupportedFeedback = new(StringComparer.Ordinal)
    {
        "nack", "nack pli", "ccm fir", "transport-cc", "goog-remb",
    };

    /// <summary>Reads the transport parameters of a remote description.</summary>
    /// <exception cref="FormatException">Not SDP, or without ICE credentials or a DTLS fingerprint.</exception>
    public static RemoteSdpParameters ReadRemote(SdpSessionDescription remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var first = remote.MediaDescriptions.FirstOrDefault(m => !m.IsRejected)
            ?? throw new FormatException("the description has no usable media section");
        var ufrag = remote.GetIceUfrag(first) ?? throw new FormatException("the description has no a=ice-ufrag");
        var pwd = remote.GetIcePwd(first) ?? throw new FormatException("the description has no a=ice-pwd");
        var fingerprint = remote.GetFingerprint(first) ?? throw new FormatException("the description has no a=fingerprint");
        return new RemoteSdpParameters(ufrag, pwd, fingerprint.ToValue(), remote.MediaDescriptions.Any(m => m.IsApplication && !m.IsRejected));
    }

    /// <summary>Parses SDP text or throws <see cref="FormatException"/> with the parser's reason.</summary>
    public static SdpSessionDescription Parse(string sdp)
    {
        if (!SdpSessionDescription.TryParse(sdp, out var description, out var error))
        {
            throw new FormatException("invalid SDP: " + error);
        }

        return description;
    }

    /// <summary>
    /// Answers a client offer: every section it offered, in order, bundled on our one transport. A receive section we
    /// send in (<paramref name="assignments"/>) is answered with the assignment's payload type first; a video section
    /// the client sends in with the payload type <paramref name="publishCodecs"/> picks (the codec the client asked to
    /// publish with), else the first codec we support.
    /// </summary>
    public static string BuildAnswer(SdpSessionDescription offer, LocalSdpParameters local, Func<string, MediaSendAssignment?>? assignments = null, Func<SdpMediaDescription, int?>? publishCodecs = null)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(local);
        var sections = new List<(string Mid, string Text, bool Accepted)>();
        var candidatesWritten = false;
        foreach (var media in offer.MediaDescriptions)
        {
            var mid = media.Mid ?? sections.Count.ToString(CultureInfo.InvariantCulture);
            var section = new StringBuilder();
            var accepted = !media.IsRejected && (media.IsApplication || media.IsAudio || media.IsVideo);
            if (!accepted)
            {
                sections.Add((mid, Rejected(media, mid), false));
                continue;
            }

            if (media.IsApplication)
            {
                section.Append("m=application 9 ").Append(media.Protocol).Append(' ').Append(string.Join(' ', media.Formats)).Append("\r\n");
                section.Append("c=IN IP4 0.0.0.0\r\n");
                AppendTransport(section, local, mid, "passive", ref candidatesWritten);
                section.Append("a=sctp-port:").Append(local.SctpPort).Append("\r\n");
                section.Append("a=max-message-size:").Append(local.MaxMessageSize).Append("\r\n");
            }
            else if (!AppendRtpAnswer(section, media, local, mid, assignments?.Invoke(mid), publishCodecs, ref candidatesWritten))
            {
                sections.Add((mid, Rejected(media, mid), false));
                continue;
            }

            sections.Add((mid, section.ToString(), true));
        }

        var sdp = new StringBuilder();
        AppendSessionHeader(sdp, local, sections.Where(s => s.Accepted).Select(s => s.Mid), offer.Attributes.ExtmapAllowMixed);
        foreach (var (_, text, _) in sections)
        {
            sdp.Append(text);
        }

        return sdp.ToString();
    }

    /// <summary>A section we do not take: port 0, the offered formats echoed, outside the bundle (RFC 8829 §5.3.1).</summary>
    private static string Rejected(SdpMediaDescription media, string mid) =>
        $"m={media.Media} 0 {media.Protocol} {string.Join(' ', media.Formats)}\r\nc=IN IP4 0.0.0.0\r\na=mid:{mid}\r\n";

    /// <summary>
    /// The header extensions our offers carry, with fixed ids so one id means one URI across the whole bundle. Only
    /// what the down-track forwards or stamps is offered: the publisher's audio level, our abs-send-time, transport-wide
    /// sequence number and mid, and for video the AV1 dependency descriptor (VP9/AV1 SVC). Ids 1–14 fit the one-byte form, so both
    /// header forms can carry them.
    /// </summary>
    public static IReadOnlyList<SdpExtmap> OfferExtensions(bool audio) => audio ? AudioOfferExtensions : VideoOfferExtensions;

    /// <summary>Our fixed id for the transport-wide sequence number in offers.</summary>
    public const int OfferTransportCcId = 3;

    private static readonly SdpExtmap[] AudioOfferExtensions =
    [
        new(1, RtpExtensionUri.AudioLevel),
        new(2, RtpExtensionUri.AbsSendTime),
        new(OfferTransportCcId, RtpExtensionUri.TransportWideCc),
        new(4, RtpExtensionUri.Mid),
    ];

    private static readonly SdpExtmap[] VideoOfferExtensions =
    [
        new(2, RtpExtensionUri.AbsSendTime),
        new(OfferTransportCcId, RtpExtensionUri.TransportWideCc),
        new(4, RtpExtensionUri.Mid),
        new(12, RtpExtensionUri.DependencyDescriptor),
    ];

    /// <summary>RTCP feedback our offers ask for: NACK and transport-cc for audio; NACK, PLI, FIR and transport-cc for video.</summary>
    public static IReadOnlyList<string> OfferFeedback(bool audio) => audio ? AudioOfferFeedback : VideoOfferFeedback;

    private static readonly string[] AudioOfferFeedback = ["nack", "transport-cc"];

    private static readonly string[] VideoOfferFeedback = ["nack", "nack pli", "ccm fir", "transport-cc"];

    /// <summary>
    /// Our offer for a server-offered (v0 subscriber) transport: the data section (mid <c>0</c>) first, then every
    /// media section in the order it was first offered (sections are never removed, JSEP §5.2.2), all bundled except
    /// the rejected ones. Each media section carries one codec; <c>sendonly</c> ones name the track in
    /// <c>a=msid</c> and <c>a=ssrc</c>, the others are <c>inactive</c>.
    /// </summary>
    public static string BuildOffer(LocalSdpParameters local, IReadOnlyList<OfferedMediaSection> media)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(media);
        var sdp = new StringBuilder();
        AppendSessionHeader(sdp, local, ["0", .. media.Where(m => !m.Rejected).Select(m => m.Mid)], extmapAllowMixed: media.Count > 0);
        var candidatesWritten = false;
        sdp.Append("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n");
        sdp.Append("c=IN IP4 0.0.0.0\r\n");
        AppendTransport(sdp, local, "0", "actpass", ref candidatesWritten);
        sdp.Append("a=sctp-port:").Append(local.SctpPort).Append("\r\n");
        sdp.Append("a=max-message-size:").Append(local.MaxMessageSize).Append("\r\n");
        foreach (var section in media)
        {
            AppendOfferedMedia(sdp, local, section, ref candidatesWritten);
        }

        return sdp.ToString();
    }

    private static void AppendOfferedMedia(StringBuilder sdp, LocalSdpParameters local, OfferedMediaSection section, ref bool candidatesWritten)
    {
        var codec = section.Codec;
        var pt = codec.PayloadType.ToString(CultureInfo.InvariantCulture);
        var kind = section.IsAudio ? "audio" : "video";
        if (section.Rejected)
        {
            sdp.Append("m=").Append(kind).Append(" 0 UDP/TLS/RTP/SAVPF ").Append(pt).Append("\r\n");
            sdp.Append("c=IN IP4 0.0.0.0\r\n");
            sdp.Append("a=mid:").Append(section.Mid).Append("\r\n");
            return;
        }

        var rtxPt = codec.RtxPayloadType is > 0 and <= 127 && !section.IsAudio ? codec.RtxPayloadType.ToString(CultureInfo.InvariantCulture) : null;
        sdp.Append("m=").Append(kind).Append(" 9 UDP/TLS/RTP/SAVPF ").Append(pt);
        if (rtxPt is not null)
        {
            sdp.Append(' ').Append(rtxPt);
        }

        sdp.Append("\r\n");
        sdp.Append("c=IN IP4 0.0.0.0\r\n");
        sdp.Append("a=rtcp:9 IN IP4 0.0.0.0\r\n");
        AppendTransport(sdp, local, section.Mid, "actpass", ref candidatesWritten);
        foreach (var ext in OfferExtensions(section.IsAudio))
        {
            sdp.Append("a=extmap:").Append(ext.ToValue()).Append("\r\n");
        }

        var send = section.Send;
        sdp.Append(send is null ? "a=inactive\r\n" : "a=sendonly\r\n");
        if (send is not null)
        {
            sdp.Append("a=msid:").Append(send.StreamId).Append(' ').Append(send.TrackId).Append("\r\n");
        }

        sdp.Append("a=rtcp-mux\r\n");
        sdp.Append("a=rtcp-rsize\r\n");
        sdp.Append("a=rtpmap:").Append(new SdpRtpMap(codec.PayloadType, codec.EncodingName, codec.ClockRate, codec.Channels).ToValue()).Append("\r\n");
        foreach (var feedback in OfferFeedback(section.IsAudio))
        {
            sdp.Append("a=rtcp-fb:").Append(pt).Append(' ').Append(feedback).Append("\r\n");
        }

        if (codec.FormatParameters is { Length: > 0 } fmtp)
        {
            sdp.Append("a=fmtp:").Append(pt).Append(' ').Append(fmtp).Append("\r\n");
        }

        if (rtxPt is not null)
        {
            sdp.Append("a=rtpmap:").Append(rtxPt).Append(" rtx/").Append(codec.ClockRate).Append("\r\n");
            sdp.Append("a=fmtp:").Append(rtxPt).Append(" apt=").Append(pt).Append("\r\n");
        }

        if (send is not null)
        {
            AppendSsrc(sdp, send, withRtx: rtxPt is not null);
        }
    }

    /// <summary>
    /// Our <c>a=ssrc</c> lines for a section we send in; with <paramref name="withRtx"/> and an RTX SSRC, first the
    /// <c>a=ssrc-group:FID media rtx</c> pairing (RFC 5576 §4.2, RFC 4588 §8.7) and lines for the RTX SSRC too, so the
    /// receiver knows which stream the retransmissions repair.
    /// </summary>
    private static void AppendSsrc(StringBuilder section, MediaSendAssignment send, bool withRtx)
    {
        var rtx = withRtx && send.RtxSsrc != 0 && send.RtxSsrc != send.Ssrc;
        if (rtx)
        {
            section.Append("a=ssrc-group:FID ").Append(send.Ssrc).Append(' ').Append(send.RtxSsrc).Append("\r\n");
        }

        AppendSsrcLines(section, send, send.Ssrc);
        if (rtx)
        {
            AppendSsrcLines(section, send, send.RtxSsrc);
        }
    }

    private static void AppendSsrcLines(StringBuilder section, MediaSendAssignment send, uint ssrc)
    {
        section.Append("a=ssrc:").Append(ssrc).Append(" cname:").Append(send.StreamId).Append("\r\n");
        section.Append("a=ssrc:").Append(ssrc).Append(" msid:").Append(send.StreamId).Append(' ').Append(send.TrackId).Append("\r\n");
    }

    private static void AppendSessionHeader(StringBuilder sdp, LocalSdpParameters local, IEnumerable<string> bundle, bool extmapAllowMixed)
    {
        sdp.Append("v=0\r\n");
        sdp.Append("o=- ").Append(local.SessionId).Append(' ').Append(local.SessionVersion).Append(" IN IP4 127.0.0.1\r\n");
        sdp.Append("s=-\r\n");
        sdp.Append("t=0 0\r\n");
        sdp.Append("a=ice-lite\r\n");
        var mids = string.Join(' ', bundle);
        if (mids.Length > 0)
        {
            sdp.Append("a=group:BUNDLE ").Append(mids).Append("\r\n");
        }

        if (extmapAllowMixed)
        {
            sdp.Append("a=extmap-allow-mixed\r\n");
        }

        sdp.Append("a=msid-semantic: WMS *\r\n");
    }

    private static void AppendTransport(StringBuilder section, LocalSdpParameters local, string mid, string setup, ref bool candidatesWritten)
    {
        section.Append("a=ice-ufrag:").Append(local.IceUfrag).Append("\r\n");
        section.Append("a=ice-pwd:").Append(local.IcePassword).Append("\r\n");
        section.Append("a=fingerprint:").Append(local.Fingerprint).Append("\r\n");
        section.Append("a=setup:").Append(setup).Append("\r\n");
        section.Append("a=mid:").Append(mid).Append("\r\n");
        if (!candidatesWritten)
        {
            foreach (var candidate in local.Candidates)
            {
                section.Append("a=").Append(candidate).Append("\r\n");
            }

            section.Append("a=end-of-candidates\r\n");
            candidatesWritten = true;
        }
    }

    private static bool AppendRtpAnswer(StringBuilder section, SdpMediaDescription media, LocalSdpParameters local, string mid, MediaSendAssignment? send, Func<SdpMediaDescription, int?>? publishCodecs, ref bool candidatesWritten)
    {
        var clientSends = media.Direction is SdpDirection.SendOnly or SdpDirection.SendRecv;
        var preferred = send?.PayloadType ?? (clientSends ? publishCodecs?.Invoke(media) : null);
        var codecs = ChooseCodecs(media, preferred);
        if (codecs.Count == 0)
        {
            return false;
        }

        section.Append("m=").Append(media.Media).Append(" 9 ").Append(media.Protocol).Append(' ')
            .Append(string.Join(' ', codecs.Select(c => c.ToString(CultureInfo.InvariantCulture)))).Append("\r\n");
        section.Append("c=IN IP4 0.0.0.0\r\n");
        section.Append("a=rtcp:9 IN IP4 0.0.0.0\r\n");
        AppendTransport(section, local, mid, "passive", ref candidatesWritten);
        foreach (var ext in media.Extmaps)
        {
            if (SupportedExtensions.Contains(ext.Uri))
            {
                section.Append("a=extmap:").Append(ext.Id).Append(' ').Append(ext.Uri).Append("\r\n");
            }
        }

        var clientReceives = media.Direction is SdpDirection.RecvOnly or SdpDirection.SendRecv;
        var weSend = send is not null && clientReceives;
        var direction = (clientSends, weSend) switch
        {
            (true, true) => "sendrecv",
            (true, false) => "recvonly",
            (false, true) => "sendonly",
            _ => "inactive",
        };
        section.Append("a=").Append(direction).Append("\r\n");
        if (weSend)
        {
            section.Append("a=msid:").Append(send!.StreamId).Append(' ').Append(send.TrackId).Append("\r\n");
        }
        section.Append("a=rtcp-mux\r\n");
        if (media.RtcpRsize)
        {
            section.Append("a=rtcp-rsize\r\n");
        }

        foreach (var pt in codecs)
        {
            var map = media.GetRtpMap(pt)!;
            section.Append("a=rtpmap:").Append(map.PayloadType).Append(' ').Append(map.EncodingName).Append('/').Append(map.ClockRate);
            if (map.Channels is { } channels)
            {
                section.Append('/').Append(channels);
            }

            section.Append("\r\n");
            foreach (var fb in media.GetRtcpFeedback(pt))
            {
                var text = fb.Parameter is { Length: > 0 } p ? fb.Type + " " + p : fb.Type;
                if (SupportedFeedback.Contains(text))
                {
                    section.Append("a=rtcp-fb:").Append(pt).Append(' ').Append(text).Append("\r\n");
                }
            }

            if (media.GetFmtp(pt) is { } fmtp)
            {
                section.Append("a=fmtp:").Append(pt).Append(' ').Append(fmtp.Parameters).Append("\r\n");
            }
        }

        if (weSend)
        {
            AppendSsrc(section, send!, withRtx: !media.IsAudio && ChosenRtx(media, preferred) is not null);
        }

        if (media.Direction is SdpDirection.SendOnly or SdpDirection.SendRecv && media.Simulcast is not null && media.Rids.Count > 0)
        {
            foreach (var rid in media.Rids)
            {
                section.Append("a=rid:").Append(rid.Id).Append(" recv\r\n");
            }

            section.Append("a=simulcast:recv ").Append(string.Join(';', media.Rids.Select(r => r.Id))).Append("\r\n");
        }

        return true;
    }

    /// <summary>
    /// The media codec we accept in a section (not RED or RTX): the video payload type <paramref name="preferred"/> when
    /// the section offers it, else the first we support; null when we support none of its codecs.
    /// </summary>
    public static SdpRtpMap? ChosenCodec(SdpMediaDescription media, int? preferred = null)
    {
        ArgumentNullException.ThrowIfNull(media);
        return ChooseCodecs(media, preferred).Select(media.GetRtpMap).FirstOrDefault(m => m is not null && !IsRed(m) && !m.EncodingName.Equals("rtx", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The RTX (RFC 4588) payload type whose <c>apt</c> is the video codec we accept in a section (<paramref name="preferred"/>
    /// when offered, as for <see cref="ChosenCodec"/>), or null.
    /// </summary>
    public static SdpRtpMap? ChosenRtx(SdpMediaDescription media, int? preferred = null)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.IsAudio ? null : ChooseCodecs(media, preferred).Select(media.GetRtpMap).FirstOrDefault(m => m is not null && m.EncodingName.Equals("rtx", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The RED (RFC 2198) codec we accept in an audio section (redundant Opus), or null.</summary>
    public static SdpRtpMap? ChosenRed(SdpMediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return ChooseCodecs(media).Select(media.GetRtpMap).FirstOrDefault(m => m is not null && IsRed(m));
    }

    private static bool IsRed(SdpRtpMap map) => map.EncodingName.Equals("red", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// One codec per section plus its helpers: for audio opus, preceded by RED carrying opus (<c>red/48000/2</c> with
    /// fmtp <c>opus/opus</c>) when offered, so publishers send redundancy that survives loss; for video the first of
    /// VP8/H264/VP9/AV1 offered (or <paramref name="preferred"/> when offered), followed by its RTX.
    /// </summary>
    private static List<int> ChooseCodecs(SdpMediaDescription media, int? preferred = null)
    {
        var chosen = new List<int>();
        if (media.IsAudio)
        {
            var opus = media.RtpMaps.FirstOrDefault(m => m.EncodingName.Equals("opus", StringComparison.OrdinalIgnoreCase));
            if (opus is not null)
            {
                var opusPt = opus.PayloadType.ToString(CultureInfo.InvariantCulture);
                var red = media.RtpMaps.FirstOrDefault(m => IsRed(m)
                    && media.GetFmtp(m.PayloadType)?.Parameters.Split('/').All(p => p == opusPt) == true);
                if (red is not null)
                {
                    chosen.Add(red.PayloadType);
                }

                chosen.Add(opus.PayloadType);
            }

            return chosen;
        }

        var order = preferred is { } first && media.PayloadTypes.Contains(first) ? media.PayloadTypes.Prepend(first) : media.PayloadTypes;
        foreach (var pt in order)
        {
            var map = media.GetRtpMap(pt);
            if (map is not null && SupportedVideoCodecs.Contains(map.EncodingName, StringComparer.OrdinalIgnoreCase))
            {
                chosen.Add(pt);
                var rtx = media.RtpMaps.FirstOrDefault(m => m.EncodingName.Equals("rtx", StringComparison.OrdinalIgnoreCase)
                    && media.GetFmtp(m.PayloadType)?.Parameters == "apt=" + pt.ToString(CultureInfo.InvariantCulture));
                if (rtx is not null)
                {
                    chosen.Add(rtx.PayloadType);
                }

                break;
            }
        }

        return chosen;
    }

    /// <summary>
    /// The payload type under which <paramref name="media"/> offers the video codec <paramref name="encodingName"/> in a
    /// form compatible with <paramref name="formatParameters"/> (the publisher's fmtp), or null. Compatible: H.264 with
    /// the same packetization-mode and profile (profile_idc of profile-level-id; RFC 6184 §8.1), an exact
    /// profile-level-id preferred; VP9 with the same profile-id; AV1 with the same profile; other codecs by name.
    /// Without <paramref name="formatParameters"/> (choosing what a publisher sends) H.264 with packetization-mode 1
    /// and VP9/AV1 profile 0 are preferred, else the first of that name.
    /// </summary>
    public static int? FindVideoCodec(SdpMediaDescription media, string encodingName, string? formatParameters)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(encodingName);
        var wanted = FormatParameters(formatParameters);
        int? fallback = null;
        int? compatible = null;
        foreach (var pt in media.PayloadTypes)
        {
            if (media.GetRtpMap(pt) is not { } map || !map.EncodingName.Equals(encodingName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            fallback ??= pt;
            var offered = FormatParameters(media.GetFmtp(pt)?.Parameters);
            switch (CodecMatch(encodingName, wanted, offered, formatParameters is null))
            {
                case 2:
                    return pt;
                case 1:
                    compatible ??= pt;
                    break;
            }
        }

        return compatible ?? (formatParameters is null ? fallback : null);
    }

    // 2 = exact, 1 = compatible, 0 = not
    private static int CodecMatch(string encodingName, Dictionary<string, string> wanted, Dictionary<string, string> offered, bool publisher)
    {
        static string Get(Dictionary<string, string> p, string key, string fallback) => p.TryGetValue(key, out var v) ? v : fallback;
        switch (encodingName.ToUpperInvariant())
        {
            case "H264":
                var mode = Get(offered, "packetization-mode", "0");
                if (publisher)
                {
                    return mode == "1" ? 2 : 0;
                }

                var wantedProfile = Get(wanted, "profile-level-id", "42001f");
                var offeredProfile = Get(offered, "profile-level-id", "42001f");
                if (mode != Get(wanted, "packetization-mode", "0") || wantedProfile.Length < 4 || offeredProfile.Length < 4
                    || !wantedProfile.AsSpan(0, 2).Equals(offeredProfile.AsSpan(0, 2), StringComparison.OrdinalIgnoreCase))
                {
                    return 0;
                }

                return wantedProfile.Equals(offeredProfile, StringComparison.OrdinalIgnoreCase) ? 2 : 1;
            case "VP9":
                return Get(wanted, "profile-id", "0") == Get(offered, "profile-id", "0") ? 2 : 0;
            case "AV1":
                return Get(wanted, "profile", "0") == Get(offered, "profile", "0") ? 2 : 0;
            default:
                return 2;
        }
    }

    private static Dictionary<string, string> FormatParameters(string? fmtp)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in (fmtp ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                parameters[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }
        }

        return parameters;
    }
}
