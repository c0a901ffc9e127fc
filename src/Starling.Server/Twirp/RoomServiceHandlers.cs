using Google.Protobuf;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Rooms;
using Starling.Protocol.Twirp;

namespace Starling.Server.Twirp;

/// <summary><c>livekit.RoomService</c> on top of the <see cref="RoomManager"/>.</summary>
internal sealed class RoomServiceHandlers(RoomManager rooms)
{
    public const string Service = "livekit.RoomService";

    public void Register(TwirpEndpoint endpoint)
    {
        endpoint.Add<CreateRoomRequest>(Service, "CreateRoom", CreateRoom);
        endpoint.Add<ListRoomsRequest>(Service, "ListRooms", ListRooms);
        endpoint.Add<DeleteRoomRequest>(Service, "DeleteRoom", DeleteRoom);
        endpoint.Add<ListParticipantsRequest>(Service, "ListParticipants", ListParticipants);
        endpoint.Add<RoomParticipantIdentity>(Service, "GetParticipant", GetParticipant);
        endpoint.Add<RoomParticipantIdentity>(Service, "RemoveParticipant", RemoveParticipant);
        endpoint.Add<MuteRoomTrackRequest>(Service, "MutePublishedTrack", MutePublishedTrack);
        endpoint.Add<UpdateParticipantRequest>(Service, "UpdateParticipant", UpdateParticipant);
        endpoint.Add<UpdateSubscriptionsRequest>(Service, "UpdateSubscriptions", UpdateSubscriptions);
        endpoint.Add<SendDataRequest>(Service, "SendData", SendData);
        endpoint.Add<UpdateRoomMetadataRequest>(Service, "UpdateRoomMetadata", UpdateRoomMetadata);
        endpoint.Add<ForwardParticipantRequest>(Service, "ForwardParticipant", (c, r) => CloudOnly(c, r.Room, "ForwardParticipant"));
        endpoint.Add<MoveParticipantRequest>(Service, "MoveParticipant", (c, r) => CloudOnly(c, r.Room, "MoveParticipant"));
        endpoint.AddAsync<PerformRpcRequest>(Service, "PerformRpc", PerformRpcAsync);
    }

    private IMessage CreateRoom(TokenClaims claims, CreateRoomRequest request)
    {
        Grants.RequireRoomCreate(claims);
        return rooms.CreateRoom(request).ToProto();
    }

    private IMessage ListRooms(TokenClaims claims, ListRoomsRequest request)
    {
        Grants.RequireRoomList(claims);
        var response = new ListRoomsResponse();
        response.Rooms.AddRange(rooms.List(request.Names).Select(r => r.ToProto()));
        return response;
    }

    private IMessage DeleteRoom(TokenClaims claims, DeleteRoomRequest request)
    {
        Grants.RequireRoomCreate(claims);
        rooms.DeleteRoom(request.Room);
        return new DeleteRoomResponse();
    }

    private IMessage ListParticipants(TokenClaims claims, ListParticipantsRequest request)
    {
        var room = AdminRoom(claims, request.Room);
        var response = new ListParticipantsResponse();
        response.Participants.AddRange(room.ListParticipants());
        return response;
    }

    private IMessage GetParticipant(TokenClaims claims, RoomParticipantIdentity request) =>
        AdminRoom(claims, request.Room, request.Identity).GetParticipant(request.Identity);

    private IMessage RemoveParticipant(TokenClaims claims, RoomParticipantIdentity request)
    {
        AdminRoom(claims, request.Room, request.Identity).RemoveParticipant(request.Identity);
        return new RemoveParticipantResponse();
    }

    private IMessage MutePublishedTrack(TokenClaims claims, MuteRoomTrackRequest request)
    {
        var track = AdminRoom(claims, request.Room, request.Identity).MuteTrack(request.Identity, request.TrackSid, request.Muted);
        return new MuteRoomTrackResponse { Track = track };
    }

    private IMessage UpdateParticipant(TokenClaims claims, UpdateParticipantRequest request)
    {
        var room = AdminRoom(claims, request.Room, request.Identity);
        return room.UpdateParticipant(request.Identity, request.Name, request.Metadata, request.Attributes, request.Permission);
    }

    private IMessage UpdateSubscriptions(TokenClaims claims, UpdateSubscriptionsRequest request)
    {
        var room = AdminRoom(claims, request.Room, request.Identity);
        var sids = request.TrackSids.Concat(request.ParticipantTracks.SelectMany(p => p.TrackSids)).ToList();
        room.UpdateSubscriptions(request.Identity, sids, request.Subscribe);
        return new UpdateSubscriptionsResponse();
    }

    private IMessage SendData(TokenClaims claims, SendDataRequest request)
    {
        var room = AdminRoom(claims, request.Room);
        if (request.Nonce.Length is not (0 or 16))
        {
            throw new TwirpException(TwirpErrorCode.InvalidArgument, "nonce must be empty or 16 bytes");
        }

        var destinations = request.DestinationIdentities.ToList();
        foreach (var sid in request.DestinationSids)
        {
            if (room.FindBySid(sid) is { } p)
            {
                destinations.Add(p.Identity);
            }
        }

        var user = new UserPacket { Payload = request.Data, Nonce = request.Nonce };
        if (request.HasTopic)
        {
            user.Topic = request.Topic;
        }

        user.DestinationIdentities.AddRange(destinations);
        var packet = new DataPacket { Kind = request.Kind, User = user };
        packet.DestinationIdentities.AddRange(destinations);
        room.SendData(packet, reliable: request.Kind == DataPacket.Types.Kind.Reliable);
        return new SendDataResponse();
    }

    private IMessage UpdateRoomMetadata(TokenClaims claims, UpdateRoomMetadataRequest request) =>
        AdminRoom(claims, request.Room).UpdateMetadata(request.Metadata);

    private async Task<IMessage> PerformRpcAsync(TokenClaims claims, PerformRpcRequest request, CancellationToken cancellationToken)
    {
        var room = AdminRoom(claims, request.Room, request.DestinationIdentity);
        if (string.IsNullOrEmpty(request.Method))
        {
            throw new TwirpException(TwirpErrorCode.InvalidArgument, "method is required");
        }

        var timeout = TimeSpan.FromMilliseconds(request.ResponseTimeoutMs > 0 ? request.ResponseTimeoutMs : 10_000);
        var payload = await room.PerformRpcAsync(request.DestinationIdentity, request.Method, request.Payload, timeout, cancellationToken).ConfigureAwait(false);
        return new PerformRpcResponse { Payload = payload };
    }

    private static IMessage CloudOnly(TokenClaims claims, string room, string method)
    {
        Grants.RequireRoomAdmin(claims, room);
        throw new TwirpException(TwirpErrorCode.Unimplemented, $"{method} is a LiveKit Cloud feature that Starling does not implement");
    }

    private Rooms.Room AdminRoom(TokenClaims claims, string roomName, string identity)
    {
        Limits.CheckIdentity(identity);
        return AdminRoom(claims, roomName);
    }

    private Rooms.Room AdminRoom(TokenClaims claims, string roomName)
    {
        Grants.RequireRoomAdmin(claims, roomName);
        return rooms.Require(roomName);
    }
}
