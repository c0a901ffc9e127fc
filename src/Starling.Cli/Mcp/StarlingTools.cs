using System.ComponentModel;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using Starling.Cli.Service;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Sdk;

namespace Starling.Cli.Mcp;

/// <summary>
/// The tools <c>starling mcp</c> offers an assistant: the local service (status/start/stop), rooms, participants,
/// tokens, data and agent dispatch on the server it was pointed at. Each returns JSON text; failures are reported as
/// tool errors with the server's message.
/// </summary>
[McpServerToolType]
internal sealed class StarlingTools(McpTarget target, CliContext context)
{
    private RoomServiceClient Rooms => new(target.Url, target.ApiKey, target.ApiSecret);

    [McpServerTool(Name = "service_status"), Description("Is the locally installed Starling service running and healthy? Returns its state, pid, uptime, URL, version, rooms and participants, and the LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET to use.")]
    public Task<string> ServiceStatus(CancellationToken cancellationToken) => Guard(async () =>
        Serialize(await new ServiceManager(context).StatusAsync(null, cancellationToken).ConfigureAwait(false)));

    [McpServerTool(Name = "service_start"), Description("Start the locally installed Starling service and wait until it is healthy.")]
    public Task<string> ServiceStart(CancellationToken cancellationToken)
        => Guard(async () =>
        {
            var manager = new ServiceManager(context);
            await manager.StartAsync(null, cancellationToken).ConfigureAwait(false);
            return Serialize(await manager.StatusAsync(null, cancellationToken).ConfigureAwait(false));
        });

    [McpServerTool(Name = "service_stop"), Description("Stop the locally installed Starling service.")]
    public Task<string> ServiceStop(CancellationToken cancellationToken)
        => Guard(async () =>
        {
            var manager = new ServiceManager(context);
            manager.Stop(null);
            return Serialize(await manager.StatusAsync(null, cancellationToken).ConfigureAwait(false));
        });

    [McpServerTool(Name = "list_rooms"), Description("List the rooms open on the server: name, sid, participants, publishers, creation time, metadata.")]
    public Task<string> ListRooms(CancellationToken cancellationToken)
        => Guard(async () =>
        {
            var rooms = await Rooms.ListRoomsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return Serialize(rooms.Select(r => new { r.Name, r.Sid, participants = r.NumParticipants, publishers = r.NumPublishers, created = r.CreationTime, r.Metadata }));
        });

    [McpServerTool(Name = "create_room"), Description("Create a room (or return it when it exists).")]
    public Task<string> CreateRoom(
        [Description("room name")] string name,
        [Description("seconds an empty room stays open (0 = server default)")] uint emptyTimeout = 0,
        [Description("most participants allowed (0 = unlimited)")] uint maxParticipants = 0,
        [Description("room metadata")] string? metadata = null,
        CancellationToken cancellationToken = default)
        => Guard(async () =>
        {
            var request = new CreateRoomRequest { Name = name, EmptyTimeout = emptyTimeout, MaxParticipants = maxParticipants, Metadata = metadata ?? string.Empty };
            var room = await Rooms.CreateRoomAsync(request, cancellationToken).ConfigureAwait(false);
            return Serialize(new { room.Name, room.Sid, empty_timeout = room.EmptyTimeout, max_participants = room.MaxParticipants, room.Metadata });
        });

    [McpServerTool(Name = "delete_room"), Description("Delete a room: everyone in it is disconnected.")]
    public Task<string> DeleteRoom([Description("room name")] string name, CancellationToken cancellationToken = default)
        => Guard(async () =>
        {
            await Rooms.DeleteRoomAsync(name, cancellationToken).ConfigureAwait(false);
            return Serialize(new { deleted = name });
        });

    [McpServerTool(Name = "list_participants"), Description("List the participants of a room: identity, sid, name, kind (standard, agent, ...), state, tracks.")]
    public Task<string> ListParticipants([Description("room name")] string room, CancellationToken cancellationToken = default)
        => Guard(async () =>
        {
            var participants = await Rooms.ListParticipantsAsync(room, cancellationToken).ConfigureAwait(false);
            return Serialize(participants.Select(p => new
            {
                p.Identity,
                p.Sid,
                p.Name,
                kind = p.Kind.ToString().ToLowerInvariant(),
                state = p.State.ToString().ToLowerInvariant(),
                joined_at = p.JoinedAt,
                tracks = p.Tracks.Select(t => new { t.Sid, t.Name, type = t.Type.ToString().ToLowerInvariant(), t.Muted }),
            }));
        });

    [McpServerTool(Name = "create_token"), Description("Mint a join token for a room, signed with the server's API key; returns the token and the URL to join.")]
    public string CreateToken(
        [Description("room name")] string room,
        [Description("participant identity")] string identity,
        [Description("display name")] string? name = null,
        [Description("may publish tracks")] bool canPublish = true,
        [Description("may subscribe to tracks")] bool canSubscribe = true,
        [Description("may send data")] bool canPublishData = true,
        [Description("validity in minutes")] int ttlMinutes = 60)
    {
        var token = new AccessToken(target.ApiKey, target.ApiSecret) { Identity = identity, Name = name, Ttl = TimeSpan.FromMinutes(Math.Clamp(ttlMinutes, 1, 24 * 60)) }
            .AddGrant(new VideoGrant { RoomJoin = true, Room = room, CanPublish = canPublish, CanSubscribe = canSubscribe, CanPublishData = canPublishData })
            .ToJwt();
        return Serialize(new { token, url = target.WsUrl, room, identity });
    }

    [McpServerTool(Name = "send_data"), Description("Send a data message (UTF-8 text) to everyone in a room, or to some identities.")]
    public Task<string> SendData(
        [Description("room name")] string room,
        [Description("the message text")] string data,
        [Description("optional topic, e.g. lk.chat")] string? topic = null,
        [Description("recipients' identities; everyone when empty")] string[]? destinationIdentities = null,
        CancellationToken cancellationToken = default)
        => Guard(async () =>
        {
            await Rooms.SendDataAsync(room, Encoding.UTF8.GetBytes(data), DataPacket.Types.Kind.Reliable, destinationIdentities, topic, cancellationToken).ConfigureAwait(false);
            return Serialize(new { sent = data.Length, room, topic });
        });

    [McpServerTool(Name = "dispatch_agent"), Description("Send an agent (by the agent_name its workers registered with) into a room; creates the room when needed.")]
    public Task<string> DispatchAgent(
        [Description("room name")] string room,
        [Description("the agent's name")] string agentName,
        [Description("job metadata for the agent")] string? metadata = null,
        CancellationToken cancellationToken = default)
        => Guard(async () =>
        {
            var dispatch = await new AgentDispatchClient(target.Url, target.ApiKey, target.ApiSecret).CreateDispatchAsync(room, agentName, metadata, cancellationToken).ConfigureAwait(false);
            return Serialize(new { dispatch_id = dispatch.Id, dispatch.Room, agent_name = dispatch.AgentName, dispatch.Metadata });
        });

    private static string Serialize(object value) => JsonSerializer.Serialize(value, CliOutput.SnakeCase);

    /// <summary>Expected failures become tool errors with their message (the SDK hides other exceptions' text).</summary>
    private static async Task<string> Guard(Func<Task<string>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not McpException && Commands.CliAction.Describe(ex, CancellationToken.None) is { } message)
        {
            throw new McpException(message, ex);
        }
    }
}
