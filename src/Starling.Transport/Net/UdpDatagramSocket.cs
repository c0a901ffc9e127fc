using System.Net;
using System.Net.Sockets;

namespace Starling.Transport.Net;

/// <summary>
/// <see cref="IDatagramSocket"/> over a real UDP <see cref="Socket"/>. Binding the IPv6 any-address makes a
/// dual-mode socket; IPv4 peers then appear as IPv4-mapped IPv6 addresses, which <see cref="SocketAddressHelper"/>
/// reports as IPv4. Receive and send use the <see cref="SocketAddress"/> overloads, which do not allocate.
/// </summary>
internal sealed class UdpDatagramSocket : IDatagramSocket
{
    private readonly Socket _socket;
    private long _sendErrors;

    private UdpDatagramSocket(Socket socket)
    {
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Datagrams the kernel refused (buffer full, unreachable); they are dropped.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>Binds a UDP socket; <paramref name="socketBufferBytes"/> sizes the kernel buffers when positive.</summary>
    public static UdpDatagramSocket Bind(IPEndPoint endPoint, int socketBufferBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            if (socketBufferBytes > 0)
            {
                socket.ReceiveBufferSize = socketBufferBytes;
                socket.SendBufferSize = socketBufferBytes;
            }

            socket.Bind(endPoint);
            return new UdpDatagramSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public SocketAddress CreateAddressBuffer() => new(_socket.AddressFamily);

    public ValueTask<int> ReceiveFromAsync(Memory<byte> buffer, SocketAddress remoteAddress, CancellationToken cancellationToken) =>
        _socket.ReceiveFromAsync(buffer, SocketFlags.None, remoteAddress, cancellationToken);

    public void SendTo(ReadOnlySpan<byte> datagram, SocketAddress remoteAddress)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, remoteAddress);
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _sendErrors);
        }
        catch (ObjectDisposedException)
        {
            Interlocked.Increment(ref _sendErrors);
        }
    }

    public void Dispose() => _socket.Dispose();
}
