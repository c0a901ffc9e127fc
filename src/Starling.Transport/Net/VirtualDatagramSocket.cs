using System.Net;
using System.Threading.Channels;

namespace Starling.Transport.Net;

/// <summary>A socket on a <see cref="VirtualNetwork"/>; also offers simple receive helpers for test clients.</summary>
internal sealed class VirtualDatagramSocket : IDatagramSocket
{
    private readonly VirtualNetwork _network;
    private readonly Channel<(byte[] Data, SocketAddress From)> _inbox =
        Channel.CreateUnbounded<(byte[] Data, SocketAddress From)>(new UnboundedChannelOptions { SingleReader = true });

    internal VirtualDatagramSocket(VirtualNetwork network, IPEndPoint localEndPoint)
    {
        _network = network;
        LocalEndPoint = localEndPoint;
        LocalAddress = SocketAddressHelper.FromEndPoint(localEndPoint);
    }

    public IPEndPoint LocalEndPoint { get; }

    internal SocketAddress LocalAddress { get; }

    public SocketAddress CreateAddressBuffer() => SocketAddressHelper.CreateBuffer();

    public async ValueTask<int> ReceiveFromAsync(Memory<byte> buffer, SocketAddress remoteAddress, CancellationToken cancellationToken)
    {
        var (data, from) = await _inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var length = Math.Min(data.Length, buffer.Length);
        data.AsSpan(0, length).CopyTo(buffer.Span);
        SocketAddressHelper.CopyTo(from, remoteAddress);
        return length;
    }

    public void SendTo(ReadOnlySpan<byte> datagram, SocketAddress remoteAddress) => _network.Deliver(this, remoteAddress, datagram);

    /// <summary>Test-client convenience: sends to an endpoint.</summary>
    public void SendTo(ReadOnlySpan<byte> datagram, IPEndPoint remote) => SendTo(datagram, SocketAddressHelper.FromEndPoint(remote));

    /// <summary>Test-client convenience: the next datagram, if one is queued.</summary>
    public bool TryReceive(out byte[] datagram, out IPEndPoint from)
    {
        if (_inbox.Reader.TryRead(out var item))
        {
            datagram = item.Data;
            from = SocketAddressHelper.ToEndPoint(item.From);
            return true;
        }

        datagram = [];
        from = LocalEndPoint;
        return false;
    }

    /// <summary>Test-client convenience: waits for the next datagram.</summary>
    public async Task<(byte[] Datagram, IPEndPoint From)> ReceiveAsync(CancellationToken cancellationToken)
    {
        var (data, from) = await _inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (data, SocketAddressHelper.ToEndPoint(from));
    }

    public void Dispose()
    {
        _network.Unbind(this);
        _inbox.Writer.TryComplete();
    }

    internal bool Enqueue(byte[] datagram, SocketAddress from) => _inbox.Writer.TryWrite((datagram, from));
}
