using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Starling.Protocol.Auth;
using Starling.Protocol.Twirp;
using Starling.Rooms;
using Starling.Rooms.Signal;
using Starling.Server.Twirp;

namespace Starling.Server.Admin;

/// <summary>
/// <c>GET /admin/rooms/{room}/participants/{identity}/subscriptions</c>: what one participant is being sent, per track,
/// from the server's down-track counters (<see cref="Rooms.Media.SubscriptionStats"/>) — subscribed or not, the section,
/// the SSRC, whether it is forwarding, and packet totals that freeze when the track is unsubscribed. livekit-server has
/// no such view; it lets operators and tests see that a server-side unsubscribe really stops the media. Authorised
/// like RoomService calls on that room: <c>Authorization: Bearer</c> with <c>roomAdmin</c> for the room. Errors are
/// Twirp-style JSON (<c>unauthenticated</c>, <c>permission_denied</c>, <c>not_found</c>).
/// </summary>
internal sealed class SubscriptionsEndpoint(RoomManager rooms, SignalService signal, Func<string, string?> secretForKey, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false };

    public const string Route = "/admin/rooms/{room}/participants/{identity}/subscriptions";

    public void Map(WebApplication app) => app.MapGet(Route, HandleAsync);

    private async Task HandleAsync(HttpContext context, string room, string identity)
    {
        try
        {
            var claims = TwirpEndpoint.Authenticate(context, secretForKey, time);
            Grants.RequireRoomAdmin(claims, room);
            var target = rooms.Find(room) ?? throw new TwirpException(TwirpErrorCode.NotFound, $"room {room} not found");
            var participant = target.Find(identity) ?? throw new TwirpException(TwirpErrorCode.NotFound, $"participant {identity} not found in room {room}");
            var session = signal.FindSession(participant.Sid) ?? throw new TwirpException(TwirpErrorCode.NotFound, $"participant {identity} has no media session");
            var body = new
            {
                room,
                identity,
                participant_sid = participant.Sid,
                subscriptions = session.SubscriptionStats(),
            };
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, Json), context.RequestAborted).ConfigureAwait(false);
        }
        catch (TwirpException ex)
        {
            await TwirpEndpoint.WriteErrorAsync(context, ex.Code, ex.Message).ConfigureAwait(false);
        }
        catch (TokenValidationException ex)
        {
            await TwirpEndpoint.WriteErrorAsync(context, TwirpErrorCode.Unauthenticated, ex.Message).ConfigureAwait(false);
        }
    }
}
