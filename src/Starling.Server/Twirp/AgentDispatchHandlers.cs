using Google.Protobuf;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Rooms;

namespace Starling.Server.Twirp;

/// <summary><c>livekit.AgentDispatchService</c>: explicit dispatches stored with their room.</summary>
internal sealed class AgentDispatchHandlers(RoomManager rooms)
{
    public const string Service = "livekit.AgentDispatchService";

    public void Register(TwirpEndpoint endpoint)
    {
        endpoint.Add<CreateAgentDispatchRequest>(Service, "CreateDispatch", CreateDispatch);
        endpoint.Add<DeleteAgentDispatchRequest>(Service, "DeleteDispatch", DeleteDispatch);
        endpoint.Add<ListAgentDispatchRequest>(Service, "ListDispatch", ListDispatch);
    }

    private IMessage CreateDispatch(TokenClaims claims, CreateAgentDispatchRequest request)
    {
        Grants.RequireRoomAdmin(claims, request.Room);
        var room = rooms.Options.AutoCreate ? rooms.CreateRoom(new CreateRoomRequest { Name = request.Room }) : rooms.Require(request.Room);
        return room.CreateDispatch(request.AgentName, request.Metadata, request.Attributes, request.RestartPolicy, request.Deployment);
    }

    private IMessage DeleteDispatch(TokenClaims claims, DeleteAgentDispatchRequest request)
    {
        Grants.RequireRoomAdmin(claims, request.Room);
        return rooms.Require(request.Room).DeleteDispatch(request.DispatchId);
    }

    private IMessage ListDispatch(TokenClaims claims, ListAgentDispatchRequest request)
    {
        Grants.RequireRoomAdmin(claims, request.Room);
        var response = new ListAgentDispatchResponse();
        response.AgentDispatches.AddRange(rooms.Require(request.Room).ListDispatches(request.DispatchId));
        return response;
    }
}
