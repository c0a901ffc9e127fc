using System.Globalization;
using Starling.Transport.WebRtc;
using Starling.Wire.Sdp;

namespace Starling.Rooms.Media;

/// <summary>
/// The media sections of a server-offered (v0) subscriber peer connection. Each subscription is placed in a section
/// of its kind: a free one if there is one, else a new one appended (mids <c>1</c>, <c>2</c>, …; <c>0</c> is the data
/// section). Sections are never removed: an unsubscribed track leaves its section <c>inactive</c>, and the section
/// becomes free again only once an answer has confirmed it inactive, so a browser sees the old track end before a new
/// one starts in the same transceiver (a changed msid on a still-receiving transceiver fires no <c>track</c> event).
/// Payload types are chosen per codec for the whole bundle: the publisher's number when it is free, otherwise the next
/// free dynamic one, and a number once given keeps its codec.
/// </summary>
/// <remarks>Not thread-safe: used under the owning session's lock.</remarks>
internal sealed class OfferedSections
{
    private readonly List<Section> _sections = [];
    private readonly Dictionary<string, int> _payloadTypeByCodec = new(StringComparer.Ordinal);
    private readonly HashSet<int> _usedPayloadTypes = [];

    /// <summary>How many media sections offers carry (they only grow).</summary>
    public int Count => _sections.Count;

    /// <summary>
    /// Places a subscription in a free section of its kind (or a new one) and chooses its payload type. The
    /// subscription is sent from the next offer on; its down-track starts when the answer accepts it.
    /// </summary>
    public void Place(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var track = subscription.Track;
        var section = _sections.Find(s => s.IsAudio == track.IsAudio && s.IsFree);
        var fmtp = DecoderParameters(track.FormatParameters);
        subscription.PayloadType = PayloadTypeFor(track, fmtp);
        subscription.RtxPayloadType = track.IsAudio ? 0 : RtxPayloadTypeFor(subscription.PayloadType, track.RtxPayloadType);
        var codec = new OfferedCodec(subscription.PayloadType, track.EncodingName, track.ClockRate, track.Channels, fmtp, subscription.RtxPayloadType);
        if (section is null)
        {
            section = new Section(_sections.Count == 0 ? "1" : (int.Parse(_sections[^1].Mid, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture), track.IsAudio, codec);
            _sections.Add(section);
        }

        section.Codec = codec;
        section.Current = subscription;
        subscription.Mid = section.Mid;
    }

    /// <summary>Takes a subscription out of its section: the next offer says <c>inactive</c> there.</summary>
    public void Release(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var section = _sections.Find(s => s.Current == subscription);
        if (section is not null)
        {
            section.Current = null;
        }
    }

    /// <summary>
    /// The sections for the next offer, in order: <c>sendonly</c> with the track's msid where a subscription is placed,
    /// <c>inactive</c> elsewhere, port 0 where an answer rejected the section. Remembers what was offered.
    /// </summary>
    public IReadOnlyList<OfferedMediaSection> BuildOffer()
    {
        var offer = new List<OfferedMediaSection>(_sections.Count);
        foreach (var section in _sections)
        {
            section.Offered = section.Rejected ? null : section.Current;
            section.InLastOffer = true;
            offer.Add(new OfferedMediaSection(section.Mid, section.IsAudio, section.Codec, section.Offered?.Assignment, section.Rejected));
        }

        return offer;
    }

    /// <summary>mid → track sid for the sections the last offer sends in (the offer's <c>mid_to_track_id</c>).</summary>
    public IEnumerable<KeyValuePair<string, string>> OfferedTracks() =>
        _sections.Where(s => s.Offered is not null).Select(s => KeyValuePair.Create(s.Mid, s.Offered!.Track.Sid));

    /// <summary>
    /// Applies the answer to the last offer. Returns the subscriptions it accepted that still want their section (start
    /// their down-tracks) and those it refused (the section was rejected, or not answered with a receiving direction
    /// and our payload type); refused subscriptions are taken out of their sections.
    /// </summary>
    public (List<Subscription> Accepted, List<Subscription> Refused) ApplyAnswer(SdpSessionDescription answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var accepted = new List<Subscription>();
        var refused = new List<Subscription>();
        foreach (var section in _sections)
        {
            if (!section.InLastOffer || section.Rejected)
            {
                continue;
            }

            var answered = answer.FindByMid(section.Mid);
            if (answered is null || answered.IsRejected)
            {
                section.Rejected = true;
            }

            var receives = answered is not null && !section.Rejected
                && answered.Direction is SdpDirection.RecvOnly or SdpDirection.SendRecv
                && answered.PayloadTypes.Contains(section.Codec.PayloadType);
            if (section.Offered is { } offered)
            {
                if (receives && section.Current == offered)
                {
                    accepted.Add(offered);
                }
                else if (!receives)
                {
                    refused.Add(offered);
                    if (section.Current == offered)
                    {
                        section.Current = null;
                    }
                }
            }

            section.Answered = receives ? section.Offered : null;
        }

        foreach (var orphan in _sections.Where(s => s.Rejected && s.Current is not null))
        {
            // placed after the offer in a section this answer rejects
            refused.Add(orphan.Current!);
            orphan.Current = null;
        }

        return (accepted, refused);
    }

    /// <summary>
    /// The publisher's fmtp without its sender-side hints (<c>x-google-*</c>, e.g. the start bitrate livekit-client
    /// adds), which mean nothing to the receiver.
    /// </summary>
    internal static string? DecoderParameters(string? fmtp)
    {
        if (string.IsNullOrEmpty(fmtp))
        {
            return null;
        }

        var kept = fmtp.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => !p.StartsWith("x-google-", StringComparison.OrdinalIgnoreCase));
        var joined = string.Join(';', kept);
        return joined.Length == 0 ? null : joined;
    }

    private int PayloadTypeFor(PublishedTrack track, string? fmtp)
    {
        var key = string.Join('/', track.EncodingName.ToLowerInvariant(), track.ClockRate, track.Channels, fmtp);
        if (_payloadTypeByCodec.TryGetValue(key, out var known))
        {
            return known;
        }

        var chosen = _usedPayloadTypes.Contains(track.PayloadType) || track.PayloadType is < 35 or > 127 or (>= 64 and < 96)
            ? DynamicPayloadTypes().First(pt => !_usedPayloadTypes.Contains(pt))
            : track.PayloadType;
        _usedPayloadTypes.Add(chosen);
        _payloadTypeByCodec[key] = chosen;
        return chosen;
    }

    /// <summary>The RTX payload type repairing <paramref name="apt"/>: the publisher's RTX number when free, else the next free one.</summary>
    private int RtxPayloadTypeFor(int apt, int preferred)
    {
        var key = "rtx/apt=" + apt.ToString(CultureInfo.InvariantCulture);
        if (_payloadTypeByCodec.TryGetValue(key, out var known))
        {
            return known;
        }

        var chosen = preferred is >= 96 and <= 127 or >= 35 and < 64 && !_usedPayloadTypes.Contains(preferred)
            ? preferred
            : DynamicPayloadTypes().FirstOrDefault(pt => !_usedPayloadTypes.Contains(pt));
        if (chosen == 0)
        {
            return 0; // every dynamic number is taken: no RTX for this codec
        }

        _usedPayloadTypes.Add(chosen);
        _payloadTypeByCodec[key] = chosen;
        return chosen;
    }

    /// <summary>96–127, then 35–63 (like browsers, avoiding 64–95 where RTCP packet types collide).</summary>
    private static IEnumerable<int> DynamicPayloadTypes() => Enumerable.Range(96, 32).Concat(Enumerable.Range(35, 29));

    private sealed class Section(string mid, bool isAudio, OfferedCodec codec)
    {
        public string Mid { get; } = mid;

        public bool IsAudio { get; } = isAudio;

        /// <summary>The codec written in the section (kept while it is inactive).</summary>
        public OfferedCodec Codec { get; set; } = codec;

        /// <summary>What the section should carry now.</summary>
        public Subscription? Current { get; set; }

        /// <summary>What the last offer sent in it.</summary>
        public Subscription? Offered { get; set; }

        /// <summary>What the last answer accepted in it.</summary>
        public Subscription? Answered { get; set; }

        public bool InLastOffer { get; set; }

        /// <summary>The client refused the section (port 0); it stays in later offers, rejected, and is never reused.</summary>
        public bool Rejected { get; set; }

        public bool IsFree => !Rejected && Current is null && Offered is null && Answered is null;
    }
}
