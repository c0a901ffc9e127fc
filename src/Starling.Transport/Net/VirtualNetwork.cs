using System.Collections.Concurrent;
using System.Net;

namespace Starling.Transport.Net;

/// <summary>
/// An in-memory datagram network for tests (in the spirit of pion's vnet): sockets bound to any address, delivery
/// by destination address, an optional drop filter for seeded loss in one direction. Copies each datagram
/// (test-only allocation). Datagrams to an address nobody bound are counted and lost.
/// </summary>
internal sealed class VirtualNetwork
{
    private readonly ConcurrentDictionary<EndpointKey, VirtualDatagramSocket> _sockets = new();
    private int _nextPort = 49152;
    private long _delivered;
    private long _dropped;

    /// <summary>Returns true to drop a datagram from the first endpoint to the second.</summary>
    public Func<IPEndPoint, IPEndPoint, bool>? DropFilter { get; set; }

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Binds a socket; port 0 picks a free ephemeral port.</summary>
    public VirtualDatagramSocket Bind(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (endPoint.Port == 0)
        {
            endPoint = new IPEndPoint(endPoint.Address, Interlocked.Increment(ref _nextPort));
        }

        var socket = new VirtualDatagramSocket(this, endPoint);
        if (!_sockets.TryAdd(EndpointKey.From(endPoint), socket))
        {
            throw new InvalidOperationException($"{endPoint} is already bound on this virtual network.");
        }

        return socket;
    }

    internal void Deliver(VirtualDatagramSocket from, SocketAddress to, ReadOnlySpan<byte> datagram)
    {
        if (!EndpointKey.TryCreate(to, out var key)
            || !_sockets.TryGetValue(key, out var target)
            || (DropFilter is { } filter && filter(from.LocalEndPoint, target.LocalEndPoint)))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        if (target.Enqueue(datagram.ToArray(), from.LocalAddress))
        {
            Interlocked.Increment(ref _delivered);
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    internal void Unbind(VirtualDatagramSocket socket) => _sockets.TryRemove(KeyValuePair.Create(EndpointKey.From(socket.LocalEndPoint), socket));
}
