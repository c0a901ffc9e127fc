using Starling.Wire.Diagnostics;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Starling.Proto;
using Starling.Rooms.Signal;
using Starling.Sfu.Congestion;
using Starling.Sfu.Forwarding;
using Starling.Sfu.Routing;
using Starling.Transport.WebRtc;
using Starling.Wire.Rtcp;
using Starling.Wire.Rtp;
using Starling.Wire.Sdp;

namespace Starling.Rooms.Media;

/// <summary>
/// One participant's media, on either signalling path.
/// <list type="bullet">
/// <item><b>Publishing</b> (the transport the client offers on): client send sections are matched to its pending tracks
/// by msid = cid, and their RTP is routed into each track's <see cref="TrackRouter"/>.</item>
/// <item><b>Subscribing, single peer connection (v1)</b>: each subscription is placed in one of the client's receive
/// sections while answering its offer and announced in <c>mid_to_track_id</c>; when none is free the client is asked
/// for more with <c>media_sections_requirement</c>.</item>
/// <item><b>Subscribing, dual peer connection (v0)</b>: the server offers on the subscriber transport. Subscriptions are
/// placed in <see cref="OfferedSections"/> and sent in a new offer. A down-track starts sending when the answer accepts
/// its section.</item>
/// <item><b>When to renegotiate</b> is decided in one place for both paths, <see cref="SubscriberNegotiation"/>: every
/// subscribe and unsubscribe requests a negotiation, changes are coalesced, one negotiation is in flight at a time, and
/// one the client never completes times out instead of blocking later changes.</item>
/// </list>
/// Down-tracks, the SSRC/mid routing of publisher RTP and the subscriber's RTCP feedback (PLI/FIR to the publisher,
/// NACKs answered from its history) are shared by both paths. Mutations run under the owning session's lock (outgoing
/// signal messages only enqueue); the RTP/RTCP handlers read concurrent maps only.
/// </summary>
internal sealed partial class SessionMedia : IDisposable
{
    private readonly Participant _participant;
    private readonly IRtcTransport _publisher;
    private readonly IRtcTransport _subscriber;
    private readonly TimeProvider _time;
    private readonly Action<SignalResponse> _signal;
    private readonly ILogger _logger;
    private readonly Dictionary<string, TrackInfo> _pendingByCid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PublishedTrack> _publishedByMid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<uint, (PublishedTrack Track, int Layer)> _publishedBySsrc = new();
    private readonly ConcurrentDictionary<uint, (PublishedTrack Track, int Layer)> _rtxBySsrc = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly ConcurrentDictionary<uint, Subscription> _subscriptionsBySsrc = new();
    private readonly HashSet<string> _freedMids = new(StringComparer.Ordinal);
    // per track sid, what earlier subscriptions sent (names only: a closed track is not kept alive for its counters)
    private readonly Dictionary<string, (string Publisher, string Kind, long Sent, long Retransmitted)> _retired = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrackSettings> _settings = new(StringComparer.Ordinal);
    private Dictionary<Starling.Sfu.Buffers.ReceiveStream, (long Expected, long Packets)> _lastUpstream = [];
    private readonly Lock _qualityGate = new();
    private double _downLoss;
    private double _downJitterMs;
    private int _downReports;
    private double _downRttMs;
    private int _rttSamples;
    private double _lastRttMs = -1;
    private readonly PublisherRtcp _rtcp;
    private readonly SendSideBandwidthEstimator _bwe;
    private readonly Dictionary<string, StreamState> _streamStates = new(StringComparer.Ordinal);
    private long _trialStartedAt;
    private long _trialEndsAt;
    private long _trialBudget;
    private long _nextTrialAt;
    private TimeSpan _trialBackoff = TrialBackoffMin;
    private byte _midExtensionId;
    private byte _ridExtensionId;
    private byte _repairedRidExtensionId;

    private readonly OfferedSections? _offered;
    private bool _changed;
    private bool _freedSinceNegotiation;
    private readonly SubscriberNegotiation _negotiation;
    private int _placedSinceAnswer;
    private int _fruitlessAnswers;
    private uint _offerId;

    /// <summary>v1: answers in a row that placed no waiting subscription before we stop asking for more offers.</summary>
    private const int MaxFruitlessAnswers = 3;

    /// <summary>
    /// Media for a participant whose client offers on <paramref name="publisher"/> and receives on
    /// <paramref name="subscriber"/>: the same transport on the single-PC path, the server-offered one on v0.
    /// <paramref name="signal"/> queues a signal message to the client (offers, media section requirements).
    /// </summary>
    public SessionMedia(Participant participant, IRtcTransport publisher, IRtcTransport subscriber, TimeProvider time, Action<SignalResponse> signal, ILogger? logger = null, PublisherRtcpOptions? rtcpOptions = null, NegotiationOptions? negotiation = null)
    {
        _participant = participant;
        _publisher = publisher;
        _subscriber = subscriber;
        _time = time;
        _signal = signal;
        _logger = logger ?? NullLogger.Instance;
        _rtcp = new PublisherRtcp(publisher, time, rtcpOptions);
        _bwe = new SendSideBandwidthEstimator(time.TimestampFrequency);
        publisher.RtpReceived = OnRtp;
        publisher.RtcpReceived = OnRtcp;
        publisher.PublishCodecs = PublishCodec;
        _negotiation = new SubscriberNegotiation(time, negotiation ?? new NegotiationOptions(), action => RunLocked(action), SendNegotiation, OnNegotiationTimedOut,
            () => NegotiationFailed());
        if (ServerOffers)
        {
            // v0: the subscriber's feedback on what we send arrives on the subscriber transport
            _offered = new OfferedSections();
            subscriber.RtcpReceived = OnRtcp;
        }
        else
        {
            publisher.SendAssignments = AssignSection;
        }
    }

    /// <summary>True on the dual-PC path (v0): we offer on the subscriber transport.</summary>
    public bool ServerOffers => _publisher != _subscriber;

    /// <summary>Feedback to this participant about what it publishes (transport-cc, NACKs, receiver reports).</summary>
    public PublisherRtcp Rtcp => _rtcp;

    /// <summary>The bandwidth estimate toward this participant (from its transport-cc feedback on what we send).</summary>
    public SendSideBandwidthEstimator Bandwidth => _bwe;

    /// <summary>RTP packets that matched no published track (unknown SSRC/mid, other payload types, RTX padding).</summary>
    public long UnroutedPackets { get; private set; }

    /// <summary>Retransmissions (RTX, RFC 4588) unwrapped into their track's receive stream.</summary>
    public long RepairedPackets { get; private set; }

    /// <summary>v0: the id of the last subscriber offer sent (0 before the first).</summary>
    public uint LastOfferId => _offerId;

    /// <summary>v0: an offer is waiting for its answer.</summary>
    public bool AwaitingAnswer => ServerOffers && _negotiation.InFlight;

    /// <summary>Renegotiation state (for the session and tests).</summary>
    public SubscriberNegotiation Negotiation => _negotiation;

    /// <summary>Runs a negotiation timer callback under the owning session's lock (default: directly, for tests).</summary>
    public Action<Action> RunLocked { get; init; } = action => action();

    /// <summary>Called (under the session's lock) when the client left a negotiation and its retries unanswered.</summary>
    public Action NegotiationFailed { get; init; } = () => { };

    public void AddPending(string cid, TrackInfo info) => _pendingByCid[cid] = info;

    public bool HasPending(string cid) => _pendingByCid.ContainsKey(cid);

    public int PendingCount => _pendingByCid.Count;

    /// <summary>The current subscriptions (for tests and diagnostics).</summary>
    public IReadOnlyList<Subscription> Subscriptions => _subscriptions;

    // ------------------------------------------------------------------ publishing

    /// <summary>Matches the client's send sections to pending tracks; returns the tracks to publish now.</summary>
    public List<PublishedTrack> MatchPublications()
    {
        var published = new List<PublishedTrack>();
        if (_publisher.RemoteOffer is not { } offer)
        {
            return published;
        }

        // One transport-wide counter across the bundle: any section's extmap gives its id.
        var transportCc = offer.MediaDescriptions.SelectMany(m => m.Extmaps).FirstOrDefault(e => e.Uri == RtpExtensionUri.TransportWideCc);
        _rtcp.TransportCcExtensionId = (byte)(transportCc?.Id ?? 0);
        foreach (var section in offer.MediaDescriptions)
        {
            if (!(section.IsAudio || section.IsVideo) || section.IsRejected
                || section.Direction is not (SdpDirection.SendOnly or SdpDirection.SendRecv)
                || section.Mid is not { } mid || _publishedByMid.ContainsKey(mid))
            {
                continue;
            }

            var cid = PendingCid(section);
            if (cid is null || SdpNegotiator.ChosenCodec(section, PublishCodec(section)) is not { } codec)
            {
                continue;
            }

            var info = _pendingByCid[cid];
            _pendingByCid.Remove(cid);
            var mime = (section.IsAudio ? "audio/" : "video/") + codec.EncodingName;
            info.Mid = mid;
            info.MimeType = mime;
            foreach (var ext in section.Extmaps)
            {
                if (ext.Uri == RtpExtensionUri.Mid)
                {
                    _midExtensionId = (byte)ext.Id;
                }
                else if (ext.Uri == RtpExtensionUri.RtpStreamId)
                {
                    _ridExtensionId = (byte)ext.Id;
                }
                else if (ext.Uri == RtpExtensionUri.RepairedRtpStreamId)
                {
                    _repairedRidExtensionId = (byte)ext.Id;
                }
            }

            var apt = "apt=" + codec.PayloadType.ToString(CultureInfo.InvariantCulture);
            var rtxPayloadType = section.RtpMaps.FirstOrDefault(m => m.EncodingName.Equals("rtx", StringComparison.OrdinalIgnoreCase)
                && section.GetFmtp(m.PayloadType)?.Parameters == apt)?.PayloadType ?? 0;

            var nack = section.GetRtcpFeedback(codec.PayloadType).Any(f => f.Type == "nack" && string.IsNullOrEmpty(f.Parameter));
            var track = new PublishedTrack(_participant, info, mid, mime, (byte)codec.PayloadType, codec.ClockRate, _publisher, nack, _time.TimestampFrequency)
            {
                AudioLevelExtensionId = section.IsAudio ? ExtensionId(section, RtpExtensionUri.AudioLevel) : (byte)0,
                TransportCcExtensionId = ExtensionId(section, RtpExtensionUri.TransportWideCc),
                DependencyDescriptorExtensionId = section.IsVideo ? ExtensionId(section, RtpExtensionUri.DependencyDescriptor) : (byte)0,
                RedPayloadType = (byte)(SdpNegotiator.ChosenRed(section)?.PayloadType ?? 0),
                RtxPayloadType = (byte)rtxPayloadType,
                Channels = codec.Channels,
                FormatParameters = section.GetFmtp(codec.PayloadType)?.Parameters,
            };
            _publishedByMid[mid] = track;
            var rtx = new HashSet<uint>();
            foreach (var group in section.SsrcGroups.Where(g => g.Semantics == "FID" && g.Ssrcs.Count >= 2))
            {
                rtx.Add(group.Ssrcs[1]);
                _rtxBySsrc[group.Ssrcs[1]] = (track, 0);
            }

            foreach (var ssrc in section.Ssrcs.Select(s => s.Ssrc).Distinct().Where(s => !rtx.Contains(s)))
            {
                _publishedBySsrc[ssrc] = (track, 0);
                track.Ssrcs[ssrc] = 0;
            }

            _rtcp.AddTrack(track);
            published.Add(track);
        }

        return published;
    }

    /// <summary>The pending track a client send section publishes: the one whose cid is the msid track id, else the first of its kind.</summary>
    private string? PendingCid(SdpMediaDescription section)
    {
        var trackId = section.Msids.FirstOrDefault()?.TrackId;
        var kind = section.IsAudio ? TrackType.Audio : TrackType.Video;
        return trackId is not null && _pendingByCid.ContainsKey(trackId)
            ? trackId
            : _pendingByCid.FirstOrDefault(p => p.Value.Type == kind).Key;
    }

    /// <summary>
    /// While answering: the payload type to receive in a client video send section. A published section keeps its
    /// codec; a new one takes the codec its track asked for in <c>add_track</c> (<c>simulcast_codecs</c>, e.g. h264), as
    /// clients offer every codec in the browser's order and expect the server to pick.
    /// </summary>
    private int? PublishCodec(SdpMediaDescription section)
    {
        if (!section.IsVideo || section.Mid is not { } mid)
        {
            return null;
        }

        if (_publishedByMid.TryGetValue(mid, out var published))
        {
            return published.PayloadType;
        }

        return PendingCid(section) is { } cid && _pendingByCid[cid].MimeType is { Length: > 0 } mime
            ? SdpNegotiator.FindVideoCodec(section, mime[(mime.IndexOf('/', StringComparison.Ordinal) + 1)..], null)
            : null;
    }

    // ------------------------------------------------------------------ subscribing (both paths)

    /// <summary>Adds a subscription; it reaches the client with the next <see cref="Negotiate"/>.</summary>
    public void Subscribe(PublishedTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (_subscriptions.Any(s => s.Track == track))
        {
            return;
        }

        var ssrc = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
        var rtxSsrc = track.IsAudio ? 0u : (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
        var subscription = new Subscription(track, ssrc, rtxSsrc == ssrc ? rtxSsrc ^ 1 : rtxSsrc);
        _subscriptions.Add(subscription);
        _offered?.Place(subscription);
        _changed = true;
        _negotiation.Request();
    }

    /// <summary>
    /// Stops sending a track: the down-track goes now; its section is negotiated <c>inactive</c> with the next
    /// <see cref="Negotiate"/> so the client drops the remote track.
    /// </summary>
    public void Unsubscribe(string trackSid)
    {
        var subscription = _subscriptions.Find(s => s.Track.Sid == trackSid);
        if (subscription is null)
        {
            return;
        }

        Remove(subscription);
        if (_offered is not null)
        {
            _offered.Release(subscription);
        }
        else if (subscription.Mid is { } freed)
        {
            _freedMids.Add(freed);
            _freedSinceNegotiation = true;
        }

        _changed = true;
        _negotiation.Request();
    }

    public bool IsSubscribed(string trackSid) => _subscriptions.Any(s => s.Track.Sid == trackSid);

    /// <summary>
    /// Negotiates the changes made so far now, without the coalescing delay (unless a negotiation is in flight: then right
    /// after it completes). On v0 the first call sends the initial offer even without changes. Changes request a
    /// coalesced negotiation by themselves; this is for the first negotiation of a session (and tests).
    /// </summary>
    public void Negotiate()
    {
        if (!_changed && (_offered is null || _offerId > 0))
        {
            return;
        }

        _negotiation.RequestNow();
    }

    /// <summary>
    /// Sends one negotiation for <see cref="SubscriberNegotiation"/>. v1: a <c>media_sections_requirement</c> (0/0 when
    /// free sections exist or a section was freed, which still asks the client to offer again; always on a retry).
    /// v0: a new subscriber offer. False when there is nothing to tell the client.
    /// </summary>
    private bool SendNegotiation(bool retry)
    {
        if (_offered is null)
        {
            var requirement = Requirement() ?? (_freedSinceNegotiation || retry ? new MediaSectionsRequirement() : null);
            _changed = false;
            _freedSinceNegotiation = false;
            if (requirement is null)
            {
                return false;
            }

            _signal(new SignalResponse { MediaSectionsRequirement = requirement });
        }
        else
        {
            SendOffer(iceRestart: false);
        }

        SignalCounters.Negotiations.Increment();
        return true;
    }

    private void OnNegotiationTimedOut(int attempt)
    {
        SignalCounters.NegotiationTimeouts.Increment();
        NegotiationTimedOut(_logger, _participant.Identity, ServerOffers ? $"subscriber offer {_offerId}" : "media_sections_requirement", attempt);
    }

    private void Remove(Subscription subscription)
    {
        subscription.Track.RemoveWanted(_participant.Sid);
        _subscriptions.Remove(subscription);
        _subscriptionsBySsrc.TryRemove(subscription.Ssrc, out _);
        if (subscription.DownTrack is { } downTrack)
        {
            subscription.Track.Router.RemoveDownTrack(downTrack);
            subscription.DownTrack = null;
            var track = subscription.Track;
            var (_, _, sent, retransmitted) = _retired.GetValueOrDefault(track.Sid);
            _retired[track.Sid] = (track.Owner.Identity, KindOf(track), sent + downTrack.PacketsSent, retransmitted + downTrack.PacketsRetransmitted);
        }
    }

    /// <summary>Per-track counters of what this participant was sent: current subscriptions and earlier ones.</summary>
    public List<SubscriptionStats> SubscriptionStats()
    {
        var stats = new List<SubscriptionStats>();
        foreach (var subscription in _subscriptions)
        {
            var track = subscription.Track;
            var downTrack = subscription.DownTrack;
            var (_, _, sent, retransmitted) = _retired.GetValueOrDefault(track.Sid);
            var current = downTrack?.PacketsSent ?? 0;
            stats.Add(new SubscriptionStats(track.Sid, track.Owner.Identity, KindOf(track), Subscribed: true, subscription.Mid,
                subscription.Ssrc, downTrack is { Paused: false }, current, sent + current, retransmitted + (downTrack?.PacketsRetransmitted ?? 0)));
        }

        foreach (var (sid, (publisher, kind, sent, retransmitted)) in _retired)
        {
            if (_subscriptions.All(s => s.Track.Sid != sid))
            {
                stats.Add(new SubscriptionStats(sid, publisher, kind, Subscribed: false, Mid: null, Ssrc: 0,
                    Forwarding: false, PacketsSent: 0, sent, retransmitted));
            }
        }

        return stats;
    }

    private static string KindOf(PublishedTrack track) => track.IsAudio ? "audio" : "video";

    /// <summary>The client's <c>UpdateTrackSettings</c>: kept per track (also before the subscription exists) and applied.</summary>
    public void UpdateSettings(UpdateTrackSettings request)
    {
        var settings = TrackSettings.From(request);
        foreach (var sid in request.TrackSids)
        {
            _settings[sid] = settings;
        }

        Allocate();
    }

    /// <summary>How long a trial upgrade runs before it counts as carried.</summary>
    private static readonly TimeSpan TrialDuration = TimeSpan.FromSeconds(2.5);

    /// <summary>First wait between trial upgrades while the estimate keeps video below what was asked; doubles per failed trial.</summary>
    private static readonly TimeSpan TrialBackoffMin = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan TrialBackoffMax = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Re-decides every subscription's layer (periodically and when settings change): publishers start and stop sending
    /// layers (bandwidth, dynacast), so the chosen layer follows what is actually arriving; and once the subscriber
    /// gives transport-cc feedback, the <see cref="StreamAllocator"/> fits the video into the bandwidth estimate,
    /// lowering layers or pausing tracks (reported with <c>StreamStateUpdate</c>) and trying one step up now and then
    /// while the estimate holds video below what was asked.
    /// </summary>
    public void Allocate()
    {
        var now = _time.GetTimestamp();
        var frequency = _time.TimestampFrequency;
        var count = _subscriptions.Count;
        Span<int> targets = count <= 64 ? stackalloc int[count] : new int[count];
        Span<long> costs = count <= 64 ? stackalloc long[count * LayerSelection.MaxLayers] : new long[count * LayerSelection.MaxLayers];
        Span<int> allocation = count <= 64 ? stackalloc int[count] : new int[count];
        Span<int> wanted = count <= 64 ? stackalloc int[count] : new int[count];
        long audio = 0;
        for (var i = 0; i < count; i++)
        {
            var subscription = _subscriptions[i];
            targets[i] = -1;
            if (subscription.DownTrack is null)
            {
                continue;
            }

            targets[i] = Target(subscription, now);
            wanted[i] = targets[i];
            var track = subscription.Track;
            if (track.IsAudio)
            {
                audio += targets[i] >= 0 ? track.LayerBitrate(0, now, frequency) : 0;
                targets[i] = -1; // audio is not the allocator's to cut
                continue;
            }

            var measured = false;
            for (var layer = 0; layer < LayerSelection.MaxLayers; layer++)
            {
                var cost = layer <= targets[i] ? track.LayerBitrate(layer, now, frequency) : 0;
                costs[(i * LayerSelection.MaxLayers) + layer] = cost;
                measured |= cost > 0;
            }

            if (!measured)
            {
                targets[i] = -1; // nothing arriving yet: the forwarder waits for its layer, the allocator has nothing to share
            }
        }

        var constrained = _bwe.HasFeedback;
        if (constrained)
        {
            var estimate = _bwe.Estimate;
            var budget = Budget(now, estimate, out var mayStartTrial);
            StreamAllocator.Allocate(budget - audio, targets, costs, LayerSelection.MaxLayers, allocation);
            var step = StreamAllocator.CheapestStep(targets, costs, LayerSelection.MaxLayers, allocation);
            if (step == 0)
            {
                if (_trialEndsAt == 0)
                {
                    _trialBackoff = TrialBackoffMin; // nothing held back: the next shortfall may try again soon
                }
            }
            else if (mayStartTrial && TrialDue(now))
            {
                _trialStartedAt = now;
                _trialEndsAt = now + Ticks(TrialDuration);
                _trialBudget = estimate + step + (step / 10);
                StreamAllocator.Allocate(_trialBudget - audio, targets, costs, LayerSelection.MaxLayers, allocation);
            }
        }

        List<StreamStateInfo>? changes = null;
        for (var i = 0; i < count; i++)
        {
            var subscription = _subscriptions[i];
            if (subscription.DownTrack is not { } downTrack || subscription.Track.IsAudio)
            {
                continue;
            }

            var congested = constrained && targets[i] >= 0 && allocation[i] < 0;
            if (wanted[i] >= 0)
            {
                downTrack.Paused = congested;
                if (!congested)
                {
                    downTrack.TargetLayer = constrained && targets[i] >= 0 ? allocation[i] : wanted[i];
                }
            }

            var state = congested ? StreamState.Paused : StreamState.Active;
            var sid = subscription.Track.Sid;
            if (_streamStates.TryGetValue(sid, out var previous) ? previous != state : state != StreamState.Active)
            {
                _streamStates[sid] = state;
                (changes ??= []).Add(new StreamStateInfo { ParticipantSid = subscription.Track.Owner.Sid, TrackSid = sid, State = state });
            }
        }

        if (changes is not null)
        {
            var update = new StreamStateUpdate();
            update.StreamStates.AddRange(changes);
            _signal(new SignalResponse { StreamStateUpdate = update });
        }
    }

    /// <summary>
    /// The bits per second the subscription may use: the estimate, or the trial budget while a trial upgrade (one step
    /// above the estimate) runs. A trial that caused no congestion within <see cref="TrialDuration"/> is kept (the
    /// estimate is raised to it); one that did is retried after a doubling back-off. <paramref name="mayStartTrial"/>
    /// is false while a trial runs and in the tick one is kept.
    /// </summary>
    private long Budget(long now, long estimate, out bool mayStartTrial)
    {
        mayStartTrial = false;
        if (_trialEndsAt != 0)
        {
            if (_bwe.LastDecreaseAt >= _trialStartedAt)
            {
                _trialEndsAt = 0; // congestion during the trial: back off
                _trialBackoff = TimeSpan.FromTicks(Math.Min(_trialBackoff.Ticks * 2, TrialBackoffMax.Ticks));
                _nextTrialAt = now + Ticks(_trialBackoff);
            }
            else if (now >= _trialEndsAt)
            {
                _trialEndsAt = 0; // carried: the estimate keeps it
                _bwe.RaiseTo(_trialBudget);
                _trialBackoff = TrialBackoffMin;
                _nextTrialAt = now; // the next step up may be tried at once
                return _bwe.Estimate;
            }
            else
            {
                return _trialBudget;
            }
        }

        mayStartTrial = true;
        return estimate;
    }

    /// <summary>A trial upgrade may start: its back-off has passed, the estimate has not dropped lately and the path is calm.</summary>
    private bool TrialDue(long now)
    {
        var quiet = _bwe.LastDecreaseAt == long.MinValue || now - _bwe.LastDecreaseAt >= Ticks(TrialBackoffMin);
        // the delay signal is only current while feedback flows (a paused subscriber gets nothing to acknowledge)
        var calm = _bwe.State == BandwidthUsage.Normal || now - _bwe.LastFeedbackAt > _time.TimestampFrequency;
        return quiet && now >= _nextTrialAt && calm;
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <summary>
    /// Applies the subscriber's settings to one subscription (pause when disabled, the publisher's dynacast wish) and
    /// returns the best layer it may get now: what it asked for, lowered to a layer the publisher is sending; -1 when
    /// paused (video) or 0 for audio that plays.
    /// </summary>
    private int Target(Subscription subscription, long now)
    {
        var downTrack = subscription.DownTrack!;
        var track = subscription.Track;
        _settings.TryGetValue(track.Sid, out var settings);
        var paused = settings is not null && (settings.Disabled || (!track.IsAudio && settings.Quality == VideoQuality.Off && settings.Width == 0 && settings.Height == 0));
        if (track.IsAudio)
        {
            downTrack.Paused = paused;
            return paused ? -1 : 0;
        }

        var desired = LayerSelection.DesiredLayer(track.Info, settings);
        track.SetWanted(_participant.Sid, paused ? -1 : desired);
        if (paused)
        {
            downTrack.Paused = true;
            return -1;
        }

        Span<bool> active = stackalloc bool[LayerSelection.MaxLayers];
        for (var layer = 0; layer < active.Length; layer++)
        {
            active[layer] = track.IsLayerActive(layer, now, _time.TimestampFrequency);
        }

        return LayerSelection.Select(desired, active);
    }

    /// <summary>How long the highest wanted layer must stay lower before the publisher is told to stop sending more.</summary>
    private static readonly TimeSpan DynacastDowngradeDelay = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Dynacast for what this participant publishes: a <c>SubscribedQualityUpdate</c> per simulcast track whose highest
    /// wanted layer changed, so the client stops encoding layers nobody watches (and restarts them when wanted).
    /// </summary>
    public List<SubscribedQualityUpdate> TakeQualityUpdates()
    {
        var updates = new List<SubscribedQualityUpdate>();
        var now = _time.GetTimestamp();
        var delay = Ticks(DynacastDowngradeDelay);
        foreach (var track in _publishedByMid.Values)
        {
            if (track.TakeQualityUpdate(now, delay) is { } update)
            {
                updates.Add(update);
            }
        }

        return updates;
    }

    /// <summary>
    /// After applying an offer: tracks whose send section stopped sending (the client removed its sender to unpublish,
    /// so the section became recvonly, inactive or rejected). They stop routing here; the caller unpublishes them.
    /// </summary>
    public List<PublishedTrack> TakeStoppedPublications()
    {
        var stopped = new List<PublishedTrack>();
        if (_publisher.RemoteOffer is not { } offer)
        {
            return stopped;
        }

        foreach (var (mid, track) in _publishedByMid)
        {
            var section = offer.FindByMid(mid);
            if (section is null || section.IsRejected || section.Direction is not (SdpDirection.SendOnly or SdpDirection.SendRecv))
            {
                stopped.Add(track);
                _publishedByMid.TryRemove(mid, out _);
                foreach (var ssrc in track.Ssrcs.Keys)
                {
                    _publishedBySsrc.TryRemove(ssrc, out _);
                }
            }
        }

        return stopped;
    }

    /// <summary>
    /// Creates the down-track once the subscriber has negotiated the section; it sends on the subscriber transport.
    /// False when the track was unpublished meanwhile (its router is closed): the subscription is dropped.
    /// </summary>
    private bool StartDownTrack(Subscription subscription, byte payloadType, IEnumerable<SdpExtmap> subscriberExtensions, byte redPayloadType = 0, byte rtxPayloadType = 0)
    {
        var track = subscription.Track;
        var extensions = subscriberExtensions as IReadOnlyCollection<SdpExtmap> ?? [.. subscriberExtensions];
        try
        {
            subscription.DownTrack = track.Router.AddDownTrack(
                new DownTrackOptions
                {
                    Ssrc = subscription.Ssrc,
                    PayloadType = payloadType,
                    SourceRedPayloadType = track.RedPayloadType,
                    RedPayloadType = redPayloadType,
                    RtxSsrc = rtxPayloadType != 0 ? subscription.RtxSsrc : 0,
                    RtxPayloadType = rtxPayloadType,
                    ExtensionIdMap = ExtensionIdMap(track, extensions),
                    Forwarder = track.IsAudio ? ForwarderOptions.Audio : ForwarderOptions.Video,
                },
                new TransportRtpSink(_subscriber, _time, _bwe, extensions, subscription.Mid));
        }
        catch (ObjectDisposedException)
        {
            Remove(subscription);
            _offered?.Release(subscription);
            return false;
        }

        subscription.DownTrack.Muted = track.Muted;
        _subscriptionsBySsrc[subscription.Ssrc] = subscription;
        Allocate();
        return true;
    }

    /// <summary>
    /// Publisher extension id → subscriber extension id for what we forward: the audio level, the transport-wide
    /// sequence number (its value is replaced with ours on the way out, see <see cref="TransportRtpSink"/>), both with
    /// ids within the one-byte form only, so a rewritten header always fits; and the AV1 dependency descriptor (VP9/AV1
    /// SVC; receivers need it to assemble AV1 frames). Every other element is stripped. Ids are rewritten in place, so
    /// a packet keeps its header form: the descriptor is mapped when the subscriber's id fits the one-byte form, or when
    /// the publisher's does not (then its packets always use the two-byte form, which takes any id).
    /// </summary>
    internal static byte[] ExtensionIdMap(PublishedTrack track, IEnumerable<SdpExtmap> subscriberExtensions)
    {
        var map = new byte[256];
        var extensions = subscriberExtensions as IReadOnlyCollection<SdpExtmap> ?? [.. subscriberExtensions];
        MapOneByte(track.AudioLevelExtensionId, RtpExtensionUri.AudioLevel);
        MapOneByte(track.TransportCcExtensionId, RtpExtensionUri.TransportWideCc);

        if (track.DependencyDescriptorExtensionId != 0
            && extensions.FirstOrDefault(e => e.Uri == RtpExtensionUri.DependencyDescriptor) is { Id: >= 1 and <= 255 } descriptor
            && (descriptor.Id <= 14 || track.DependencyDescriptorExtensionId > 14))
        {
            map[track.DependencyDescriptorExtensionId] = (byte)descriptor.Id;
        }

        return map;

        void MapOneByte(byte publisherId, string uri)
        {
            var subscriberId = TransportRtpSink.OneByteId(extensions, uri);
            if (publisherId != 0 && subscriberId != 0)
            {
                map[publisherId] = subscriberId;
            }
        }
    }

    /// <summary>The publisher section's id for <paramref name="uri"/>, 0 when not negotiated.</summary>
    private static byte ExtensionId(SdpMediaDescription section, string uri) =>
        (byte)(section.Extmaps.FirstOrDefault(e => e.Uri == uri)?.Id ?? 0);

    // ------------------------------------------------------------------ v1: client-offered receive sections

    /// <summary>v1, after answering an offer: the mid → track sid map for the answer.</summary>
    public void FillMidToTrackId(SessionDescription answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (ServerOffers)
        {
            return;
        }

        foreach (var subscription in _subscriptions)
        {
            if (subscription.Mid is { } mid)
            {
                answer.MidToTrackId[mid] = subscription.Track.Sid;
            }
        }
    }

    /// <summary>
    /// v1, after answering a client offer: that answer reflects every change so far, which completes the negotiation in
    /// flight. Subscriptions still without a section are asked for again: at once when the client must add sections,
    /// coalesced when a freed section can take them in the next round (it is not reused in the answer that frees it).
    /// A client that keeps offering no usable section is asked <see cref="MaxFruitlessAnswers"/> times, then left alone
    /// until the next change.
    /// </summary>
    public void OfferAnswered()
    {
        if (ServerOffers)
        {
            return;
        }

        _negotiation.Completed(coveredChanges: true);
        _changed = false;
        _freedSinceNegotiation = false;
        var placed = _placedSinceAnswer;
        _placedSinceAnswer = 0;
        var waiting = _subscriptions.Count(s => s.Mid is null);
        if (waiting == 0)
        {
            _fruitlessAnswers = 0;
            return;
        }

        _fruitlessAnswers = placed > 0 ? 0 : _fruitlessAnswers + 1;
        if (_fruitlessAnswers > MaxFruitlessAnswers)
        {
            if (_fruitlessAnswers == MaxFruitlessAnswers + 1)
            {
                SubscriptionsUnplaced(_logger, _participant.Identity, waiting);
            }

            return;
        }

        _changed = true;
        if (Requirement() is { } requirement && (requirement.NumAudios > 0 || requirement.NumVideos > 0))
        {
            _negotiation.RequestNow();
        }
        else
        {
            _negotiation.Request();
        }
    }

    /// <summary>v1: how many receive sections the client must add (0/0 still asks it to offer again); null on v0.</summary>
    public MediaSectionsRequirement? Requirement()
    {
        var waiting = _subscriptions.Where(s => s.Mid is null).ToList();
        if (ServerOffers || waiting.Count == 0)
        {
            return null;
        }

        var free = _publisher.RemoteOffer?.MediaDescriptions
            .Where(m => !m.IsRejected && m.Direction is SdpDirection.RecvOnly or SdpDirection.SendRecv && m.Mid is { } mid && _subscriptions.All(s => s.Mid != mid))
            .ToList() ?? [];
        var audio = Math.Max(0, waiting.Count(s => s.Track.IsAudio) - free.Count(m => m.IsAudio));
        var video = Math.Max(0, waiting.Count(s => !s.Track.IsAudio) - free.Count(m => m.IsVideo));
        return new MediaSectionsRequirement { NumAudios = (uint)audio, NumVideos = (uint)video };
    }

    /// <summary>v1, called while answering: what we send in the client's receive section <paramref name="mid"/>.</summary>
    private MediaSendAssignment? AssignSection(string mid)
    {
        // a section freed by an unsubscribe is not reused in the same negotiation round trip
        if (_freedMids.Remove(mid))
        {
            return null;
        }

        var existing = _subscriptions.Find(s => s.Mid == mid);
        if (existing is not null)
        {
            return existing.Track.IsAudio ? existing.Assignment : existing.Assignment with { PayloadType = existing.PayloadType };
        }

        if (_publisher.RemoteOffer?.FindByMid(mid) is not { } section
            || section.Direction is not (SdpDirection.RecvOnly or SdpDirection.SendRecv))
        {
            return null;
        }

        // the first waiting track of the section's kind whose codec the section can receive (video: the publisher's
        // codec in a compatible form, e.g. the same H.264 profile and packetization mode)
        Subscription? subscription = null;
        var payloadType = 0;
        foreach (var waiting in _subscriptions)
        {
            if (waiting.Mid is not null || waiting.Track.IsAudio != section.IsAudio)
            {
                continue;
            }

            var track = waiting.Track;
            int? pt = section.IsAudio
                ? SdpNegotiator.ChosenCodec(section) is { } audio && track.EncodingName.Equals(audio.EncodingName, StringComparison.OrdinalIgnoreCase) ? audio.PayloadType : null
                : SdpNegotiator.FindVideoCodec(section, track.EncodingName, OfferedSections.DecoderParameters(track.FormatParameters) ?? string.Empty);
            if (pt is { } found)
            {
                subscription = waiting;
                payloadType = found;
                break;
            }
        }

        if (subscription is null)
        {
            return null;
        }

        subscription.Mid = mid;
        subscription.PayloadType = payloadType;
        _placedSinceAnswer++;
        return StartDownTrack(subscription, (byte)payloadType, section.Extmaps, (byte)(SdpNegotiator.ChosenRed(section)?.PayloadType ?? 0),
                (byte)(SdpNegotiator.ChosenRtx(section, payloadType)?.PayloadType ?? 0))
            ? subscription.Assignment with { PayloadType = section.IsAudio ? null : payloadType }
            : null;
    }

    // ------------------------------------------------------------------ v0: server-offered subscriber transport

    /// <summary>v0: a new subscriber offer with new ICE credentials (the client resumed), whatever is in flight.</summary>
    public void RestartIce()
    {
        if (ServerOffers)
        {
            SendOffer(iceRestart: true);
            _negotiation.SentDirectly();
        }
    }

    /// <summary>
    /// v0: the client's answer to our subscriber offer. Applies it to the subscriber transport, starts the down-tracks
    /// of the sections it accepted, drops the subscriptions it refused, and sends the next offer when changes waited
    /// for it. Answers to an older offer than the last one sent are ignored (id 0, as Rust clients send, is taken).
    /// </summary>
    /// <exception cref="FormatException">The answer is not usable SDP.</exception>
    public void ApplySubscriberAnswer(SessionDescription answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (_offered is null)
        {
            return;
        }

        if (!_negotiation.InFlight || (answer.Id != 0 && answer.Id != _offerId))
        {
            StaleAnswer(_logger, _participant.Identity, answer.Id, _offerId);
            return;
        }

        var parsed = _subscriber.ApplyAnswer(answer.Sdp);
        var (accepted, refused) = _offered.ApplyAnswer(parsed);
        var retry = false;
        foreach (var subscription in accepted)
        {
            // RTX only if the answer kept our rtx payload type for the section
            var rtx = subscription.RtxPayloadType != 0 && subscription.Mid is { } mid
                && parsed.FindByMid(mid)?.PayloadTypes.Contains(subscription.RtxPayloadType) == true;
            // the extensions we offered that the answer kept (with the ids we gave them)
            var answered = parsed.FindByMid(subscription.Mid ?? string.Empty)?.Extmaps ?? [];
            var extensions = SdpNegotiator.OfferExtensions(subscription.Track.IsAudio).Where(e => answered.Any(a => a.Uri == e.Uri && a.Id == e.Id));
            if (subscription.DownTrack is null && _subscriptions.Contains(subscription)
                && !StartDownTrack(subscription, (byte)subscription.PayloadType, extensions,
                    rtxPayloadType: rtx ? (byte)subscription.RtxPayloadType : (byte)0))
            {
                retry = true; // unpublished meanwhile: its section goes inactive
            }
        }

        foreach (var subscription in refused)
        {
            if (_subscriptions.Contains(subscription))
            {
                SectionRefused(_logger, _participant.Identity, subscription.Track.Sid, subscription.Mid ?? string.Empty);
                Remove(subscription);
            }
        }

        if (retry)
        {
            _changed = true;
            _negotiation.Request(); // in flight still: negotiated by Completed below
        }

        _negotiation.Completed(coveredChanges: false);
    }

    private void SendOffer(bool iceRestart)
    {
        var media = _offered!.BuildOffer();
        var sdp = _subscriber.CreateOffer(iceRestart, media);
        var offer = new SessionDescription { Type = "offer", Sdp = sdp, Id = ++_offerId };
        foreach (var (mid, trackSid) in _offered.OfferedTracks())
        {
            offer.MidToTrackId[mid] = trackSid;
        }

        _changed = false;
        _signal(new SignalResponse { Offer = offer });
    }

    // ------------------------------------------------------------------ packet path

    private void OnRtp(ReadOnlySpan<byte> packet)
    {
        if (!RtpPacket.TryRead(packet, out var view, out _))
        {
            MediaCounters.RtpMalformed.Increment();
            return;
        }

        var now = _time.GetTimestamp();
        _rtcp.OnRtp(view, now);

        if (!_publishedBySsrc.TryGetValue(view.Ssrc, out var route))
        {
            if (_rtxBySsrc.TryGetValue(view.Ssrc, out var repairs))
            {
                Repair(view, repairs, now);
                return;
            }

            if (_midExtensionId == 0 || !view.TryGetExtension(_midExtensionId, out var midBytes)
                || !_publishedByMid.TryGetValue(Encoding.ASCII.GetString(midBytes), out var byMid))
            {
                UnroutedPackets++;
                MediaCounters.RtpUnrouted.Increment();
                return;
            }

            if (byMid.RtxPayloadType != 0 && view.PayloadType == byMid.RtxPayloadType)
            {
                // An RTX stream of a simulcast layer: the repaired-rid extension names the layer it repairs.
                if (_repairedRidExtensionId == 0 || !view.TryGetExtension(_repairedRidExtensionId, out var repairedRid))
                {
                    UnroutedPackets++;
                    return;
                }

                repairs = (byMid, LayerOf(repairedRid));
                _rtxBySsrc[view.Ssrc] = repairs;
                Repair(view, repairs, now);
                return;
            }

            var layer = 0;
            if (_ridExtensionId != 0 && view.TryGetExtension(_ridExtensionId, out var rid))
            {
                layer = LayerOf(rid);
            }

            route = (byMid, layer);
            _publishedBySsrc[view.Ssrc] = route;
            byMid.Ssrcs[view.Ssrc] = layer;
        }

        if (view.PayloadType != route.Track.PayloadType && (route.Track.RedPayloadType == 0 || view.PayloadType != route.Track.RedPayloadType))
        {
            UnroutedPackets++;
            MediaCounters.RtpUnrouted.Increment();
            return;
        }

        if (route.Track.AudioLevelExtensionId != 0 && view.TryGetExtension(route.Track.AudioLevelExtensionId, out var levelBytes)
            && AudioLevelExtension.TryRead(levelBytes, out var level, out _))
        {
            route.Track.Meter?.Add(level.Level);
        }

        route.Track.Router.WriteRtp(packet, route.Layer, now);
    }

    /// <summary>LiveKit's rids: q, h, f → layers 0, 1, 2 (anything else is layer 0).</summary>
    private static int LayerOf(ReadOnlySpan<byte> rid) =>
        rid.Length != 1 ? 0 : rid[0] switch { (byte)'q' => 0, (byte)'h' => 1, (byte)'f' => 2, _ => 0 };

    /// <summary>
    /// A retransmission (RFC 4588): the original packet, recovered under the layer's current SSRC, fills its hole in
    /// the receive stream (which stops NACKing it) and goes to subscribers still missing it. Padding-only RTX (the
    /// publisher's bandwidth probes) carries no packet and stops here; transport-cc has already counted it.
    /// </summary>
    private void Repair(RtpPacket rtx, (PublishedTrack Track, int Layer) route, long now)
    {
        if (route.Track.Router.GetStream(route.Layer) is not { } stream || rtx.Length > 1600)
        {
            UnroutedPackets++;
            return;
        }

        Span<byte> original = stackalloc byte[1600];
        if (!RtpRtx.TryUnwrap(rtx, original, route.Track.PayloadType, stream.Ssrc, out var length))
        {
            UnroutedPackets++;
            return;
        }

        RepairedPackets++;
        route.Track.Router.WriteRtp(original[..length], route.Layer, now);
    }

    private void OnReportBlock(RtcpReportBlock block, long now)
    {
        if (!_subscriptionsBySsrc.TryGetValue(block.Ssrc, out var subscription))
        {
            return;
        }

        var jitterMs = block.Jitter * 1000.0 / subscription.Track.ClockRate;
        var rtt = TimeSpan.Zero;
        var hasRtt = subscription.DownTrack is { } downTrack && downTrack.TryGetRtt(block, now, out rtt);
        lock (_qualityGate)
        {
            _downLoss = Math.Max(_downLoss, block.FractionLost / 256.0);
            _downJitterMs = Math.Max(_downJitterMs, jitterMs);
            _downReports++;
            if (hasRtt)
            {
                _downRttMs = Math.Max(_downRttMs, rtt.TotalMilliseconds);
                _rttSamples++;
                _lastRttMs = rtt.TotalMilliseconds;
            }
        }
    }

    /// <summary>The latest round-trip time measured to this participant from its receiver reports; null before the first.</summary>
    public TimeSpan? RoundTripTime
    {
        get
        {
            lock (_qualityGate)
            {
                return _lastRttMs < 0 ? null : TimeSpan.FromMilliseconds(_lastRttMs);
            }
        }
    }

    /// <summary>
    /// Connection quality over the last interval (called every few seconds): the worst of the loss and jitter we
    /// measure on what this participant publishes and of what its receiver reports say about what it receives, and
    /// the worst round-trip time its reports gave in the interval (the last one measured when none came, 0 before any).
    /// Null when nothing flowed either way (no evidence). On v1 it also hands the latest RTT to the receive streams of
    /// what this participant publishes (their NACK retry pacing).
    /// </summary>
    public (ConnectionQuality Quality, float Score)? MeasureQuality()
    {
        double loss = 0;
        double jitterMs = 0;
        double rttMs = 0;
        var evidence = false;
        var previous = _lastUpstream;
        _lastUpstream = [];

        // v1: one transport both ways, so the RTT measured on what we send is also the RTT toward what this
        // participant publishes: it paces our NACKs to it. v0's publisher transport carries nothing we could time.
        var publisherRtt = ServerOffers ? null : RoundTripTime;
        foreach (var track in _publishedByMid.Values)
        {
            for (var layer = 0; layer < track.Router.LayerCount; layer++)
            {
                if (track.Router.GetStream(layer) is not { } stream)
                {
                    continue;
                }

                if (publisherRtt is { } measured)
                {
                    stream.SetRtt(measured);
                }

                var stats = stream.Stats;
                previous.TryGetValue(stream, out var last);
                _lastUpstream[stream] = (stats.Expected, stats.Packets);
                var expected = stats.Expected - last.Expected;
                var received = stats.Packets - last.Packets;
                if (expected <= 0)
                {
                    continue;
                }

                evidence = true;
                loss = Math.Max(loss, Math.Clamp((expected - received) / (double)expected, 0, 1));
                jitterMs = Math.Max(jitterMs, stats.Jitter * 1000.0 / stream.ClockRate);
            }
        }

        lock (_qualityGate)
        {
            if (_downReports > 0)
            {
                evidence = true;
                loss = Math.Max(loss, _downLoss);
                jitterMs = Math.Max(jitterMs, _downJitterMs);
            }

            rttMs = _rttSamples > 0 ? _downRttMs : Math.Max(0, _lastRttMs);
            _downLoss = 0;
            _downJitterMs = 0;
            _downReports = 0;
            _downRttMs = 0;
            _rttSamples = 0;
        }

        if (!evidence)
        {
            return null;
        }

        var score = ConnectionQualityScore.Score(loss, jitterMs, rttMs);
        return (ConnectionQualityScore.Classify(score), (float)score);
    }

    /// <summary>Subscriber feedback on our SSRCs: PLI/FIR become keyframe requests to the publisher, NACKs are answered.</summary>
    private void OnRtcp(ReadOnlySpan<byte> packet)
    {
        var reader = new RtcpCompoundReader(packet);
        while (reader.MoveNext())
        {
            var rtcp = reader.Current;
            if (rtcp.PacketType == RtcpPacketType.SenderReport)
            {
                // The publisher's SR: its time goes back as LSR/DLSR in our receiver reports (the publisher's RTT).
                if (RtcpSenderReport.TryRead(rtcp.Span, out var report, out _))
                {
                    var now = _time.GetTimestamp();
                    if (_publishedBySsrc.TryGetValue(report.Ssrc, out var route)
                        && route.Track.Router.GetStream(route.Layer) is { } stream && stream.Ssrc == report.Ssrc)
                    {
                        stream.OnSenderReport(report.NtpTimestamp, now);
                        foreach (var downTrack in route.Track.Router.DownTracks)
                        {
                            downTrack.ForwardSenderReport(report.Ssrc, report.NtpTimestamp, report.RtpTimestamp, now);
                        }
                    }

                    for (var i = 0; i < report.ReportCount; i++)
                    {
                        OnReportBlock(report.GetReportBlock(i), now);
                    }
                }
            }
            else if (rtcp.PacketType == RtcpPacketType.ReceiverReport)
            {
                // the subscriber's view of what we send it: loss, jitter and RTT for connection quality
                if (RtcpReceiverReport.TryRead(rtcp.Span, out var report, out _))
                {
                    var now = _time.GetTimestamp();
                    for (var i = 0; i < report.ReportCount; i++)
                    {
                        OnReportBlock(report.GetReportBlock(i), now);
                    }
                }
            }
            else if (rtcp.PacketType == RtcpPacketType.PayloadFeedback && rtcp.Count is RtcpFeedbackFormat.Pli or RtcpFeedbackFormat.Fir
                && rtcp.Payload.Length >= 8)
            {
                var mediaSsrc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rtcp.Payload[4..]);
                if (_subscriptionsBySsrc.TryGetValue(mediaSsrc, out var subscription))
                {
                    subscription.Track.RequestKeyframes();
                }
            }
            else if (rtcp.PacketType == RtcpPacketType.TransportFeedback && rtcp.Count == RtcpFeedbackFormat.TransportCc)
            {
                // the subscriber's arrival times for our transport-wide sequence numbers: the bandwidth estimate
                if (!_bwe.OnFeedback(rtcp.Span, _time.GetTimestamp()))
                {
                    MediaCounters.RtcpMalformed.Increment();
                }
            }
            else if (rtcp.PacketType == RtcpPacketType.TransportFeedback && rtcp.Count == RtcpFeedbackFormat.Nack && rtcp.Payload.Length >= 8)
            {
                var mediaSsrc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rtcp.Payload[4..]);
                if (_subscriptionsBySsrc.TryGetValue(mediaSsrc, out var subscription))
                {
                    subscription.DownTrack?.HandleRtcpNack(rtcp.Span, out _);
                }
            }
        }

        if (reader.IsMalformed)
        {
            MediaCounters.RtcpMalformed.Increment();
        }
    }

    public void Dispose()
    {
        _negotiation.Dispose();
        _rtcp.Dispose();
        foreach (var subscription in _subscriptions)
        {
            subscription.Track.RemoveWanted(_participant.Sid);
            if (subscription.DownTrack is { } downTrack)
            {
                subscription.Track.Router.RemoveDownTrack(downTrack);
            }
        }

        _publisher.RtpReceived = null;
        _publisher.RtcpReceived = null;
        _publisher.SendAssignments = null;
        _publisher.PublishCodecs = null;
        _subscriber.RtcpReceived = null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Identity}: ignoring subscriber answer {AnswerId} (last offer {OfferId})")]
    private static partial void StaleAnswer(ILogger logger, string identity, uint answerId, uint offerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity}: subscriber refused track {TrackSid} in section {Mid}")]
    private static partial void SectionRefused(ILogger logger, string identity, string trackSid, string mid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity}: the client did not complete the {What} within the negotiation timeout (time {Attempt}); sending it again or asking for a reconnect")]
    private static partial void NegotiationTimedOut(ILogger logger, string identity, string what, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity}: {Count} subscriptions found no usable receive section in the client's offers; waiting for the next change")]
    private static partial void SubscriptionsUnplaced(ILogger logger, string identity, int count);
}
