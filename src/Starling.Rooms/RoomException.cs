namespace Starling.Rooms;

/// <summary>A control-plane operation failed for a reason the caller can act on.</summary>
internal sealed class RoomException(RoomErrorCode code, string message) : Exception(message)
{
    public RoomErrorCode Code { get; } = code;

    public static RoomException NotFound(string message) => new(RoomErrorCode.NotFound, message);

    public static RoomException Invalid(string message) => new(RoomErrorCode.InvalidArgument, message);
}
