namespace Starling.Protocol.Twirp;

/// <summary>The Twirp error codes (Twirp wire protocol v7) and the HTTP statuses servers answer them with.</summary>
public static class TwirpErrorCode
{
    /// <summary>The operation was cancelled (408).</summary>
    public const string Canceled = "canceled";

    /// <summary>An unknown error (500).</summary>
    public const string Unknown = "unknown";

    /// <summary>An argument is invalid (400).</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>The request could not be decoded (400).</summary>
    public const string Malformed = "malformed";

    /// <summary>The deadline expired (408).</summary>
    public const string DeadlineExceeded = "deadline_exceeded";

    /// <summary>The room, participant, track or dispatch does not exist (404).</summary>
    public const string NotFound = "not_found";

    /// <summary>No such service or method, or not a POST (404).</summary>
    public const string BadRoute = "bad_route";

    /// <summary>The entity already exists (409).</summary>
    public const string AlreadyExists = "already_exists";

    /// <summary>The caller may not do this (403).</summary>
    public const string PermissionDenied = "permission_denied";

    /// <summary>Missing, invalid or insufficient credentials (401).</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>A quota or limit was hit (429).</summary>
    public const string ResourceExhausted = "resource_exhausted";

    /// <summary>The system is not in the state the operation needs (412).</summary>
    public const string FailedPrecondition = "failed_precondition";

    /// <summary>The operation was aborted (409).</summary>
    public const string Aborted = "aborted";

    /// <summary>A value is out of range (400).</summary>
    public const string OutOfRange = "out_of_range";

    /// <summary>The server does not implement this (501).</summary>
    public const string Unimplemented = "unimplemented";

    /// <summary>An internal server error (500).</summary>
    public const string Internal = "internal";

    /// <summary>The service is unavailable (503).</summary>
    public const string Unavailable = "unavailable";

    /// <summary>Unrecoverable data loss (500).</summary>
    public const string DataLoss = "dataloss";

    /// <summary>The HTTP status a server answers <paramref name="code"/> with.</summary>
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

    /// <summary>The code a client assigns to an error response that is not Twirp JSON (Twirp spec, "intermediary" errors).</summary>
    public static string FromIntermediaryStatus(int status) => status switch
    {
        >= 300 and < 400 => Internal,
        400 => Internal,
        401 => Unauthenticated,
        403 => PermissionDenied,
        404 => BadRoute,
        429 or 502 or 503 or 504 => Unavailable,
        _ => Unknown,
    };
}
