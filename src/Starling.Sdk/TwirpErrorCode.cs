namespace Starling.Sdk;

/// <summary>The Twirp error codes (<see cref="TwirpException.Code"/>) and their usual HTTP statuses.</summary>
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
}
