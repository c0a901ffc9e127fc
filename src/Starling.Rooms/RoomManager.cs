using Starling.Proto;
using Starling.Rooms.Agents;

namespace Starling.Rooms;

/// <summary>
/// The registry of open rooms on this node: creation (API or join), lookup, deletion, and closing idle rooms
/// after their empty or departure timeout (checked every <see cref="RoomOptions.IdleCheckInterval"/>).
/// </summary>
internal sealed class RoomManager : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly RoomOptions _options;
    private readonly TimeProvider _time;
    private readonly IRoomEventSink _events;
    private readonly IAgentDispatcher? _agents;
    private readonly ITimer _idleTimer;

    public RoomManager(RoomOptions options, TimeProvider time, IRoomEventSink events, IAgentDispatcher? agents = null)
    {
        _options = options;
        _time = time;
        _events = events;
        _agents = agents;
        _idleTimer = time.CreateTimer(_ => CloseIdleRooms(), null, options.IdleCheckInterval, options.IdleCheckInterval);
    }

    public RoomOptions Options => _options;

    /// <summary>
    /// RoomService.CreateRoom: returns the room, creating it when missing; settings are applied either way. Agents are
    /// dispatched only when this call creates the room: the request's, or the default (automatic) dispatch without any.
    /// </summary>
    public Room CreateRoom(CreateRoomRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Limits.CheckRoomName(request.Name);
        var room = GetOrCreate(request.Name, out var created);
        room.Apply(request.EmptyTimeout, request.DepartureTimeout, request.MaxParticipants, request.Metadata);
        if (created)
        {
            room.Agents.Start(request.Agents);
        }

        return room;
    }

    /// <summary>
    /// The room a participant joins: an open room, or a new one when <see cref="RoomOptions.AutoCreate"/> is on
    /// (settings from the token's roomConfig are applied only when this join creates it).
    /// </summary>
    public Room GetForJoin(string name, RoomConfiguration? config)
    {
        Limits.CheckRoomName(name);
        if (!_options.AutoCreate)
        {
            return Find(name) ?? throw RoomException.NotFound("requested room does not exist");
        }

        var room = GetOrCreate(name, out var created);
        if (created)
        {
            if (config is not null)
            {
                room.Apply(config.EmptyTimeout, config.DepartureTimeout, config.MaxParticipants, config.Metadata);
            }

            room.Agents.Start(config?.Agents ?? []);
        }

        return room;
    }

    private Room GetOrCreate(string name, out bool created)
    {
        Room room;
        lock (_gate)
        {
            if (_rooms.TryGetValue(name, out var existing))
            {
                created = false;
                return existing;
            }

            room = new Room(name, _options, _time, _events, _agents);
            _rooms[name] = room;
            created = true;
        }

        _events.Publish(WebhookEvents.Create(WebhookEvents.RoomStarted, _time.GetUtcNow(), room.ToProto()));
        return room;
    }

    public Room? Find(string name)
    {
        lock (_gate)
        {
            return _rooms.GetValueOrDefault(name);
        }
    }

    public Room Require(string name)
    {
        Limits.CheckRoomName(name);
        return Find(name) ?? throw RoomException.NotFound($"room {name} does not exist");
    }

    /// <summary>Open rooms, optionally only those named.</summary>
    public IReadOnlyList<Room> List(IReadOnlyCollection<string>? names = null)
    {
        lock (_gate)
        {
            return _rooms.Values
                .Where(r => names is null || names.Count == 0 || names.Contains(r.Name))
                .OrderBy(r => r.CreatedAt)
                .ToList();
        }
    }

    /// <summary>RoomService.DeleteRoom: participants are told ROOM_DELETED; room_finished follows.</summary>
    public void DeleteRoom(string name)
    {
        var room = Require(name);
        CloseRoom(room, DisconnectReason.RoomDeleted, RoomEndReason.RoomEndApiDelete);
    }

    private void CloseRoom(Room room, DisconnectReason reason, RoomEndReason endReason)
    {
        lock (_gate)
        {
            if (_rooms.GetValueOrDefault(room.Name) == room)
            {
                _rooms.Remove(room.Name);
            }
        }

        room.Close(reason, endReason);
    }

    /// <summary>Closes every room that is empty and past its timeout.</summary>
    public void CloseIdleRooms()
    {
        var now = _time.GetUtcNow();
        foreach (var room in List())
        {
            if (room.IsIdle(now))
            {
                CloseRoom(room, DisconnectReason.RoomClosed, RoomEndReason.RoomEndIdleTimeout);
            }
        }
    }

    /// <summary>Server shutdown: close every room.</summary>
    public void CloseAll()
    {
        foreach (var room in List())
        {
            CloseRoom(room, DisconnectReason.ServerShutdown, RoomEndReason.RoomEndServerShutdown);
        }
    }

    public void Dispose() => _idleTimer.Dispose();
}
