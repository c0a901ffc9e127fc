namespace Starling.Transport.Sctp;

/// <summary>Result of queueing a message.</summary>
internal enum SctpSendStatus
{
    Queued,

    /// <summary>Larger than the maximum message size.</summary>
    MessageTooLarge,

    /// <summary>The send buffer limit would be exceeded: back off until the buffered amount drops.</summary>
    BufferFull,

    /// <summary>The association is closed or shutting down, or the stream is being reset.</summary>
    InvalidState,

    /// <summary>SCTP cannot carry an empty message (DCEP maps empty messages to PPID 56/57 with one byte).</summary>
    EmptyMessage,
}
