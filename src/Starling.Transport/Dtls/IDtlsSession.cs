namespace Starling.Transport.Dtls;

/// <summary>
/// A DTLS 1.2 association over an ICE pair, as WebRTC uses it: carries SCTP as application data and
/// hands SRTP keys to the media path. Implements <see cref="IDatagramSender"/> so SCTP can sit on top:
/// <c>Send</c> is <see cref="SendApplicationData"/>.
/// </summary>
/// <remarks>
/// Subscribe to the events before <see cref="Start"/>. Events are raised on the session's own thread, never
/// under its locks; <see cref="HandshakeCompleted"/> comes before any <see cref="ApplicationDataReceived"/>,
/// and exactly one of <see cref="Failed"/> or <see cref="Closed"/> ends the session.
/// </remarks>
internal interface IDtlsSession : IDatagramSender, IDisposable
{
    event Action<DtlsHandshakeResult>? HandshakeCompleted;

    event DtlsApplicationDataHandler? ApplicationDataReceived;

    event Action<DtlsFailure>? Failed;

    event Action? Closed;

    DtlsSessionState State { get; }

    /// <summary>Set once the handshake completed.</summary>
    DtlsHandshakeResult? HandshakeResult { get; }

    /// <summary>Set once the session failed.</summary>
    DtlsFailure? Failure { get; }

    /// <summary>Largest application data record <see cref="SendApplicationData"/> accepts (0 before the handshake completes).</summary>
    int MaxApplicationDataSize { get; }

    /// <summary>Completes when the session's thread has exited (after close or failure).</summary>
    Task Completion { get; }

    /// <summary>Starts the handshake thread and the handshake timeout.</summary>
    void Start();

    /// <summary>Feeds a datagram the RFC 7983 demultiplexer classified as DTLS (first byte 20..63). Never throws on bad input.</summary>
    void HandleDatagram(ReadOnlySpan<byte> datagram);

    /// <summary>Sends one application data record; false before the handshake completed, after close, or when too large.</summary>
    bool SendApplicationData(ReadOnlySpan<byte> data);

    /// <summary>Sends close_notify (when connected), stops the session's thread and raises <see cref="Closed"/>.</summary>
    void Close();
}
