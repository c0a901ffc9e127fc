namespace Starling.Server.Twirp;

/// <summary>Twirp error codes (twitchtv/twirp spec v7) and their HTTP statuses.</summary>
internal static class TwirpCode
{
    public const string Canceled = "canceled";
    public const string Unknown = "unknown";
    public const string InvalidArgument = "invalid_argument";
    public const string Malformed = "malformed";
    public const string DeadlineExceeded = "deadline_exceeded";
    public const string NotFound = "not_found";
    public const string BadRoute = "bad_route";
    public const string AlreadyExists = "already_exists";
    public const string PermissionDenied = "permission_denied";
    public const string Unauthenticated = "unauthenticated";
    public const string ResourceExhausted = "resource_exhausted";
    public const string FailedPrecondition = "failed_precondition";
    public const string Aborted = "aborted";
    public const string OutOfRange = "out_of_range";
    public const string Unimplemented = "unimplemented";
    public const string Internal = "internal";
    public const string Unavailable = "unavailable";
    public const string DataLoss = "dataloss";

    public static int HttpStatus(string code) => code switch
    {
        Canceled => 408,
        InvalidArgument => 400,
        Malformed => 400,
        DeadlineExceeded => 408,
        NotFound => 404,
        BadRoute => 404,
        AlreadyExists => 409,
        PermissionDenied => 403,
        Unauthenticated => 401,
        ResourceExhausted => 429,
        FailedPrecondition => 412,
        Aborted => 409,
        OutOfRange => 400,
        Unimplemented => 501,
        Unavailable => 503,
        _ => 500,
    };
}
