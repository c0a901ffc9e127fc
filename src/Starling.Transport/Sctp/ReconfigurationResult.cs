namespace Starling.Transport.Sctp;

/// <summary>Result codes of a Re-configuration Response Parameter (RFC 6525 §4.4).</summary>
internal enum ReconfigurationResult : uint
{
    SuccessNothingToDo = 0,
    SuccessPerformed = 1,
    Denied = 2,
    ErrorWrongSsn = 3,
    ErrorRequestAlreadyInProgress = 4,
    ErrorBadSequenceNumber = 5,
    InProgress = 6,
}
