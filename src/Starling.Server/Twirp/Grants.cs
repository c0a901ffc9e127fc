using Starling.Protocol.Auth;
using Starling.Protocol.Twirp;

namespace Starling.Server.Twirp;

/// <summary>The grant checks of LiveKit's server APIs; failures are <c>permission_denied</c>.</summary>
internal static class Grants
{
    public static void RequireRoomCreate(TokenClaims claims)
    {
        if (claims.Video?.RoomCreate != true)
        {
            throw Denied("roomCreate");
        }
    }

    public static void RequireRoomList(TokenClaims claims)
    {
        if (claims.Video?.RoomList != true)
        {
            throw Denied("roomList");
        }
    }

    public static void RequireRoomAdmin(TokenClaims claims, string room)
    {
        if (claims.Video?.RoomAdmin != true)
        {
            throw Denied("roomAdmin");
        }

        if (!string.Equals(claims.Video.Room, room, StringComparison.Ordinal))
        {
            throw new TwirpException(TwirpErrorCode.PermissionDenied, $"permissions denied: the token's roomAdmin grant is for room '{claims.Video.Room}', not '{room}'");
        }
    }

    private static TwirpException Denied(string grant) =>
        new(TwirpErrorCode.PermissionDenied, $"permissions denied: the token lacks the {grant} grant");
}
