using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Google.Protobuf;
using Starling.Proto;
using Starling.Rooms.Signal;

namespace Starling.Server.Signal;

/// <summary>
/// A signal WebSocket's sending half: messages are queued and written by one loop, binary protobuf by default
/// or protobuf-JSON text when the client spoke JSON. A client that stops reading (queue full) is cut off.
/// </summary>
internal sealed class WebSocketSignalConnection : ISignalConnection
{
    private const int MaxQueued = 4096;
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default);

    private readonly WebSocket _socket;
    private readonly Channel<SignalResponse> _queue = Channel.CreateBounded<SignalResponse>(new BoundedChannelOptions(MaxQueued)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly CancellationTokenSource _abort = new();

    public WebSocketSignalConnection(WebSocket socket)
    {
        _socket = socket;
        Writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Answer in protobuf-JSON text frames (the client sent JSON).</summary>
    public bool UseJson { get; set; }

    public Task Writer { get; }

    public void Send(SignalResponse message)
    {
        if (!_queue.Writer.TryWrite(message))
        {
            Abort();
        }
    }

    public void Close() => _queue.Writer.TryComplete();

    public void Abort()
    {
        _queue.Writer.TryComplete();
        _abort.Cancel();
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(_abort.Token).ConfigureAwait(false))
            {
                if (UseJson)
                {
                    await _socket.SendAsync(Encoding.UTF8.GetBytes(Json.Format(message)), WebSocketMessageType.Text, true, _abort.Token).ConfigureAwait(false);
                }
                else
                {
                    await _socket.SendAsync(message.ToByteArray(), WebSocketMessageType.Binary, true, _abort.Token).ConfigureAwait(false);
                }
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // the peer went away; the read loop notices and ends the session's signal
        }
        finally
        {
            _socket.Abort();
        }
    }
}
