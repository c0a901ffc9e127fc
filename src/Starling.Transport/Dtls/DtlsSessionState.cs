namespace Starling.Transport.Dtls;

/// <summary>Lifecycle of an <see cref="IDtlsSession"/>; <see cref="Closed"/> and <see cref="Failed"/> are final.</summary>
internal enum DtlsSessionState
{
    New,
    Handshaking,
    Connected,
    Closed,
    Failed,
}
