namespace Starling.Rooms;

/// <summary>Control-plane failure kinds; the edges map them to Twirp codes and signal responses.</summary>
internal enum RoomErrorCode
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    ResourceExhausted,
    FailedPrecondition,
    Unimplemented,
    DeadlineExceeded,
    Aborted,
}
