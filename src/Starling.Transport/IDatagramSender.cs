namespace Starling.Transport;

/// <summary>
/// The lower layer of a transport stack: sends one datagram towards the remote peer.
/// ICE's selected pair implements it for DTLS; DTLS implements it (as application data records) for SCTP.
/// Implementations copy or consume <paramref name="datagram"/> before returning; callers may reuse the buffer.
/// </summary>
internal interface IDatagramSender
{
    void Send(ReadOnlySpan<byte> datagram);
}
