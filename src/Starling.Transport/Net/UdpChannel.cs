using System.Net;
using Starling.Transport.Ice;

namespace Starling.Transport.Net;

/// <summary>
/// One remote address on the shared UDP socket, bound to the agent whose check it passed. Owns its address copy,
/// which is also its key in the mux's route table.
/// </summary>
internal sealed class UdpChannel : IIceChannel
{
    private readonly UdpMux _mux;
    private volatile bool _closed;

    internal UdpChannel(UdpMux mux, SocketAddress remote, EndpointKey key, IceAgent agent)
    {
        _mux = mux;
        RemoteAddress = SocketAddressHelper.Clone(remote);
        Key = key;
        Agent = agent;
    }

    public IceProtocol Protocol => IceProtocol.Udp;

    public SocketAddress RemoteAddress { get; }

    internal EndpointKey Key { get; private set; }

    internal IceAgent Agent { get; private set; }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        if (!_closed)
        {
            _mux.SendTo(datagram, RemoteAddress);
        }
    }

    public void Close()
    {
        _closed = true;
        _mux.RemoveRoute(this);
    }

    public override string ToString() => $"udp {SocketAddressHelper.Format(RemoteAddress)}";

    /// <summary>
    /// Points a not-yet-routed channel at another source and agent, so the mux can reuse a rejected probe; false when
    /// the address does not have the same size (family) as the one this channel was made for.
    /// </summary>
    internal bool TryReset(SocketAddress remote, EndpointKey key, IceAgent agent)
    {
        if (remote.Size != RemoteAddress.Size)
        {
            return false;
        }

        SocketAddressHelper.CopyTo(remote, RemoteAddress);
        Key = key;
        Agent = agent;
        return true;
    }
}
