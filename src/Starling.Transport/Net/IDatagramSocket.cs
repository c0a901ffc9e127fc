using System.Net;

namespace Starling.Transport.Net;

/// <summary>
/// A bound datagram socket: the real UDP socket in production, an in-memory one on a <see cref="VirtualNetwork"/>
/// in tests. Addresses are raw <see cref="SocketAddress"/> buffers so a receive loop can reuse one per datagram.
/// </summary>
internal interface IDatagramSocket : IDisposable
{
    IPEndPoint LocalEndPoint { get; }

    /// <summary>An address buffer large enough for anything <see cref="ReceiveFromAsync"/> reports.</summary>
    SocketAddress CreateAddressBuffer();

    /// <summary>Receives one datagram into <paramref name="buffer"/> and its source into <paramref name="remoteAddress"/>.</summary>
    ValueTask<int> ReceiveFromAsync(Memory<byte> buffer, SocketAddress remoteAddress, CancellationToken cancellationToken);

    /// <summary>Sends without blocking; a datagram that cannot be sent is dropped (UDP semantics).</summary>
    void SendTo(ReadOnlySpan<byte> datagram, SocketAddress remoteAddress);
}
