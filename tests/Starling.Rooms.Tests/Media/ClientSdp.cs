using System.Globalization;
using System.Text;
using Starling.Transport.WebRtc;
using Starling.Wire.Sdp;

namespace Starling.Rooms.Tests.Media;

/// <summary>SDP as a browser writes it: publisher offers, single-PC receive offers and answers to server offers.</summary>
internal static class ClientSdp
{
    private const string Fingerprint = "sha-256 AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB";

    /// <summary>One sendonly section of a publisher offer.</summary>
    public sealed record Send(bool Audio, string Cid, uint Ssrc, int PayloadType, string Codec, string? Fmtp = null);

    public const int AudioLevelId = 1;
    public const int MidId = 4;

    /// <summary>A publisher offer (v0 publisher PC, or v1 with no receive sections): one section per track.</summary>
    public static string PublisherOffer(params Send[] tracks) => Offer(tracks, receiveAudio: 0, receiveVideo: 0);

    /// <summary>
    /// A single-PC offer: the tracks sent, then recvonly audio/video sections (VP8/opus; with
    /// <paramref name="videoRtxPayloadType"/>, RTX for VP8 as browsers offer it).
    /// </summary>
    public static string Offer(Send[] tracks, int receiveAudio, int receiveVideo, int videoRtxPayloadType = 0)
    {
        var sections = new List<string>();
        var body = new StringBuilder();
        foreach (var track in tracks)
        {
            var mid = sections.Count.ToString(CultureInfo.InvariantCulture);
            sections.Add(mid);
            body.Append(Media(mid, track.Audio, track.PayloadType, track.Codec, track.Fmtp, "sendonly"));
            body.Append($"a=msid:stream {track.Cid}\r\na=ssrc:{track.Ssrc} cname:client\r\na=ssrc:{track.Ssrc} msid:stream {track.Cid}\r\n");
        }

        for (var i = 0; i < receiveAudio + receiveVideo; i++)
        {
            var mid = sections.Count.ToString(CultureInfo.InvariantCulture);
            sections.Add(mid);
            var audio = i < receiveAudio;
            body.Append(Media(mid, audio, audio ? 111 : 96, audio ? "opus/48000/2" : "VP8/90000", audio ? "minptime=10;useinbandfec=1" : null, "recvonly", audio ? 0 : videoRtxPayloadType));
        }

        return "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE " + string.Join(' ', sections)
            + "\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n" + body;
    }

    private static string Media(string mid, bool audio, int pt, string codec, string? fmtp, string direction, int rtxPayloadType = 0)
    {
        var text = new StringBuilder();
        var formats = rtxPayloadType == 0 ? $"{pt}" : $"{pt} {rtxPayloadType}";
        text.Append($"m={(audio ? "audio" : "video")} 9 UDP/TLS/RTP/SAVPF {formats}\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n");
        text.Append($"a=ice-ufrag:cli1\r\na=ice-pwd:client-password-01234\r\na=fingerprint:{Fingerprint}\r\na=setup:actpass\r\na=mid:{mid}\r\n");
        if (audio)
        {
            text.Append($"a=extmap:{AudioLevelId} urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n");
        }

        text.Append($"a=extmap:{MidId} urn:ietf:params:rtp-hdrext:sdes:mid\r\na={direction}\r\na=rtcp-mux\r\na=rtcp-rsize\r\n");
        text.Append($"a=rtpmap:{pt} {codec}\r\na=rtcp-fb:{pt} nack\r\n");
        if (!audio)
        {
            text.Append($"a=rtcp-fb:{pt} nack pli\r\n");
        }

        if (fmtp is not null)
        {
            text.Append($"a=fmtp:{pt} {fmtp}\r\n");
        }

        if (rtxPayloadType != 0)
        {
            text.Append($"a=rtpmap:{rtxPayloadType} rtx/90000\r\na=fmtp:{rtxPayloadType} apt={pt}\r\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// Answers a server offer as a browser does: the data section, each media section recvonly where we send and
    /// inactive where we do not, rejected ones rejected; <paramref name="reject"/> mids are refused (port 0).
    /// </summary>
    public static string Answer(string offerSdp, params string[] reject)
    {
        var offer = SdpNegotiator.Parse(offerSdp);
        var text = new StringBuilder("v=0\r\no=- 9 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        var accepted = offer.MediaDescriptions.Where(m => !m.IsRejected && !Refused(m)).Select(m => m.Mid);
        text.Append("a=group:BUNDLE ").Append(string.Join(' ', accepted)).Append("\r\na=msid-semantic: WMS\r\n");
        bool Refused(SdpMediaDescription m) => m.Mid is { } mid && reject.Contains(mid);
        foreach (var media in offer.MediaDescriptions)
        {
            var formats = string.Join(' ', media.Formats);
            if (media.IsRejected || Refused(media))
            {
                text.Append($"m={media.Media} 0 {media.Protocol} {formats}\r\nc=IN IP4 0.0.0.0\r\na=mid:{media.Mid}\r\n");
                continue;
            }

            text.Append($"m={media.Media} 9 {media.Protocol} {formats}\r\nc=IN IP4 0.0.0.0\r\n");
            text.Append($"a=ice-ufrag:cli2\r\na=ice-pwd:client-password-56789\r\na=fingerprint:{Fingerprint}\r\na=setup:active\r\na=mid:{media.Mid}\r\n");
            if (media.IsApplication)
            {
                text.Append("a=sctp-port:5000\r\na=max-message-size:262144\r\n");
                continue;
            }

            text.Append(media.Direction == SdpDirection.SendOnly ? "a=recvonly\r\n" : "a=inactive\r\n");
            text.Append("a=rtcp-mux\r\n");
            foreach (var extmap in media.Extmaps)
            {
                // a browser keeps the extensions it supports, with the offered ids
                text.Append("a=extmap:").Append(extmap.ToValue()).Append("\r\n");
            }

            foreach (var map in media.RtpMaps)
            {
                text.Append("a=rtpmap:").Append(map.ToValue()).Append("\r\n");
            }
        }

        return text.ToString();
    }
}
