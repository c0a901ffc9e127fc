using System.Buffers;
using System.Net.WebSockets;

namespace Starling.Protocol.WebSockets;

/// <summary>
/// Reads whole WebSocket messages (all frames up to end-of-message) into one pooled buffer that starts at
/// <c>initialBytes</c> and doubles up to <c>maxBytes</c>. The signal and agent endpoints read their sockets with it.
/// Ownership: the buffer is the reader's; <see cref="Message"/> is valid until the next read or disposal.
/// </summary>
internal sealed class WebSocketMessageReader(WebSocket socket, int initialBytes, int maxBytes) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(initialBytes, maxBytes));
    private int _length;

    /// <summary>The last message read.</summary>
    public ReadOnlySpan<byte> Message => _buffer.AsSpan(0, _length);

    /// <summary>The last message was a text frame (else binary).</summary>
    public bool IsText { get; private set; }

    /// <summary>Reads the next whole message.</summary>
    /// <exception cref="WebSocketException">The socket failed.</exception>
    public async ValueTask<WebSocketReadStatus> ReadAsync(CancellationToken cancellationToken)
    {
        _length = 0;
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == _buffer.Length)
            {
                if (_buffer.Length >= maxBytes)
                {
                    return WebSocketReadStatus.TooLarge;
                }

                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, maxBytes));
                _buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }

            result = await socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            length += result.Count;
        }
        while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

        if (result.MessageType == WebSocketMessageType.Close)
        {
            return WebSocketReadStatus.Closed;
        }

        _length = length;
        IsText = result.MessageType == WebSocketMessageType.Text;
        return WebSocketReadStatus.Message;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
        _length = 0;
    }
}
