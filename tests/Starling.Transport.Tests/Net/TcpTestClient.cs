using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Starling.Transport.Tests.Net;

/// <summary>An ICE-TCP client on loopback: writes and reads RFC 4571 frames.</summary>
internal sealed class TcpTestClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public static async Task<TcpTestClient> ConnectAsync(IPEndPoint server)
    {
        var client = new TcpTestClient();
        await client._socket.ConnectAsync(server);
        return client;
    }

    public Task SendFrameAsync(byte[] payload)
    {
        var frame = new byte[payload.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)payload.Length);
        payload.CopyTo(frame, 2);
        return SendRawAsync(frame);
    }

    public async Task SendRawAsync(byte[] bytes) => await _socket.SendAsync(bytes);

    public async Task<byte[]> ReceiveFrameAsync()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var header = new byte[2];
        await ReadExactlyAsync(header, cancel.Token);
        var payload = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
        await ReadExactlyAsync(payload, cancel.Token);
        return payload;
    }

    /// <summary>True when the server closes the connection (end of stream or reset) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var buffer = new byte[1024];
        try
        {
            while (true)
            {
                if (await _socket.ReceiveAsync(buffer, cancel.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _socket.ReceiveAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                throw new EndOfStreamException("server closed the connection");
            }

            read += n;
        }
    }
}
