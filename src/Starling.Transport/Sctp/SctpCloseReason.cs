namespace Starling.Transport.Sctp;

/// <summary>Why an association ended.</summary>
internal enum SctpCloseReason
{
    /// <summary>Graceful SHUTDOWN sequence completed (RFC 9260 §9.2).</summary>
    Shutdown,

    /// <summary>The peer sent ABORT.</summary>
    AbortedByPeer,

    /// <summary>The local user called <see cref="SctpAssociation.Abort"/> or disposed the association.</summary>
    AbortedLocally,

    /// <summary>We aborted because the peer violated the protocol.</summary>
    ProtocolViolation,

    /// <summary>INIT or COOKIE ECHO went unanswered Max.Init.Retransmits times (RFC 9260 §5.1 C).</summary>
    InitFailed,

    /// <summary>The error counter passed Association.Max.Retrans (RFC 9260 §8.1).</summary>
    PeerUnreachable,
}
