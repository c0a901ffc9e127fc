using System.Security.Cryptography;
using Google.Protobuf;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Sdk.Internal;

namespace Starling.Sdk;

/// <summary>
/// Client for the <c>livekit.RoomService</c> server API of any LiveKit-compatible server (Starling or
/// livekit-server). Each call signs a fresh 10-minute token with the grants the method needs.
/// </summary>
public sealed class RoomServiceClient
{
    private const string Service = "RoomService";
    private readonly TwirpClient _twirp;

    /// <summary>Creates a client.</summary>
    /// <param name="url">The server URL (<c>http(s)://</c> or <c>ws(s)://</c>); defaults to <c>LIVEKIT_URL</c>.</param>
    /// <param name="apiKey">The API key; defaults to <c>LIVEKIT_API_KEY</c>.</param>
    /// <param name="apiSecret">The API secret; defaults to <c>LIVEKIT_API_SECRET</c>.</param>
    /// <param name="httpClient">The HTTP client to send with; a shared one when null. It is not disposed.</param>
    /// <exception cref="ArgumentException">The URL, key or secret is missing or the URL is invalid.</exception>
    public RoomServiceClient(string? url = null, string? apiKey = null, string? apiSecret = null, HttpClient? httpClient = null)
        : this(new TwirpClient(url, apiKey, apiSecret, httpClient))
    {
    }

    internal RoomServiceClient(TwirpClient twirp)
    {
        _twirp = twirp;
    }

    /// <summary>The HTTP(S) base URL the client calls.</summary>
    public string Url => _twirp.BaseUrl;

    /// <summary>Creates a room, or returns the existing room of that name (grant: <c>roomCreate</c>).</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<Room> CreateRoomAsync(CreateRoomRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("CreateRoom", request, Room.Parser, new VideoGrant { RoomCreate = true }, cancellationToken);

    /// <summary>Creates a room with default settings, or returns the existing room of that name.</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<Room> CreateRoomAsync(string name, CancellationToken cancellationToken = default) =>
        CreateRoomAsync(new CreateRoomRequest { Name = name }, cancellationToken);

    /// <summary>Lists rooms (grant: <c>roomList</c>).</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<ListRoomsResponse> ListRoomsAsync(ListRoomsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("ListRooms", request, ListRoomsResponse.Parser, new VideoGrant { RoomList = true }, cancellationToken);

    /// <summary>Lists the active rooms, or only those named in <paramref name="names"/>.</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public async Task<IReadOnlyList<Room>> ListRoomsAsync(IEnumerable<string>? names = null, CancellationToken cancellationToken = default)
    {
        var request = new ListRoomsRequest();
        if (names is not null)
        {
            request.Names.Add(names);
        }

        var response = await ListRoomsAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Rooms;
    }

    /// <summary>Deletes a room, disconnecting everyone in it (grant: <c>roomCreate</c>).</summary>
    /// <exception cref="TwirpException">The server rejected the call (<c>not_found</c> when there is no such room).</exception>
    public Task<DeleteRoomResponse> DeleteRoomAsync(DeleteRoomRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("DeleteRoom", request, DeleteRoomResponse.Parser, new VideoGrant { RoomCreate = true }, cancellationToken);

    /// <summary>Deletes the room <paramref name="room"/>.</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<DeleteRoomResponse> DeleteRoomAsync(string room, CancellationToken cancellationToken = default) =>
        DeleteRoomAsync(new DeleteRoomRequest { Room = room }, cancellationToken);

    /// <summary>Replaces a room's metadata (grant: <c>roomAdmin</c> for the room).</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<Room> UpdateRoomMetadataAsync(UpdateRoomMetadataRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("UpdateRoomMetadata", request, Room.Parser, Admin(NotNull(request).Room), cancellationToken);

    /// <summary>Replaces the metadata of <paramref name="room"/>.</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<Room> UpdateRoomMetadataAsync(string room, string metadata, CancellationToken cancellationToken = default) =>
        UpdateRoomMetadataAsync(new UpdateRoomMetadataRequest { Room = room, Metadata = metadata ?? string.Empty }, cancellationToken);

    /// <summary>Lists the participants of a room (grant: <c>roomAdmin</c> for the room).</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<ListParticipantsResponse> ListParticipantsAsync(ListParticipantsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("ListParticipants", request, ListParticipantsResponse.Parser, Admin(NotNull(request).Room), cancellationToken);

    /// <summary>Lists the participants of <paramref name="room"/>.</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public async Task<IReadOnlyList<ParticipantInfo>> ListParticipantsAsync(string room, CancellationToken cancellationToken = default)
    {
        var response = await ListParticipantsAsync(new ListParticipantsRequest { Room = room }, cancellationToken).ConfigureAwait(false);
        return response.Participants;
    }

    /// <summary>Gets one participant (grant: <c>roomAdmin</c> for the room).</summary>
    /// <exception cref="TwirpException">The server rejected the call (<c>not_found</c> when there is no such participant).</exception>
    public Task<ParticipantInfo> GetParticipantAsync(RoomParticipantIdentity request, CancellationToken cancellationToken = default) =>
        CallAsync("GetParticipant", request, ParticipantInfo.Parser, Admin(NotNull(request).Room), cancellationToken);

    /// <summary>Gets the participant <paramref name="identity"/> of <paramref name="room"/>.</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<ParticipantInfo> GetParticipantAsync(string room, string identity, CancellationToken cancellationToken = default) =>
        GetParticipantAsync(new RoomParticipantIdentity { Room = room, Identity = identity }, cancellationToken);

    /// <summary>Disconnects a participant from the room (grant: <c>roomAdmin</c> for the room).</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<RemoveParticipantResponse> RemoveParticipantAsync(RoomParticipantIdentity request, CancellationToken cancellationToken = default) =>
        CallAsync("RemoveParticipant", request, RemoveParticipantResponse.Parser, Admin(NotNull(request).Room), cancellationToken);

    /// <summary>Disconnects the participant <paramref name="identity"/> from <paramref name="room"/>.</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<RemoveParticipantResponse> RemoveParticipantAsync(string room, string identity, CancellationToken cancellationToken = default) =>
        RemoveParticipantAsync(new RoomParticipantIdentity { Room = room, Identity = identity }, cancellationToken);

    /// <summary>Mutes or unmutes a published track (grant: <c>roomAdmin</c> for the room).</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<MuteRoomTrackResponse> MutePublishedTrackAsync(MuteRoomTrackRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("MutePublishedTrack", request, MuteRoomTrackResponse.Parser, Admin(NotNull(request).Room), cancellationToken);

    /// <summary>Mutes or unmutes the track <paramref name="trackSid"/> of a participant.</summary>
    /// <returns>The track after the change.</returns>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public async Task<TrackInfo> MutePublishedTrackAsync(string room, string identity, string trackSid, bool muted, CancellationToken cancellationToken = default)
    {
        var request = new MuteRoomTrackRequest { Room = room, Identity = identity, TrackSid = trackSid, Muted = muted };
        var response = await MutePublishedTrackAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Track;
    }

    /// <summary>Updates a participant's metadata, name, attributes or permission (grant: <c>roomAdmin</c> for the room).</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<ParticipantInfo> UpdateParticipantAsync(UpdateParticipantRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("UpdateParticipant", request, ParticipantInfo.Parser, Admin(NotNull(request).Room), cancellationToken);

    /// <summary>Updates a participant; null arguments are left unchanged.</summary>
    /// <param name="room">The room.</param>
    /// <param name="identity">The participant.</param>
    /// <param name="metadata">New metadata.</param>
    /// <param name="permission">New permission; replaces the whole permission.</param>
    /// <param name="name">New display name.</param>
    /// <param name="attributes">Attributes to set; an empty value deletes the key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<ParticipantInfo> UpdateParticipantAsync(
        string room,
        string identity,
        string? metadata = null,
        ParticipantPermission? permission = null,
        string? name = null,
        IEnumerable<KeyValuePair<string, string>>? attributes = null,
        CancellationToken cancellationToken = default)
    {
        var request = new UpdateParticipantRequest
        {
            Room = room,
            Identity = identity,
            Metadata = metadata ?? string.Empty,
            Name = name ?? string.Empty,
            Permission = permission,
        };
        if (attributes is not null)
        {
            request.Attributes.Add(attributes.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
        }

        return UpdateParticipantAsync(request, cancellationToken);
    }

    /// <summary>Subscribes a participant to tracks or unsubscribes it (grant: <c>roomAdmin</c> for the room).</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<UpdateSubscriptionsResponse> UpdateSubscriptionsAsync(UpdateSubscriptionsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("UpdateSubscriptions", request, UpdateSubscriptionsResponse.Parser, Admin(NotNull(request).Room), cancellationToken);

    /// <summary>Subscribes <paramref name="identity"/> to <paramref name="trackSids"/>, or unsubscribes it.</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<UpdateSubscriptionsResponse> UpdateSubscriptionsAsync(
        string room,
        string identity,
        IEnumerable<string> trackSids,
        bool subscribe,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trackSids);
        var request = new UpdateSubscriptionsRequest { Room = room, Identity = identity, Subscribe = subscribe };
        request.TrackSids.Add(trackSids);
        return UpdateSubscriptionsAsync(request, cancellationToken);
    }

    /// <summary>
    /// Sends a data packet to participants of a room (grant: <c>roomAdmin</c> for the room). An empty
    /// <see cref="SendDataRequest.Nonce"/> is filled with 16 random bytes, as the node SDK does, so that servers can
    /// drop duplicates.
    /// </summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<SendDataResponse> SendDataAsync(SendDataRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Nonce.IsEmpty)
        {
            request = request.Clone();
            request.Nonce = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(16));
        }

        return CallAsync("SendData", request, SendDataResponse.Parser, Admin(NotNull(request).Room), cancellationToken);
    }

    /// <summary>Sends <paramref name="data"/> to <paramref name="room"/>.</summary>
    /// <param name="room">The room.</param>
    /// <param name="data">The payload.</param>
    /// <param name="kind">Reliable (ordered, retransmitted) or lossy.</param>
    /// <param name="destinationIdentities">Recipients; everyone when null or empty.</param>
    /// <param name="topic">An optional topic.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<SendDataResponse> SendDataAsync(
        string room,
        ReadOnlyMemory<byte> data,
        DataPacket.Types.Kind kind = DataPacket.Types.Kind.Reliable,
        IEnumerable<string>? destinationIdentities = null,
        string? topic = null,
        CancellationToken cancellationToken = default)
    {
        var request = new SendDataRequest { Room = room, Data = ByteString.CopyFrom(data.Span), Kind = kind };
        if (destinationIdentities is not null)
        {
            request.DestinationIdentities.Add(destinationIdentities);
        }

        if (topic is not null)
        {
            request.Topic = topic;
        }

        return SendDataAsync(request, cancellationToken);
    }

    /// <summary>Forwards a participant to another room, keeping it in this one (grants: <c>roomAdmin</c> for the
    /// room and <c>destinationRoom</c>; LiveKit Cloud only upstream).</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<ForwardParticipantResponse> ForwardParticipantAsync(ForwardParticipantRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("ForwardParticipant", request, ForwardParticipantResponse.Parser, Admin(NotNull(request).Room, request.DestinationRoom), cancellationToken);

    /// <summary>Forwards <paramref name="identity"/> from <paramref name="room"/> to <paramref name="destinationRoom"/>.</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<ForwardParticipantResponse> ForwardParticipantAsync(string room, string identity, string destinationRoom, CancellationToken cancellationToken = default) =>
        ForwardParticipantAsync(new ForwardParticipantRequest { Room = room, Identity = identity, DestinationRoom = destinationRoom }, cancellationToken);

    /// <summary>Moves a participant to another room (grants: <c>roomAdmin</c> for the room and
    /// <c>destinationRoom</c>; LiveKit Cloud only upstream).</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<MoveParticipantResponse> MoveParticipantAsync(MoveParticipantRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("MoveParticipant", request, MoveParticipantResponse.Parser, Admin(NotNull(request).Room, request.DestinationRoom), cancellationToken);

    /// <summary>Moves <paramref name="identity"/> from <paramref name="room"/> to <paramref name="destinationRoom"/>.</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<MoveParticipantResponse> MoveParticipantAsync(string room, string identity, string destinationRoom, CancellationToken cancellationToken = default) =>
        MoveParticipantAsync(new MoveParticipantRequest { Room = room, Identity = identity, DestinationRoom = destinationRoom }, cancellationToken);

    /// <summary>Performs an RPC on a participant and waits for its answer (grant: <c>roomAdmin</c> for the room).</summary>
    /// <exception cref="TwirpException">The server rejected the call or the RPC failed.</exception>
    public Task<PerformRpcResponse> PerformRpcAsync(PerformRpcRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("PerformRpc", request, PerformRpcResponse.Parser, Admin(NotNull(request).Room), cancellationToken);

    /// <summary>Calls the RPC <paramref name="method"/> of <paramref name="destinationIdentity"/>.</summary>
    /// <param name="room">The room.</param>
    /// <param name="destinationIdentity">The participant that handles the RPC.</param>
    /// <param name="method">The RPC method name.</param>
    /// <param name="payload">The request payload.</param>
    /// <param name="responseTimeout">How long the server waits for the answer; the server's default when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response payload.</returns>
    /// <exception cref="TwirpException">The server rejected the call or the RPC failed.</exception>
    public async Task<string> PerformRpcAsync(
        string room,
        string destinationIdentity,
        string method,
        string payload,
        TimeSpan? responseTimeout = null,
        CancellationToken cancellationToken = default)
    {
        var request = new PerformRpcRequest
        {
            Room = room,
            DestinationIdentity = destinationIdentity,
            Method = method,
            Payload = payload ?? string.Empty,
            ResponseTimeoutMs = responseTimeout is { } timeout ? (uint)Math.Clamp(timeout.TotalMilliseconds, 0, uint.MaxValue) : 0,
        };
        var response = await PerformRpcAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Payload;
    }

    private static T NotNull<T>(T? request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        return request;
    }

    private static VideoGrant Admin(string room, string? destinationRoom = null) =>
        new() { RoomAdmin = true, Room = room, DestinationRoom = string.IsNullOrEmpty(destinationRoom) ? null : destinationRoom };

    private Task<TResponse> CallAsync<TResponse>(string method, IMessage request, MessageParser<TResponse> parser, VideoGrant grant, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        return _twirp.CallAsync(Service, method, request, parser, grant, cancellationToken);
    }
}
