using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Protocol.Ids;
using Starling.Transport.WebRtc;

namespace Starling.Rooms.Signal;

/// <summary>
/// Turns verified joins into sessions: validation before the WebSocket upgrade (HTTP errors as the clients
/// expect), fresh joins, resumes of a known participant sid, and the registry of live sessions.
/// </summary>
internal sealed partial class SignalService : IDisposable
{
    private static readonly JsonParser RoomConfigParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly object _gate = new();
    private readonly Dictionary<string, SignalSession> _sessions = new(StringComparer.Ordinal);
    private readonly RoomManager _rooms;
    private readonly Func<string, string?> _secretForKey;
    private readonly IRtcTransportFactory _transports;
    private readonly SignalOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    public SignalService(RoomManager rooms, Func<string, string?> secretForKey, IRtcTransportFactory transports, SignalOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        _rooms = rooms;
        _secretForKey = secretForKey;
        _transports = transports;
        _options = options;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<SignalService>();
    }

    public SignalOptions Options => _options;

    public string? SecretFor(string key) => _secretForKey(key);

    /// <summary>Verifies a join token; failures are HTTP 401 with LiveKit's wording.</summary>
    public TokenClaims Authenticate(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw new SignalException(401, "permissions denied: no access token");
        }

        try
        {
            return AccessTokenCodec.Verify(token, _secretForKey, _time.GetUtcNow());
        }
        catch (TokenValidationException ex)
        {
            throw new SignalException(401, "invalid authorization token: " + ex.Message);
        }
    }

    /// <summary>Everything that can be refused before the upgrade.</summary>
    public void Validate(JoinParameters join)
    {
        ArgumentNullException.ThrowIfNull(join);
        if (Draining)
        {
            throw new SignalException(503, "the server is shutting down");
        }

        var video = join.Claims.Video;
        if (video is null || video.RoomJoin != true)
        {
            throw new SignalException(401, "permissions denied: the token has no roomJoin grant");
        }

        if (string.IsNullOrEmpty(video.Room))
        {
            throw new SignalException(400, "no room name in the token's video grant");
        }

        if (string.IsNullOrEmpty(join.Claims.Identity))
        {
            throw new SignalException(400, "no participant identity in the token");
        }

        try
        {
            Limits.CheckRoomName(video.Room);
            Limits.CheckIdentity(join.Claims.Identity);
        }
        catch (RoomException ex)
        {
            throw new SignalException(400, ex.Message);
        }

        if ((join.Metadata is { Length: > 0 } || join.Attributes is { Count: > 0 }) && video.CanUpdateOwnMetadata != true)
        {
            throw new SignalException(401, "permissions denied: setting metadata or attributes at join needs canUpdateOwnMetadata");
        }

        if (join.Reconnect && !string.IsNullOrEmpty(join.ParticipantSid))
        {
            return;
        }

        if (!_rooms.Options.AutoCreate && _rooms.Find(video.Room) is null)
        {
            throw new SignalException(404, "requested room does not exist");
        }
    }

    /// <summary>
    /// After the upgrade: resumes the participant named in a reconnect, or joins afresh. Returns the session the
    /// socket now feeds, or null when the connection was answered with a leave and closed.
    /// </summary>
    public SignalSession? Connect(JoinParameters join, ISignalConnection connection)
    {
        ArgumentNullException.ThrowIfNull(join);
        ArgumentNullException.ThrowIfNull(connection);
        if (join.Reconnect && !string.IsNullOrEmpty(join.ParticipantSid))
        {
            SignalSession? existing;
            lock (_gate)
            {
                existing = _sessions.GetValueOrDefault(join.ParticipantSid);
            }

            if (existing is not null && !existing.IsClosed && existing.Participant.Identity == join.Claims.Identity && existing.Room.Name == join.Claims.Video!.Room)
            {
                LogResumed(_logger, existing.Participant.Identity, existing.Room.Name);
                existing.Resume(connection, join);
                return existing;
            }

            connection.Send(new SignalResponse { Leave = new LeaveRequest { Reason = DisconnectReason.StateMismatch, Action = LeaveRequest.Types.Action.Reconnect } });
            connection.Close();
            return null;
        }

        var roomName = join.Claims.Video!.Room!;
        Room room;
        try
        {
            room = _rooms.GetForJoin(roomName, ParseRoomConfig(join.Claims));
        }
        catch (RoomException)
        {
            connection.Send(new SignalResponse { Leave = new LeaveRequest { Reason = DisconnectReason.JoinFailure, Action = LeaveRequest.Types.Action.Disconnect } });
            connection.Close();
            return null;
        }

        var participant = CreateParticipant(join);
        var session = new SignalSession(this, room, participant, join, _transports, _options, _time, _loggers.CreateLogger<SignalSession>());
        participant.Sink = session;
        try
        {
            room.AddParticipant(participant);
        }
        catch (RoomException ex)
        {
            LogJoinFailed(_logger, participant.Identity, roomName, ex.Message);
            connection.Send(new SignalResponse { Leave = new LeaveRequest { Reason = DisconnectReason.JoinFailure, Action = LeaveRequest.Types.Action.Disconnect } });
            session.Close(DisconnectReason.JoinFailure, notifyRoom: false);
            connection.Close();
            return null;
        }

        lock (_gate)
        {
            _sessions[participant.Sid] = session;
        }

        LogJoined(_logger, participant.Identity, roomName, participant.Sid, join.SinglePeerConnection ? "v1" : "v0");
        session.Start(connection);
        return session;
    }

    internal void Forget(SignalSession session)
    {
        lock (_gate)
        {
            if (_sessions.GetValueOrDefault(session.Participant.Sid) == session)
            {
                _sessions.Remove(session.Participant.Sid);
            }
        }
    }

    public SignalSession? FindSession(string participantSid)
    {
        lock (_gate)
        {
            return _sessions.GetValueOrDefault(participantSid);
        }
    }

    private static Participant CreateParticipant(JoinParameters join)
    {
        var claims = join.Claims;
        var video = claims.Video!;
        var participant = new Participant(SidGenerator.New(SidGenerator.Participant), claims.Identity, sink: null)
        {
            Name = claims.Name ?? string.Empty,
            Metadata = join.Metadata is { Length: > 0 } m ? m : claims.Metadata ?? string.Empty,
            Permission = PermissionFrom(video),
            Kind = KindFrom(claims.Kind),
            ClientProtocol = join.ClientInfo.ClientProtocol,
        };
        foreach (var (k, v) in claims.Attributes ?? new Dictionary<string, string>())
        {
            participant.Attributes[k] = v;
        }

        foreach (var (k, v) in join.Attributes ?? new Dictionary<string, string>())
        {
            if (v.Length > 0)
            {
                participant.Attributes[k] = v;
            }
        }

        return participant;
    }

    internal static ParticipantPermission PermissionFrom(VideoGrant video)
    {
        var permission = new ParticipantPermission
        {
            CanSubscribe = video.EffectiveCanSubscribe,
            CanPublish = video.EffectiveCanPublish,
            CanPublishData = video.EffectiveCanPublishData,
            Hidden = video.Hidden ?? false,
            Recorder = video.Recorder ?? false,
            CanUpdateMetadata = video.CanUpdateOwnMetadata ?? false,
            Agent = video.Agent ?? false,
            CanSubscribeMetrics = video.CanSubscribeMetrics ?? false,
            CanManageAgentSession = video.CanManageAgentSession ?? false,
        };
        foreach (var source in video.CanPublishSources ?? [])
        {
            permission.CanPublishSources.Add(source.ToLowerInvariant() switch
            {
                "camera" => TrackSource.Camera,
                "microphone" => TrackSource.Microphone,
                "screen_share" => TrackSource.ScreenShare,
                "screen_share_audio" => TrackSource.ScreenShareAudio,
                _ => TrackSource.Unknown,
            });
        }

        return permission;
    }

    internal static ParticipantInfo.Types.Kind KindFrom(string? kind) => kind?.ToLowerInvariant() switch
    {
        "ingress" => ParticipantInfo.Types.Kind.Ingress,
        "egress" => ParticipantInfo.Types.Kind.Egress,
        "sip" => ParticipantInfo.Types.Kind.Sip,
        "agent" => ParticipantInfo.Types.Kind.Agent,
        "connector" => ParticipantInfo.Types.Kind.Connector,
        "bridge" => ParticipantInfo.Types.Kind.Bridge,
        _ => ParticipantInfo.Types.Kind.Standard,
    };

    private static RoomConfiguration? ParseRoomConfig(TokenClaims claims)
    {
        if (claims.RoomConfig is not { ValueKind: System.Text.Json.JsonValueKind.Object } json)
        {
            return null;
        }

        try
        {
            return RoomConfigParser.Parse<RoomConfiguration>(json.GetRawText());
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
        catch (InvalidJsonException)
        {
            return null;
        }
    }

    /// <summary>True once <see cref="Drain"/> ran: new joins are refused (503), resumes too.</summary>
    public bool Draining { get; private set; }

    /// <summary>
    /// Graceful shutdown: refuses new joins and asks every connected participant to reconnect
    /// (<c>leave{SERVER_SHUTDOWN, RECONNECT}</c>: the client rejoins when a server answers at the same URL again,
    /// e.g. after a restart by its supervisor). Returns how many participants were told.
    /// </summary>
    public int Drain()
    {
        List<SignalSession> sessions;
        lock (_gate)
        {
            Draining = true;
            sessions = [.. _sessions.Values];
        }

        foreach (var session in sessions)
        {
            session.Disconnect(DisconnectReason.ServerShutdown, LeaveRequest.Types.Action.Reconnect);
        }

        return sessions.Count;
    }

    public void Dispose()
    {
        List<SignalSession> sessions;
        lock (_gate)
        {
            sessions = [.. _sessions.Values];
        }

        foreach (var session in sessions)
        {
            session.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} joined {Room} as {Sid} ({Path})")]
    private static partial void LogJoined(ILogger logger, string identity, string room, string sid, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} resumed in {Room}")]
    private static partial void LogResumed(ILogger logger, string identity, string room);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} could not join {Room}: {Reason}")]
    private static partial void LogJoinFailed(ILogger logger, string identity, string room, string reason);
}
