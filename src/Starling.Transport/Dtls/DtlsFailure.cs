namespace Starling.Transport.Dtls;

/// <summary>A failed DTLS session: a reason to act on, a message to log and the underlying exception, if any.</summary>
internal sealed class DtlsFailure(DtlsFailureReason reason, string message, Exception? exception = null)
{
    public DtlsFailureReason Reason { get; } = reason;

    public string Message { get; } = message;

    public Exception? Exception { get; } = exception;

    public override string ToString() => $"{Reason}: {Message}";
}
