using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Protocol.Ids;
using Starling.Rooms.Media;
using Starling.Transport.WebRtc;

namespace Starling.Rooms.Signal;

/// <summary>
/// One participant's session: its signal connection (replaceable on resume), its peer connection(s) and the
/// LiveKit semantics of every signal request and data packet. Requests are handled one at a time (under
/// <c>_gate</c>); outgoing messages only enqueue.
/// </summary>
internal sealed partial class SignalSession : IParticipantSink, IDisposable
{
    private const string ReliableLabel = "_reliable";
    private const string LossyLabel = "_lossy";
    private const string DataTrackLabel = "_data_track";
    private const int MaxPendingTracks = 32;

    private readonly object _gate = new();
    private readonly SignalService _service;
    private readonly SignalOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Queue<string> _recentNonces = new();
    private readonly HashSet<string> _nonceSet = new(StringComparer.Ordinal);
    private readonly List<PublishedTrack> _toPublish = [];
    private readonly List<PublishedTrack> _toUnpublish = [];
    private readonly SessionMedia _media;
    private ISignalConnection? _connection;
    private ITimer? _refreshTimer;
    private ITimer? _resumeTimer;
    private readonly HashSet<string> _denied = new(StringComparer.Ordinal); // tracks whose publisher refused us (client told)
    private ITimer? _allocationTimer;
    private int _allocationTicks;

    /// <summary>Connection quality is measured every this many allocation ticks (2 s).</summary>
    private const int QualityEveryTicks = 4;
    private uint _lastReliableSeq;
    private bool _closed;
    private bool _negotiationFailed;
    private long _droppedData;
    private long _startedAt;

    public SignalSession(SignalService service, Room room, Participant participant, JoinParameters join, IRtcTransportFactory transports, SignalOptions options, TimeProvider time, ILogger logger)
    {
        _service = service;
        Room = room;
        Participant = participant;
        Join = join;
        _options = options;
        _time = time;
        _logger = logger;
        Primary = transports.Create(participant.Sid, serverIsOfferer: !join.SinglePeerConnection);
        Publisher = join.SinglePeerConnection ? Primary : transports.Create(participant.Sid, serverIsOfferer: false);
        Primary.DataChannelOpened += OnDataChannelOpened;
        // v1: one transport both ways; v0: the client publishes on Publisher and receives on Primary (we offer there)
        _media = new SessionMedia(participant, Publisher, Primary, time, SendSignal, logger, negotiation: options.Negotiation)
        {
            RunLocked = RunLocked,
            NegotiationFailed = () => _negotiationFailed = true,
        };
        Wire(Primary, SignalTarget.Subscriber);
        if (Publisher != Primary)
        {
            Wire(Publisher, SignalTarget.Publisher);
        }
    }

    public Room Room { get; }

    public Participant Participant { get; }

    public JoinParameters Join { get; private set; }

    /// <summary>The transport that carries downstream data: the only one (v1) or the subscriber one (v0).</summary>
    public IRtcTransport Primary { get; }

    /// <summary>The transport the client offers on (v1: same as <see cref="Primary"/>).</summary>
    public IRtcTransport Publisher { get; }

    /// <summary>Data packets dropped (no permission, malformed, duplicate).</summary>
    public long DroppedData => Interlocked.Read(ref _droppedData);

    public bool IsClosed => _closed;

    private void Wire(IRtcTransport transport, SignalTarget target)
    {
        transport.StateChanged += state => OnTransportState(transport, state);
        transport.DataReceived += OnData;
        var wireTarget = Join.SinglePeerConnection ? SignalTarget.Publisher : target;
        transport.LocalCandidate += candidate => SendSignal(new SignalResponse
        {
            Trickle = new TrickleRequest { CandidateInit = candidate, Target = wireTarget },
        });
    }

    // ------------------------------------------------------------------ lifecycle

    /// <summary>Sends the JoinResponse and starts negotiation on a fresh connection.</summary>
    public void Start(ISignalConnection connection)
    {
        lock (_gate)
        {
            _startedAt = _time.GetTimestamp();
            _connection = connection;
            connection.Send(new SignalResponse { Join = BuildJoinResponse() });
            Participant.State = ParticipantInfo.Types.State.Joined;
            Participant.Touch();
        }

        Room.Broadcast(Participant);
        var existing = WantsAutoSubscribe ? Room.PublishedTracksExcept(Participant).Select(t => (Track: t, Allowed: Room.IsAllowed(t, Participant))).ToList() : [];
        lock (_gate)
        {
            if (Join.SinglePeerConnection)
            {
                if (Join.PublisherOffer is { } offer)
                {
                    AnswerOffer(offer);
                }
            }
            else
            {
                Primary.CreateDataChannel(ReliableLabel, ordered: true, maxRetransmits: null);
                Primary.CreateDataChannel(LossyLabel, ordered: false, maxRetransmits: 0);
                Primary.CreateDataChannel(DataTrackLabel, ordered: false, maxRetransmits: 0);
            }

            // tracks already in the room go into the first subscriber offer (v0) or one media_sections_requirement (v1)
            foreach (var (track, allowed) in existing)
            {
                SubscribeIfAllowed(track, allowed);
            }

            _media.Negotiate();
            _refreshTimer = _time.CreateTimer(_ => RefreshToken(), null, _options.TokenRefreshInterval, _options.TokenRefreshInterval);
            _allocationTimer = _time.CreateTimer(_ => Allocate(), null, AllocationInterval, AllocationInterval);
        }

        PublishMatched();
    }

    private bool WantsAutoSubscribe => Participant.Permission.CanSubscribe && Join.AutoSubscribe;

    /// <summary>
    /// Announces tracks whose media was matched, and unpublishes those whose sender went away, while handling a request
    /// (outside the session lock: the room calls into other sessions).
    /// </summary>
    private void PublishMatched()
    {
        List<PublishedTrack> ready;
        List<PublishedTrack> stopped;
        lock (_gate)
        {
            ready = [.. _toPublish];
            _toPublish.Clear();
            stopped = [.. _toUnpublish];
            _toUnpublish.Clear();
        }

        foreach (var track in stopped)
        {
            Room.UnpublishTrack(track);
        }

        foreach (var track in ready)
        {
            Room.PublishTrack(track);
        }
    }

    /// <summary>How often subscriptions re-pick their simulcast layer from what publishers are sending.</summary>
    private static readonly TimeSpan AllocationInterval = TimeSpan.FromMilliseconds(500);

    private void Allocate()
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _media.Allocate();
                if (++_allocationTicks % QualityEveryTicks == 0 && _media.MeasureQuality() is { } quality)
                {
                    Participant.Quality = quality.Quality;
                    Participant.QualityScore = quality.Score;
                }

                foreach (var update in _media.TakeQualityUpdates())
                {
                    SendSignal(new SignalResponse { SubscribedQualityUpdate = update });
                }
            }
        }
    }

    /// <summary>Per-track counters of what this participant was sent (admin API).</summary>
    public List<SubscriptionStats> SubscriptionStats()
    {
        lock (_gate)
        {
            return _media.SubscriptionStats();
        }
    }

    /// <summary>Explicit (un)subscription to published tracks.</summary>
    public void SetSubscribed(IReadOnlyList<PublishedTrack> tracks, bool subscribe)
    {
        if (subscribe && !Participant.Permission.CanSubscribe)
        {
            return;
        }

        var allowed = tracks.Select(t => !subscribe || Room.IsAllowed(t, Participant)).ToList();
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            for (var i = 0; i < tracks.Count; i++)
            {
                var track = tracks[i];
                if (subscribe)
                {
                    SubscribeIfAllowed(track, allowed[i]);
                }
                else
                {
                    _media.Unsubscribe(track.Sid);
                }
            }
        }
    }

    /// <summary>Another participant published: subscribe (auto-subscribe or an earlier explicit subscription, canSubscribe, the publisher's permission) and renegotiate.</summary>
    public void OnTrackPublished(PublishedTrack track)
    {
        if (!Wants(track))
        {
            return;
        }

        var allowed = Room.IsAllowed(track, Participant);
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            SubscribeIfAllowed(track, allowed);
        }
    }

    /// <summary>
    /// The publisher of <paramref name="tracks"/> changed its <c>SubscriptionPermission</c>: subscriptions it no longer
    /// allows are dropped, wanted tracks it now allows are subscribed, and the client hears of every change for a track
    /// it wants (<c>SubscriptionPermissionUpdate</c>, which livekit-client turns into <c>trackSubscriptionPermissionChanged</c>).
    /// </summary>
    public void OnSubscriptionPermissionChanged(IReadOnlyList<PublishedTrack> tracks)
    {
        var decisions = tracks.Select(t => (Track: t, Allowed: Room.IsAllowed(t, Participant), Wanted: Wants(t))).ToList();
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            foreach (var (track, allowed, wanted) in decisions)
            {
                var subscribed = _media.IsSubscribed(track.Sid);
                if (!allowed && subscribed)
                {
                    _media.Unsubscribe(track.Sid);
                    _denied.Add(track.Sid);
                    SendPermissionUpdate(track, allowed: false);
                }
                else if (wanted && !subscribed)
                {
                    SubscribeIfAllowed(track, allowed);
                }
            }
        }
    }

    /// <summary>
    /// Whether this participant wants <paramref name="track"/> (canSubscribe, and auto-subscribe unless the client
    /// unsubscribed explicitly, or an explicit subscription made before the media came). Asks the room: not under the lock.
    /// </summary>
    private bool Wants(PublishedTrack track) =>
        Participant.Permission.CanSubscribe && Room.Wants(Participant, track.Sid, Join.AutoSubscribe);

    /// <summary>
    /// Subscribes when the publisher allows it, else remembers the refusal and tells the client once; a track allowed
    /// after a refusal is announced as allowed. Under the session lock; <paramref name="allowed"/> was asked of the room before.
    /// </summary>
    private void SubscribeIfAllowed(PublishedTrack track, bool allowed)
    {
        if (allowed)
        {
            _media.Subscribe(track);
            if (_denied.Remove(track.Sid))
            {
                SendPermissionUpdate(track, allowed: true);
            }
        }
        else if (_denied.Add(track.Sid))
        {
            SendPermissionUpdate(track, allowed: false);
        }
    }

    private void SendPermissionUpdate(PublishedTrack track, bool allowed) =>
        SendSignal(new SignalResponse
        {
            SubscriptionPermissionUpdate = new SubscriptionPermissionUpdate { ParticipantSid = track.Owner.Sid, TrackSid = track.Sid, Allowed = allowed },
        });

    /// <summary>A track went away: its section is negotiated inactive (v0) or freed (v1).</summary>
    public void OnTrackUnpublished(PublishedTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        lock (_gate)
        {
            if (_closed || !_media.IsSubscribed(track.Sid))
            {
                return;
            }

            _media.Unsubscribe(track.Sid);
        }
    }

    /// <summary>A resume: the client reconnected its signal socket and keeps its peer connections.</summary>
    public void Resume(ISignalConnection connection, JoinParameters join)
    {
        lock (_gate)
        {
            _resumeTimer?.Dispose();
            _resumeTimer = null;
            var old = _connection;
            _connection = connection;
            Join = join with { PublisherOffer = null };
            old?.Close();
            connection.Send(new SignalResponse
            {
                Reconnect = new ReconnectResponse
                {
                    ServerInfo = BuildServerInfo(),
                    ClientConfiguration = new ClientConfiguration(),
                    LastMessageSeq = _lastReliableSeq,
                },
            });
            var update = new ParticipantUpdate { Participants = { Participant.ToInfo() } };
            update.Participants.AddRange(Room.OtherParticipantInfos(Participant));
            connection.Send(new SignalResponse { Update = update });
            connection.Send(new SignalResponse { RoomUpdate = new RoomUpdate { Room = Room.ToProto() } });
            _media.RestartIce();
        }
    }

    /// <summary>The signal socket closed. Without a leave the participant may resume within the window.</summary>
    public void OnSignalClosed(ISignalConnection connection)
    {
        lock (_gate)
        {
            if (_closed || _connection != connection)
            {
                return;
            }

            _connection = null;
            _resumeTimer?.Dispose();
            _resumeTimer = _time.CreateTimer(_ => Expire(), null, _options.ResumeWindow, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Runs a negotiation timer callback under the session lock. A client that left a renegotiation and its retries
    /// unanswered is asked for a full reconnect, as livekit-server does (leave STATE_MISMATCH / RECONNECT).
    /// </summary>
    private void RunLocked(Action action)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            action();
            if (!_negotiationFailed)
            {
                return;
            }
        }

        SignalCounters.NegotiationFailures.Increment();
        LogNegotiationFailed(_logger, Participant.Identity);
        SendSignal(new SignalResponse { Leave = new LeaveRequest { Reason = DisconnectReason.StateMismatch, Action = LeaveRequest.Types.Action.Reconnect } });
        Close(DisconnectReason.StateMismatch, notifyRoom: true);
    }

    private void Expire()
    {
        lock (_gate)
        {
            if (_connection is not null || _closed)
            {
                return;
            }
        }

        LogResumeExpired(_logger, Participant.Identity);
        Close(DisconnectReason.SignalClose, notifyRoom: true);
    }

    /// <summary>Join latency: from the signal connection to the reliable data channel being open.</summary>
    public TimeSpan? JoinLatency { get; private set; }

    private void OnDataChannelOpened(string label)
    {
        if (label != ReliableLabel || JoinLatency is not null)
        {
            return;
        }

        JoinLatency = _time.GetElapsedTime(_startedAt);
        LogJoinLatency(_logger, Participant.Identity, JoinLatency.Value.TotalMilliseconds, Join.SinglePeerConnection ? "v1" : "v0");
    }

    private void OnTransportState(IRtcTransport transport, RtcTransportState state)
    {
        if (state == RtcTransportState.Connected && transport == Primary)
        {
            Room.MarkActive(Participant);
        }
        else if (state == RtcTransportState.Failed)
        {
            LogTransportFailed(_logger, Participant.Identity);
            Close(DisconnectReason.ConnectionTimeout, notifyRoom: true);
        }
    }

    /// <summary>Ends the session: leaves the room (if asked), closes transports and the socket.</summary>
    public void Close(DisconnectReason reason, bool notifyRoom)
    {
        ISignalConnection? connection;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            connection = _connection;
            _connection = null;
            _refreshTimer?.Dispose();
            _resumeTimer?.Dispose();
            _allocationTimer?.Dispose();
        }

        if (notifyRoom)
        {
            Room.Leave(Participant, reason);
        }

        connection?.Close();
        _media.Dispose();
        Primary.Dispose();
        if (Publisher != Primary)
        {
            Publisher.Dispose();
        }

        _service.Forget(this);
    }

    public void Dispose() => Close(DisconnectReason.ServerShutdown, notifyRoom: false);

    // ------------------------------------------------------------------ IParticipantSink

    public void SendSignal(SignalResponse message)
    {
        _connection?.Send(message);
    }

    public void SendData(DataPacket packet, byte[] serialized, bool reliable)
    {
        Primary.SendData(reliable ? ReliableLabel : LossyLabel, serialized);
    }

    public void Disconnect(DisconnectReason reason, LeaveRequest.Types.Action action)
    {
        SendSignal(new SignalResponse { Leave = new LeaveRequest { Reason = reason, Action = action } });
        Close(reason, notifyRoom: false);
    }

    // ------------------------------------------------------------------ requests

    public void Handle(SignalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            switch (request.MessageCase)
            {
                case SignalRequest.MessageOneofCase.Offer:
                    AnswerOffer(request.Offer);
                    break;
                case SignalRequest.MessageOneofCase.Answer:
                    ApplySubscriberAnswer(request.Answer);
                    break;
                case SignalRequest.MessageOneofCase.Trickle:
                    var target = Join.SinglePeerConnection || request.Trickle.Target == SignalTarget.Publisher ? Publisher : Primary;
                    target.AddRemoteCandidate(request.Trickle.CandidateInit);
                    break;
                case SignalRequest.MessageOneofCase.AddTrack:
                    AddTrack(request.AddTrack);
                    break;
                case SignalRequest.MessageOneofCase.Mute:
                    MuteOwnTrack(request.Mute);
                    break;
                case SignalRequest.MessageOneofCase.Leave:
                    break;
                case SignalRequest.MessageOneofCase.Ping:
                    SendSignal(new SignalResponse { Pong = _time.GetUtcNow().ToUnixTimeMilliseconds() });
                    break;
                case SignalRequest.MessageOneofCase.PingReq:
                    SendSignal(new SignalResponse
                    {
                        PongResp = new Pong { LastPingTimestamp = request.PingReq.Timestamp, Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds() },
                    });
                    break;
                case SignalRequest.MessageOneofCase.UpdateMetadata:
                    UpdateOwnMetadata(request.UpdateMetadata);
                    break;
                case SignalRequest.MessageOneofCase.Subscription:
                    break;
                case SignalRequest.MessageOneofCase.TrackSetting:
                    _media.UpdateSettings(request.TrackSetting);
                    break;
                case SignalRequest.MessageOneofCase.SyncState:
                    foreach (var state in request.SyncState.DatachannelReceiveStates)
                    {
                        LogSyncState(_logger, Participant.Identity, state.PublisherSid, state.LastSeq);
                    }

                    break;
                case SignalRequest.MessageOneofCase.PublishDataTrackRequest:
                    SendSignal(new SignalResponse
                    {
                        RequestResponse = new RequestResponse
                        {
                            Reason = RequestResponse.Types.Reason.UnsupportedType,
                            Message = "data tracks are not supported by this server",
                            PublishDataTrack = request.PublishDataTrackRequest,
                        },
                    });
                    break;
                default:
                    // track settings, layers, permissions, simulate, audio/video track updates:
                    // accepted; the media engine acts on them once it exists.
                    break;
            }
        }

        if (request.MessageCase == SignalRequest.MessageOneofCase.Leave)
        {
            Close(DisconnectReason.ClientInitiated, notifyRoom: true);
            return;
        }

        if (request.MessageCase == SignalRequest.MessageOneofCase.SubscriptionPermission)
        {
            Room.UpdateSubscriptionPermission(Participant, request.SubscriptionPermission);
        }

        if (request.MessageCase == SignalRequest.MessageOneofCase.Subscription)
        {
            var sids = request.Subscription.TrackSids.Concat(request.Subscription.ParticipantTracks.SelectMany(p => p.TrackSids));
            try
            {
                Room.UpdateSubscriptions(Participant.Identity, sids, request.Subscription.Subscribe);
            }
            catch (RoomException)
            {
                SendSignal(new SignalResponse { SubscriptionResponse = new SubscriptionResponse { TrackSid = sids.FirstOrDefault() ?? string.Empty, Err = SubscriptionError.SeTrackNotfound } });
            }
        }

        PublishMatched();
    }

    private void AnswerOffer(SessionDescription offer)
    {
        string answer;
        try
        {
            answer = Publisher.ApplyOffer(offer.Sdp);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
        {
            LogBadOffer(_logger, Participant.Identity, ex.Message);
            SendSignal(new SignalResponse { Leave = new LeaveRequest { Reason = DisconnectReason.StateMismatch, Action = LeaveRequest.Types.Action.Reconnect } });
            return;
        }

        LogNegotiation(_logger, Participant.Identity, offer.Sdp, answer);
        var message = new SessionDescription { Type = "answer", Sdp = answer, Id = offer.Id };
        _media.FillMidToTrackId(message);
        SendSignal(new SignalResponse { Answer = message });
        _toPublish.AddRange(_media.MatchPublications());
        _toUnpublish.AddRange(_media.TakeStoppedPublications());
        if (Join.SinglePeerConnection)
        {
            _media.OfferAnswered();
        }
    }

    /// <summary>v0: the client answered our subscriber offer (v1 clients never send answers).</summary>
    private void ApplySubscriberAnswer(SessionDescription answer)
    {
        if (Join.SinglePeerConnection)
        {
            return;
        }

        try
        {
            _media.ApplySubscriberAnswer(answer);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
        {
            LogBadAnswer(_logger, Participant.Identity, ex.Message);
            SendSignal(new SignalResponse { Leave = new LeaveRequest { Reason = DisconnectReason.StateMismatch, Action = LeaveRequest.Types.Action.Reconnect } });
        }
    }

    private void AddTrack(AddTrackRequest request)
    {
        var permission = Participant.Permission;
        string? refusal = null;
        if (!permission.CanPublish)
        {
            refusal = "participant does not have permission to publish";
        }
        else if (permission.CanPublishSources.Count > 0 && !permission.CanPublishSources.Contains(request.Source))
        {
            refusal = $"participant does not have permission to publish {request.Source}";
        }
        else if (request.Type is not (TrackType.Audio or TrackType.Video))
        {
            SendSignal(new SignalResponse
            {
                RequestResponse = new RequestResponse { Reason = RequestResponse.Types.Reason.UnsupportedType, Message = "only audio and video tracks can be published", AddTrack = request },
            });
            return;
        }

        if (refusal is not null)
        {
            SendSignal(new SignalResponse
            {
                RequestResponse = new RequestResponse { Reason = RequestResponse.Types.Reason.NotAllowed, Message = refusal, AddTrack = request },
            });
            return;
        }

        if (_media.PendingCount >= MaxPendingTracks)
        {
            SendSignal(new SignalResponse
            {
                RequestResponse = new RequestResponse { Reason = RequestResponse.Types.Reason.LimitExceeded, Message = "too many pending tracks", AddTrack = request },
            });
            return;
        }

        var track = new TrackInfo
        {
            Sid = SidGenerator.New(SidGenerator.Track),
            Type = request.Type,
            Name = request.Name,
            Muted = request.Muted,
            Width = request.Width,
            Height = request.Height,
            Source = request.Source,
            Simulcast = request.Layers.Count > 1,
            DisableRed = request.DisableRed,
            Encryption = request.Encryption,
            Stream = string.IsNullOrEmpty(request.Stream) ? (request.Source is TrackSource.ScreenShare or TrackSource.ScreenShareAudio ? "screen" : "camera") : request.Stream,
        };
        track.Layers.AddRange(request.Layers);
        track.AudioFeatures.AddRange(request.AudioFeatures);
        if (request.Type == TrackType.Video && request.SimulcastCodecs.FirstOrDefault(c => c.Codec.Length > 0) is { } primary)
        {
            // the codec the client asked to publish with (the answer receives that one); the match sets the real one
            track.MimeType = primary.Codec.Contains('/', StringComparison.Ordinal) ? primary.Codec : "video/" + primary.Codec;
        }

        SendSignal(new SignalResponse { TrackPublished = new TrackPublishedResponse { Cid = request.Cid, Track = track } });

        // media may already be flowing (clients send the offer and add_track concurrently)
        _media.AddPending(request.Cid, track.Clone());
        _toPublish.AddRange(_media.MatchPublications());
    }

    private void MuteOwnTrack(MuteTrackRequest request)
    {
        var track = Participant.FindTrack(request.Sid);
        if (track is null || track.Muted == request.Muted)
        {
            return;
        }

        track.Muted = request.Muted;
        Room.FindPublished(request.Sid)?.Muted = request.Muted;
        Participant.Touch();
        Room.Broadcast(Participant);
    }

    private void UpdateOwnMetadata(UpdateParticipantMetadata request)
    {
        if (!Participant.Permission.CanUpdateMetadata)
        {
            SendSignal(new SignalResponse
            {
                RequestResponse = new RequestResponse
                {
                    RequestId = request.RequestId,
                    Reason = RequestResponse.Types.Reason.NotAllowed,
                    Message = "participant does not have permission to update its own metadata",
                    UpdateMetadata = request,
                },
            });
            return;
        }

        try
        {
            Room.UpdateOwnMetadata(Participant, request.Name, request.Metadata, request.Attributes);
            SendSignal(new SignalResponse { RequestResponse = new RequestResponse { RequestId = request.RequestId, Reason = RequestResponse.Types.Reason.Ok, UpdateMetadata = request } });
        }
        catch (RoomException ex)
        {
            SendSignal(new SignalResponse
            {
                RequestResponse = new RequestResponse { RequestId = request.RequestId, Reason = RequestResponse.Types.Reason.LimitExceeded, Message = ex.Message, UpdateMetadata = request },
            });
        }
    }

    private void RefreshToken()
    {
        var claims = Join.Claims;
        var secret = _service.SecretFor(claims.Issuer ?? string.Empty);
        if (secret is null || _closed)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var refreshed = claims with
        {
            NotBefore = now.ToUnixTimeSeconds(),
            Expires = (now + _options.RefreshedTokenTtl).ToUnixTimeSeconds(),
            Name = Participant.Name,
            Metadata = Participant.Metadata,
            Attributes = new Dictionary<string, string>(Participant.Attributes),
        };
        SendSignal(new SignalResponse { RefreshToken = AccessTokenCodec.Encode(refreshed, secret) });
    }

    // ------------------------------------------------------------------ data

    private void OnData(string label, ReadOnlyMemory<byte> payload)
    {
        if (label == DataTrackLabel)
        {
            return;
        }

        var reliable = label == ReliableLabel;
        if (!reliable && label != LossyLabel)
        {
            return;
        }

        if (!Participant.Permission.CanPublishData)
        {
            Interlocked.Increment(ref _droppedData);
            return;
        }

        DataPacket packet;
        try
        {
            packet = DataPacket.Parser.ParseFrom(payload.Span);
        }
        catch (InvalidProtocolBufferException)
        {
            Interlocked.Increment(ref _droppedData);
            return;
        }

        lock (_gate)
        {
            if (reliable && packet.Sequence > 0)
            {
                if (packet.Sequence <= _lastReliableSeq)
                {
                    Interlocked.Increment(ref _droppedData);
                    return;
                }

                _lastReliableSeq = packet.Sequence;
            }

            if (packet.ValueCase == DataPacket.ValueOneofCase.User && !packet.User.Nonce.IsEmpty && !RememberNonce(packet.User.Nonce))
            {
                Interlocked.Increment(ref _droppedData);
                return;
            }
        }

        if (Room.TryCompleteServerRpc(packet))
        {
            return;
        }

        var identity = Participant.Hidden ? string.Empty : Participant.Identity;
        var keepSender = Participant.IsAgent && !string.IsNullOrEmpty(packet.ParticipantIdentity) &&
            packet.ValueCase is DataPacket.ValueOneofCase.Transcription or DataPacket.ValueOneofCase.ChatMessage or DataPacket.ValueOneofCase.StreamHeader or DataPacket.ValueOneofCase.StreamChunk or DataPacket.ValueOneofCase.StreamTrailer;
        if (!keepSender)
        {
            packet.ParticipantIdentity = identity;
        }
        else if (packet.ValueCase == DataPacket.ValueOneofCase.ChatMessage)
        {
            packet.ChatMessage.Generated = true;
        }

        packet.ParticipantSid = Participant.Sid;
        packet.Kind = reliable ? DataPacket.Types.Kind.Reliable : DataPacket.Types.Kind.Lossy;
        if (packet.ValueCase == DataPacket.ValueOneofCase.User)
        {
            var user = packet.User;
            user.ParticipantIdentity = identity;
            user.ParticipantSid = Participant.Sid;
            if (packet.DestinationIdentities.Count == 0 && user.DestinationIdentities.Count > 0)
            {
                packet.DestinationIdentities.AddRange(user.DestinationIdentities);
            }
            else if (user.DestinationIdentities.Count == 0 && packet.DestinationIdentities.Count > 0)
            {
                user.DestinationIdentities.AddRange(packet.DestinationIdentities);
            }
        }

        Room.SendData(packet, reliable, Participant);
    }

    private bool RememberNonce(ByteString nonce)
    {
        var key = nonce.ToBase64();
        if (!_nonceSet.Add(key))
        {
            return false;
        }

        _recentNonces.Enqueue(key);
        if (_recentNonces.Count > 512)
        {
            _nonceSet.Remove(_recentNonces.Dequeue());
        }

        return true;
    }

    // ------------------------------------------------------------------ join response

    private ServerInfo BuildServerInfo() => new()
    {
        Edition = ServerInfo.Types.Edition.Standard,
        Version = _options.ServerVersion,
        Protocol = 17,
        NodeId = _options.NodeId,
        AgentProtocol = 1,
    };

    private JoinResponse BuildJoinResponse()
    {
        var response = new JoinResponse
        {
            Room = Room.ToProto(),
            Participant = Participant.ToInfo(),
            ServerVersion = _options.ServerVersion,
            ServerInfo = BuildServerInfo(),
            SubscriberPrimary = !Join.SinglePeerConnection && Participant.Permission.CanSubscribe,
            PingInterval = _options.PingIntervalSeconds,
            PingTimeout = _options.PingTimeoutSeconds,
            ClientConfiguration = new ClientConfiguration(),
            SifTrailer = ByteString.CopyFromUtf8(Room.Sid),
            FastPublish = false,
        };
        response.OtherParticipants.AddRange(Room.OtherParticipantInfos(Participant));
        foreach (var (mime, fmtp) in _options.EnabledCodecs)
        {
            response.EnabledPublishCodecs.Add(new Codec { Mime = mime, FmtpLine = fmtp });
        }

        return response;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity}: join took {Milliseconds:0.0} ms (signal connection to data channel open, {Path})")]
    private static partial void LogJoinLatency(ILogger logger, string identity, double milliseconds, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} did not resume in time; removing")]
    private static partial void LogResumeExpired(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity}: renegotiation failed (the client answered neither it nor its retries); asking for a full reconnect")]
    private static partial void LogNegotiationFailed(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity}: peer connection failed")]
    private static partial void LogTransportFailed(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Identity}: offer\n{Offer}\nanswer\n{Answer}")]
    private static partial void LogNegotiation(ILogger logger, string identity, string offer, string answer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity}: offer rejected: {Reason}")]
    private static partial void LogBadOffer(ILogger logger, string identity, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity}: subscriber answer rejected: {Reason}")]
    private static partial void LogBadAnswer(ILogger logger, string identity, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Identity}: sync state: last seq {Seq} from {PublisherSid}")]
    private static partial void LogSyncState(ILogger logger, string identity, string publisherSid, uint seq);
}
