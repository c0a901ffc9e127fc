using Google.Protobuf;
using Starling.Proto;
using Starling.Rooms.Agents;
using Starling.Rooms.Media;
using Starling.Protocol.Ids;

namespace Starling.Rooms;

/// <summary>
/// One room: its settings, participants and agent dispatches. Every mutation happens under one short lock;
/// participant sinks only enqueue, so signal messages go out in mutation order. Webhook events are collected
/// under the lock and published after it is released.
/// </summary>
internal sealed class Room
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Participant> _participants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<RpcResponse>> _serverRpcs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PublishedTrack> _published = new(StringComparer.Ordinal);
    private readonly Dictionary<string, float> _speakers = new(StringComparer.Ordinal);
    private readonly ITimer _speakerTimer;
    private readonly TimeProvider _time;
    private readonly IRoomEventSink _events;
    private readonly RoomOptions _options;
    private uint _version;
    private int _ticks;
    private Dictionary<string, ConnectionQuality> _lastQuality = new(StringComparer.Ordinal);

    public Room(string name, RoomOptions options, TimeProvider time, IRoomEventSink events, IAgentDispatcher? agents = null)
    {
        Name = name;
        Sid = SidGenerator.New(SidGenerator.Room);
        _options = options;
        _time = time;
        _events = events;
        CreatedAt = time.GetUtcNow();
        EmptyTimeout = options.EmptyTimeout;
        DepartureTimeout = options.DepartureTimeout;
        MaxParticipants = options.MaxParticipants;
        _speakerTimer = time.CreateTimer(_ => Tick(), null, options.SpeakerInterval, options.SpeakerInterval);
        Agents = new RoomAgents(this, agents, time, options.AgentLeaveGrace);
    }

    /// <summary>The room's agent dispatches and the jobs they launch.</summary>
    public RoomAgents Agents { get; }

    private void Tick()
    {
        UpdateSpeakers();
        if (++_ticks % QualityEveryTicks == 0)
        {
            BroadcastConnectionQuality();
        }
    }

    /// <summary>Connection quality goes out every this many speaker intervals (2 s at the default 500 ms).</summary>
    private const int QualityEveryTicks = 4;

    /// <summary>
    /// Sends everyone a ConnectionQualityUpdate with every visible participant's quality (as measured by its session)
    /// when any participant's quality class changed, or a participant appeared, since the last one.
    /// </summary>
    public void BroadcastConnectionQuality()
    {
        ConnectionQualityUpdate update;
        IParticipantSink[] sinks;
        lock (_gate)
        {
            if (IsClosed)
            {
                return;
            }

            update = new ConnectionQualityUpdate();
            var changed = false;
            var current = new Dictionary<string, ConnectionQuality>(StringComparer.Ordinal);
            foreach (var participant in _participants.Values)
            {
                if (participant.Hidden || participant.State != ParticipantInfo.Types.State.Active)
                {
                    continue;
                }

                var quality = participant.Quality;
                current[participant.Sid] = quality;
                changed |= !_lastQuality.TryGetValue(participant.Sid, out var last) || last != quality;
                update.Updates.Add(new ConnectionQualityInfo { ParticipantSid = participant.Sid, Quality = quality, Score = participant.QualityScore });
            }

            _lastQuality = current;
            if (!changed || update.Updates.Count == 0)
            {
                return;
            }

            sinks = SinksLocked();
        }

        var message = new SignalResponse { ConnectionQuality = update };
        foreach (var sink in sinks)
        {
            sink.SendSignal(message);
        }
    }

    /// <summary>
    /// Every <see cref="RoomOptions.SpeakerInterval"/>: each participant's loudest audio track over the last window
    /// decides whether it is speaking; participants that started or stopped speaking (or whose level moved) go to
    /// everyone in one SpeakersChanged, sorted loudest first. Nothing is sent when nothing changed.
    /// </summary>
    public void UpdateSpeakers()
    {
        var levels = new Dictionary<string, (float Level, bool Active)>(StringComparer.Ordinal);
        IParticipantSink[] sinks;
        lock (_gate)
        {
            if (IsClosed)
            {
                return;
            }

            foreach (var track in _published.Values)
            {
                if (track.IsAudio && track.Meter is { } meter && !track.Info.Muted)
                {
                    var (level, active) = meter.TakeWindow();
                    var sid = track.Owner.Sid;
                    var previous = levels.GetValueOrDefault(sid);
                    levels[sid] = (Math.Max(previous.Level, level), previous.Active || active);
                }
            }

            sinks = SinksLocked();
        }

        var changes = new List<SpeakerInfo>();
        lock (_speakers)
        {
            foreach (var (sid, (level, active)) in levels)
            {
                var was = _speakers.TryGetValue(sid, out var previousLevel);
                if (active && (!was || Math.Abs(previousLevel - level) > 0.05f))
                {
                    _speakers[sid] = level;
                    changes.Add(new SpeakerInfo { Sid = sid, Level = level, Active = true });
                }
            }

            foreach (var sid in _speakers.Keys.ToList())
            {
                if (!levels.TryGetValue(sid, out var now) || !now.Active)
                {
                    _speakers.Remove(sid);
                    changes.Add(new SpeakerInfo { Sid = sid, Level = 0, Active = false });
                }
            }
        }

        if (changes.Count == 0)
        {
            return;
        }

        var message = new SignalResponse { SpeakersChanged = new SpeakersChanged { Speakers = { changes.OrderByDescending(c => c.Level) } } };
        foreach (var sink in sinks)
        {
            sink.SendSignal(message);
        }
    }

    public string Name { get; }

    public string Sid { get; }

    public DateTimeOffset CreatedAt { get; }

    public uint EmptyTimeout { get; private set; }

    public uint DepartureTimeout { get; private set; }

    public uint MaxParticipants { get; private set; }

    public string Metadata { get; private set; } = string.Empty;

    public bool IsClosed { get; private set; }

    /// <summary>When a participant last left (agents too, as livekit-server); null until then and after a non-agent joins.</summary>
    public DateTimeOffset? LastDepartureAt { get; private set; }

    public bool EverJoined { get; private set; }

    public int ParticipantCount
    {
        get
        {
            lock (_gate)
            {
                return _participants.Count;
            }
        }
    }

    /// <summary>Applies creation settings; zero values keep the current (default) ones, as LiveKit does.</summary>
    public void Apply(uint emptyTimeout, uint departureTimeout, uint maxParticipants, string? metadata)
    {
        lock (_gate)
        {
            if (emptyTimeout > 0)
            {
                EmptyTimeout = emptyTimeout;
            }

            if (departureTimeout > 0)
            {
                DepartureTimeout = departureTimeout;
            }

            if (maxParticipants > 0)
            {
                MaxParticipants = maxParticipants;
            }

            if (!string.IsNullOrEmpty(metadata))
            {
                Limits.CheckMetadata(metadata);
                Metadata = metadata;
            }
        }
    }

    public Proto.Room ToProto()
    {
        lock (_gate)
        {
            return ToProtoLocked();
        }
    }

    private Proto.Room ToProtoLocked()
    {
        var numParticipants = 0u;
        var numPublishers = 0u;
        foreach (var p in _participants.Values)
        {
            if (p.Hidden)
            {
                continue;
            }

            if (!p.IsDependent)
            {
                numParticipants++;
            }

            if (p.Tracks.Count > 0)
            {
                numPublishers++;
            }
        }

        return new Proto.Room
        {
            Sid = Sid,
            Name = Name,
            EmptyTimeout = EmptyTimeout,
            DepartureTimeout = DepartureTimeout,
            MaxParticipants = MaxParticipants,
            CreationTime = CreatedAt.ToUnixTimeSeconds(),
            CreationTimeMs = CreatedAt.ToUnixTimeMilliseconds(),
            Metadata = Metadata,
            NumParticipants = numParticipants,
            NumPublishers = numPublishers,
            ActiveRecording = _participants.Values.Any(p => p.Permission.Recorder),
            Version = new TimedVersion { UnixMicro = _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000, Ticks = (int)_version },
        };
    }

    // ------------------------------------------------------------------ participants

    /// <summary>
    /// Adds a participant (signal join). A participant with the same identity is replaced and told
    /// <c>DUPLICATE_IDENTITY</c>. Fails with <see cref="RoomErrorCode.ResourceExhausted"/> when the room is full.
    /// </summary>
    public Participant AddParticipant(Participant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var pending = new Effects();
        ParticipantInfo? joined = null;
        lock (_gate)
        {
            if (IsClosed)
            {
                throw new RoomException(RoomErrorCode.FailedPrecondition, "room is closed");
            }

            _participants.TryGetValue(participant.Identity, out var existing);
            if (existing is null && !participant.IsDependent && MaxParticipants > 0 && _participants.Values.Count(p => !p.IsDependent) >= MaxParticipants)
            {
                throw new RoomException(RoomErrorCode.ResourceExhausted, "room is full");
            }

            if (existing is not null)
            {
                RemoveLocked(existing, DisconnectReason.DuplicateIdentity, pending);
            }

            participant.JoinedAtMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            _participants[participant.Identity] = participant;
            if (!participant.IsDependent)
            {
                EverJoined = true;
                LastDepartureAt = null;
                joined = participant.ToInfo();
            }
        }

        Publish(pending);
        if (joined is not null)
        {
            Agents.OnJoined(joined);
        }

        return participant;
    }

    public Participant? Find(string identity)
    {
        lock (_gate)
        {
            return _participants.GetValueOrDefault(identity);
        }
    }

    public Participant? FindBySid(string sid)
    {
        lock (_gate)
        {
            return _participants.Values.FirstOrDefault(p => p.Sid == sid);
        }
    }

    public IReadOnlyList<ParticipantInfo> ListParticipants()
    {
        lock (_gate)
        {
            return _participants.Values.Select(p => p.ToInfo()).ToList();
        }
    }

    /// <summary>What <paramref name="viewer"/> may see of the others: everyone but itself and hidden participants.</summary>
    public IReadOnlyList<ParticipantInfo> OtherParticipantInfos(Participant viewer)
    {
        lock (_gate)
        {
            return _participants.Values.Where(p => p != viewer && !p.Hidden).Select(p => p.ToInfo()).ToList();
        }
    }

    /// <summary>Tracks published by others than <paramref name="viewer"/> (for a new subscriber).</summary>
    public IReadOnlyList<PublishedTrack> PublishedTracksExcept(Participant viewer)
    {
        lock (_gate)
        {
            return _published.Values.Where(t => t.Owner != viewer).ToList();
        }
    }

    /// <summary>
    /// A publisher's media was matched to its pending track: the track joins the participant's info, everyone gets
    /// the ParticipantUpdate first (clients need the TrackInfo before the media), then track_published fires and
    /// every other participant is offered the track.
    /// </summary>
    public void PublishTrack(PublishedTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        IParticipantSink[] others;
        WebhookEvent evt;
        ParticipantInfo? firstPublish = null;
        lock (_gate)
        {
            if (!_participants.TryGetValue(track.Owner.Identity, out var owner) || owner != track.Owner)
            {
                track.Dispose();
                return;
            }

            owner.AddTrack(track.Info);
            owner.Touch();
            _published[track.Sid] = track;
            BroadcastLocked(owner);
            evt = WebhookEvents.Create(WebhookEvents.TrackPublished, _time.GetUtcNow(), ToProtoLocked(), WebhookEvents.Slim(owner), track.Info.Clone());
            others = SinksLocked(except: owner);
            if (!owner.HasPublished && !owner.IsDependent)
            {
                firstPublish = owner.ToInfo();
            }

            owner.HasPublished = true;
        }

        _events.Publish(evt);
        foreach (var sink in others)
        {
            sink.OnTrackPublished(track);
        }

        if (firstPublish is not null)
        {
            Agents.OnFirstPublish(firstPublish);
        }
    }

    /// <summary>The published track with this sid, if its media is flowing.</summary>
    public PublishedTrack? FindPublished(string trackSid)
    {
        lock (_gate)
        {
            return _published.GetValueOrDefault(trackSid);
        }
    }

    public ParticipantInfo GetParticipant(string identity)
    {
        lock (_gate)
        {
            return Require(identity).ToInfo();
        }
    }

    /// <summary>Marks a participant ACTIVE (its transport connected) and emits participant_joined.</summary>
    public void MarkActive(Participant participant)
    {
        WebhookEvent? evt = null;
        lock (_gate)
        {
            if (participant.State == ParticipantInfo.Types.State.Active || !_participants.TryGetValue(participant.Identity, out var p) || p != participant)
            {
                return;
            }

            participant.State = ParticipantInfo.Types.State.Active;
            participant.WasActive = true;
            participant.Touch();
            BroadcastLocked(participant);
            evt = WebhookEvents.Create(WebhookEvents.ParticipantJoined, _time.GetUtcNow(), ToProtoLocked(), participant.ToInfo());
        }

        _events.Publish(evt);
    }

    /// <summary>Removes a participant that left or was disconnected.</summary>
    public void Leave(Participant participant, DisconnectReason reason)
    {
        var pending = new Effects();
        lock (_gate)
        {
            if (!_participants.TryGetValue(participant.Identity, out var current) || current != participant)
            {
                return;
            }

            RemoveLocked(participant, reason, pending, notify: false);
        }

        Publish(pending);
    }

    /// <summary>RoomService.RemoveParticipant: the client is told PARTICIPANT_REMOVED and disconnected.</summary>
    public void RemoveParticipant(string identity)
    {
        var pending = new Effects();
        lock (_gate)
        {
            var participant = Require(identity);
            RemoveLocked(participant, DisconnectReason.ParticipantRemoved, pending);
        }

        Publish(pending);
    }

    private void RemoveLocked(Participant participant, DisconnectReason reason, Effects pending, bool notify = true)
    {
        _participants.Remove(participant.Identity);
        var now = _time.GetUtcNow();
        LastDepartureAt = now;
        pending.Left.Add((participant.Identity, participant.IsAgent, participant.JoinedAtMs, reason));

        if (notify && participant.Sink is { } removed)
        {
            pending.Disconnects.Add((removed, reason));
        }

        foreach (var track in participant.Tracks)
        {
            pending.Add(WebhookEvents.Create(WebhookEvents.TrackUnpublished, now, ToProtoLocked(), WebhookEvents.Slim(participant), track.Clone()));
            if (_published.Remove(track.Sid, out var published))
            {
                pending.Unpublished.Add((published, SinksLocked(except: participant)));
            }
        }

        participant.State = ParticipantInfo.Types.State.Disconnected;
        participant.Touch();
        var info = participant.ToInfo();
        info.DisconnectReason = reason;
        if (!participant.Hidden)
        {
            var update = new SignalResponse { Update = new ParticipantUpdate { Participants = { info } } };
            foreach (var other in _participants.Values)
            {
                other.Sink?.SendSignal(update);
            }
        }

        pending.Add(WebhookEvents.Create(
            participant.WasActive ? WebhookEvents.ParticipantLeft : WebhookEvents.ParticipantConnectionAborted,
            now,
            ToProtoLocked(),
            info));
    }

    /// <summary>RoomService.UpdateParticipant: changes what is given; everyone (incl. the target) sees the update.</summary>
    public ParticipantInfo UpdateParticipant(string identity, string? name, string? metadata, IReadOnlyDictionary<string, string>? attributes, ParticipantPermission? permission)
    {
        lock (_gate)
        {
            var participant = Require(identity);
            ApplyUpdateLocked(participant, name, metadata, attributes);
            if (permission is not null)
            {
                participant.Permission = permission.Clone();
            }

            participant.Touch();
            BroadcastLocked(participant);
            return participant.ToInfo();
        }
    }

    /// <summary>A client's own update_metadata (its permission was checked by the caller).</summary>
    public ParticipantInfo UpdateOwnMetadata(Participant participant, string? name, string? metadata, IReadOnlyDictionary<string, string>? attributes)
    {
        lock (_gate)
        {
            ApplyUpdateLocked(participant, name, metadata, attributes);
            participant.Touch();
            BroadcastLocked(participant);
            return participant.ToInfo();
        }
    }

    private static void ApplyUpdateLocked(Participant participant, string? name, string? metadata, IReadOnlyDictionary<string, string>? attributes)
    {
        if (name is { Length: > 0 })
        {
            Limits.CheckName(name);
            participant.Name = name;
        }

        if (metadata is { Length: > 0 })
        {
            Limits.CheckMetadata(metadata);
            participant.Metadata = metadata;
        }

        if (attributes is { Count: > 0 })
        {
            var merged = new Dictionary<string, string>(participant.Attributes, StringComparer.Ordinal);
            foreach (var (k, v) in attributes)
            {
                if (v.Length == 0)
                {
                    merged.Remove(k);
                }
                else
                {
                    merged[k] = v;
                }
            }

            Limits.CheckAttributes(merged);
            participant.Attributes.Clear();
            foreach (var (k, v) in merged)
            {
                participant.Attributes[k] = v;
            }
        }
    }

    /// <summary>RoomService.MutePublishedTrack: sets the track's muted flag and asks the publisher to follow.</summary>
    public TrackInfo MuteTrack(string identity, string trackSid, bool muted)
    {
        lock (_gate)
        {
            var participant = Require(identity);
            var track = participant.FindTrack(trackSid) ?? throw RoomException.NotFound($"track {trackSid} not found");
            if (!muted && !_options.EnableRemoteUnmute)
            {
                throw new RoomException(RoomErrorCode.FailedPrecondition, "remote unmute not enabled (room.enable_remote_unmute)");
            }

            if (track.Muted != muted)
            {
                track.Muted = muted;
                if (_published.TryGetValue(trackSid, out var published))
                {
                    published.Muted = muted;
                }

                participant.Touch();
                participant.Sink?.SendSignal(new SignalResponse { Mute = new MuteTrackRequest { Sid = trackSid, Muted = muted } });
                BroadcastLocked(participant);
            }

            return track.Clone();
        }
    }

    /// <summary>
    /// Whether <paramref name="subscriber"/> may subscribe to <paramref name="track"/> under its publisher's
    /// <c>SubscriptionPermission</c> (everyone may until the publisher restricts it).
    /// </summary>
    public bool IsAllowed(PublishedTrack track, Participant subscriber)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (_gate)
        {
            return Allows(track.Owner.SubscriptionPermission, subscriber, track.Sid);
        }
    }

    /// <summary>
    /// Whether <paramref name="subscriber"/> wants <paramref name="trackSid"/>: its explicit (un)subscription if it made
    /// one, else <paramref name="autoSubscribe"/>.
    /// </summary>
    public bool Wants(Participant subscriber, string trackSid, bool autoSubscribe)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (_gate)
        {
            return subscriber.SubscriptionIntents.TryGetValue(trackSid, out var intent) ? intent : autoSubscribe;
        }
    }

    /// <summary>
    /// The rule of <c>SubscriptionPermission</c>: everyone when unset or <c>all_participants</c>; else the entries naming
    /// the subscriber (by sid or identity) allow all its tracks or the listed ones.
    /// </summary>
    internal static bool Allows(SubscriptionPermission? permission, Participant subscriber, string trackSid)
    {
        if (permission is null || permission.AllParticipants)
        {
            return true;
        }

        foreach (var entry in permission.TrackPermissions)
        {
            var named = (entry.ParticipantSid.Length > 0 && entry.ParticipantSid == subscriber.Sid)
                || (entry.ParticipantIdentity.Length > 0 && entry.ParticipantIdentity == subscriber.Identity);
            if (named && (entry.AllTracks || entry.TrackSids.Contains(trackSid)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A publisher's <c>SubscriptionPermission</c>: stored, then every other participant re-checks its subscriptions to
    /// the publisher's tracks (outside the room lock).
    /// </summary>
    public void UpdateSubscriptionPermission(Participant publisher, SubscriptionPermission permission)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(permission);
        IParticipantSink[] others;
        List<PublishedTrack> tracks;
        lock (_gate)
        {
            publisher.SubscriptionPermission = permission.Clone();
            tracks = _published.Values.Where(t => t.Owner == publisher).ToList();
            others = SinksLocked(except: publisher);
        }

        if (tracks.Count == 0)
        {
            return;
        }

        foreach (var sink in others)
        {
            sink.OnSubscriptionPermissionChanged(tracks);
        }
    }

    /// <summary>
    /// RoomService.UpdateSubscriptions and the client's UpdateSubscription: (un)subscribes the participant to the given
    /// tracks; announced tracks without media yet are remembered as intents.
    /// </summary>
    public void UpdateSubscriptions(string identity, IEnumerable<string> trackSids, bool subscribe)
    {
        IParticipantSink? sink;
        var tracks = new List<PublishedTrack>();
        lock (_gate)
        {
            var participant = Require(identity);
            foreach (var sid in trackSids)
            {
                if (!_participants.Values.Any(p => p.FindTrack(sid) is not null))
                {
                    throw RoomException.NotFound($"track {sid} not found");
                }

                participant.SubscriptionIntents[sid] = subscribe;
                if (_published.TryGetValue(sid, out var published) && published.Owner != participant)
                {
                    tracks.Add(published);
                }
            }

            sink = participant.Sink;
        }

        if (tracks.Count > 0)
        {
            sink?.SetSubscribed(tracks, subscribe);
        }
    }

    /// <summary>
    /// Delivers a data packet to every participant except the sender, or to the named identities only.
    /// Returns how many participants it was queued for.
    /// </summary>
    public int SendData(DataPacket packet, bool reliable, Participant? sender = null)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var destinations = packet.DestinationIdentities;
        IParticipantSink[] targets;
        lock (_gate)
        {
            targets = _participants.Values
                .Where(p => p != sender && p.Sink is not null && (destinations.Count == 0 || destinations.Contains(p.Identity)))
                .Select(p => p.Sink!)
                .ToArray();
        }

        // Data goes out through SCTP/DTLS/UDP: never while holding the room lock. Encoded once for all receivers.
        var serialized = targets.Length > 0 ? packet.ToByteArray() : [];
        foreach (var sink in targets)
        {
            sink.SendData(packet, serialized, reliable);
        }

        return targets.Length;
    }

    /// <summary>
    /// RoomService.PerformRpc: sends an RPC request (protocol version 1) to one participant's data channel and waits
    /// for its response; the response (and the ack before it) is taken out of the data stream by
    /// <see cref="TryCompleteServerRpc"/>. A handler error is <see cref="RoomErrorCode.Aborted"/>, no answer in time
    /// <see cref="RoomErrorCode.DeadlineExceeded"/>.
    /// </summary>
    public async Task<string> PerformRpcAsync(string identity, string method, string payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        IParticipantSink sink;
        var id = Guid.NewGuid().ToString();
        var completion = new TaskCompletionSource<RpcResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            sink = Require(identity).Sink ?? throw RoomException.NotFound("participant is not connected");
            _serverRpcs[id] = completion;
        }

        try
        {
            // Clients ignore requests without a caller identity; the request id is a caller no participant can be,
            // and the response comes back addressed to it.
            var packet = new DataPacket
            {
                Kind = DataPacket.Types.Kind.Reliable,
                ParticipantIdentity = id,
                RpcRequest = new RpcRequest { Id = id, Method = method, Payload = payload, ResponseTimeoutMs = (uint)timeout.TotalMilliseconds, Version = 1 },
                DestinationIdentities = { identity },
            };
            sink.SendData(packet, packet.ToByteArray(), reliable: true);
            RpcResponse response;
            try
            {
                response = await completion.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new RoomException(RoomErrorCode.DeadlineExceeded, $"no RPC response from {identity} within {timeout.TotalMilliseconds:0} ms");
            }

            return response.ValueCase switch
            {
                RpcResponse.ValueOneofCase.Payload => response.Payload,
                RpcResponse.ValueOneofCase.Error => throw new RoomException(RoomErrorCode.Aborted, $"rpc error {response.Error.Code}: {response.Error.Message}"),
                RpcResponse.ValueOneofCase.CompressedPayload => throw new RoomException(RoomErrorCode.Aborted, "the participant answered with a compressed payload, which the server did not offer"),
                _ => string.Empty,
            };
        }
        finally
        {
            lock (_gate)
            {
                _serverRpcs.Remove(id);
            }
        }
    }

    /// <summary>Takes acks and responses to server-initiated RPCs out of the data stream; true when it was one.</summary>
    public bool TryCompleteServerRpc(DataPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var requestId = packet.ValueCase switch
        {
            DataPacket.ValueOneofCase.RpcAck => packet.RpcAck.RequestId,
            DataPacket.ValueOneofCase.RpcResponse => packet.RpcResponse.RequestId,
            _ => null,
        };
        if (requestId is null)
        {
            return false;
        }

        TaskCompletionSource<RpcResponse>? completion;
        lock (_gate)
        {
            if (!_serverRpcs.TryGetValue(requestId, out completion))
            {
                return false;
            }
        }

        if (packet.ValueCase == DataPacket.ValueOneofCase.RpcResponse)
        {
            completion.TrySetResult(packet.RpcResponse);
        }

        return true;
    }

    public Proto.Room UpdateMetadata(string metadata)
    {
        Limits.CheckMetadata(metadata);
        lock (_gate)
        {
            Metadata = metadata;
            _version++;
            var room = ToProtoLocked();
            var update = new SignalResponse { RoomUpdate = new RoomUpdate { Room = room } };
            foreach (var p in _participants.Values)
            {
                p.Sink?.SendSignal(update);
            }

            return room;
        }
    }

    /// <summary>Sends a participant's current info to everyone in the room (itself included), unless hidden.</summary>
    public void Broadcast(Participant participant)
    {
        lock (_gate)
        {
            BroadcastLocked(participant);
        }
    }

    private void BroadcastLocked(Participant participant)
    {
        var update = new SignalResponse { Update = new ParticipantUpdate { Participants = { participant.ToInfo() } } };
        foreach (var p in _participants.Values)
        {
            if (participant.Hidden && p != participant)
            {
                continue;
            }

            p.Sink?.SendSignal(update);
        }
    }

    private Participant Require(string identity)
    {
        Limits.CheckIdentity(identity);
        return _participants.GetValueOrDefault(identity) ?? throw RoomException.NotFound("participant does not exist");
    }

    // ------------------------------------------------------------------ agent dispatch

    public AgentDispatch CreateDispatch(string agentName, string metadata, IReadOnlyDictionary<string, string>? attributes, JobRestartPolicy restartPolicy, string deployment) =>
        Agents.Create(agentName, metadata, attributes, restartPolicy, deployment);

    public AgentDispatch DeleteDispatch(string dispatchId) => Agents.Delete(dispatchId);

    public IReadOnlyList<AgentDispatch> ListDispatches(string? dispatchId) => Agents.List(dispatchId);

    // ------------------------------------------------------------------ lifecycle

    /// <summary>
    /// Whether the room should close now: no one but dependent participants (agents, egress) in it, and past its empty
    /// or departure timeout.
    /// </summary>
    public bool IsIdle(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (IsClosed || _participants.Values.Any(p => !p.IsDependent))
            {
                return false;
            }

            return EverJoined
                ? LastDepartureAt is { } left && now - left >= TimeSpan.FromSeconds(DepartureTimeout)
                : now - CreatedAt >= TimeSpan.FromSeconds(EmptyTimeout);
        }
    }

    /// <summary>Closes the room: everyone is disconnected with <paramref name="reason"/>; returns room_finished last.</summary>
    public void Close(DisconnectReason reason, RoomEndReason endReason)
    {
        var pending = new Effects();
        lock (_gate)
        {
            if (IsClosed)
            {
                return;
            }

            foreach (var participant in _participants.Values.ToList())
            {
                RemoveLocked(participant, reason, pending);
            }

            IsClosed = true;
            _speakerTimer.Dispose();
            var finished = WebhookEvents.Create(WebhookEvents.RoomFinished, _time.GetUtcNow(), ToProtoLocked());
            finished.RoomEndReason = endReason;
            pending.Add(finished);
        }

        Agents.OnClosed();
        Publish(pending);
    }

    /// <summary>
    /// After the lock: removed participants are disconnected, subscribers drop unpublished tracks, then the webhook
    /// events go out. Sessions take their own locks and call into the room under them, so the room never calls a
    /// session while holding its lock.
    /// </summary>
    private void Publish(Effects pending)
    {
        foreach (var (sink, reason) in pending.Disconnects)
        {
            sink.Disconnect(reason, LeaveRequest.Types.Action.Disconnect);
        }

        foreach (var (track, sinks) in pending.Unpublished)
        {
            foreach (var sink in sinks)
            {
                sink.OnTrackUnpublished(track);
            }

            track.Dispose();
        }

        foreach (var evt in pending.Webhooks)
        {
            _events.Publish(evt);
        }

        foreach (var (identity, isAgent, joinedAtMs, reason) in pending.Left)
        {
            Agents.OnLeft(identity, isAgent, joinedAtMs, reason);
        }
    }

    /// <summary>The connected participants' sinks, but <paramref name="except"/>'s.</summary>
    private IParticipantSink[] SinksLocked(Participant? except = null) =>
        _participants.Values.Where(p => p != except && p.Sink is not null).Select(p => p.Sink!).ToArray();

    /// <summary>
    /// A published track stopped: the publisher removed its sender (its section no longer sends) or unpublished. It
    /// leaves the participant's info (clients treat that as unpublished), <c>track_unpublished</c> fires and every
    /// subscriber drops it.
    /// </summary>
    public void UnpublishTrack(PublishedTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        var pending = new Effects();
        lock (_gate)
        {
            if (!_published.TryGetValue(track.Sid, out var current) || current != track)
            {
                return;
            }

            _published.Remove(track.Sid);
            var owner = track.Owner;
            owner.RemoveTrack(track.Sid);
            owner.Touch();
            BroadcastLocked(owner);
            pending.Add(WebhookEvents.Create(WebhookEvents.TrackUnpublished, _time.GetUtcNow(), ToProtoLocked(), WebhookEvents.Slim(owner), track.Info.Clone()));
            pending.Unpublished.Add((track, SinksLocked(except: owner)));
        }

        Publish(pending);
    }

    /// <summary>What a room change does after the lock is released (see <see cref="Publish(Effects)"/>).</summary>
    private sealed class Effects
    {
        public List<(IParticipantSink Sink, DisconnectReason Reason)> Disconnects { get; } = [];

        public List<WebhookEvent> Webhooks { get; } = [];

        public List<(PublishedTrack Track, IParticipantSink[] Sinks)> Unpublished { get; } = [];

        public List<(string Identity, bool IsAgent, long JoinedAtMs, DisconnectReason Reason)> Left { get; } = [];

        public void Add(WebhookEvent evt) => Webhooks.Add(evt);
    }

}
