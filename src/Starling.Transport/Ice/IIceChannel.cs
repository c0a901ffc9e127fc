using System.Net;

namespace Starling.Transport.Ice;

/// <summary>
/// One path to a remote transport address, provided by a mux: a remote address on the shared UDP socket, or an
/// accepted ICE-TCP connection. The agent answers checks and sends media through it.
/// </summary>
internal interface IIceChannel : IDatagramSender
{
    IceProtocol Protocol { get; }

    /// <summary>The remote transport address; a stable copy owned by the channel (never a reused buffer).</summary>
    SocketAddress RemoteAddress { get; }

    /// <summary>The agent no longer uses this path (pair evicted, agent closed): forget the route or close the connection.</summary>
    void Close();
}
