using System.Net.WebSockets;
using System.Threading.Channels;
using Google.Protobuf;
using Starling.Proto;
using Starling.Rooms.Agents;

namespace Starling.Server.Agents;

/// <summary>
/// A worker WebSocket's sending half: binary <c>ServerMessage</c>s written by one loop in queue order. Closing drains the
/// queue, sends a close frame (policy violation, or normal closure at shutdown) and stops the read loop shortly after.
/// A worker that stops reading (queue full) is cut off.
/// </summary>
internal sealed class WebSocketWorkerConnection : IWorkerConnection
{
    private const int MaxQueued = 4096;

    private readonly WebSocket _socket;
    private readonly Channel<ServerMessage> _queue = Channel.CreateBounded<ServerMessage>(new BoundedChannelOptions(MaxQueued)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _stopReading = new();
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string? _closeDescription;

    public WebSocketWorkerConnection(WebSocket socket)
    {
        _socket = socket;
        Writer = Task.Run(WriteLoopAsync);
    }

    public Task Writer { get; }

    /// <summary>Cancelled once the server closed the connection (the read loop stops).</summary>
    public CancellationToken ReadStopped => _stopReading.Token;

    public void Send(ServerMessage message)
    {
        if (!_queue.Writer.TryWrite(message))
        {
            _queue.Writer.TryComplete();
            _abort.Cancel();
        }
    }

    public void Close(WorkerCloseReason reason, string detail)
    {
        _closeStatus = reason switch
        {
            WorkerCloseReason.Shutdown => WebSocketCloseStatus.EndpointUnavailable,
            WorkerCloseReason.Oversized => WebSocketCloseStatus.MessageTooBig,
            WorkerCloseReason.Garbage => WebSocketCloseStatus.InvalidPayloadData,
            _ => WebSocketCloseStatus.PolicyViolation,
        };

        _closeDescription = Describe(WorkerSession.ReasonLabel(reason) + ": " + detail);
        _queue.Writer.TryComplete();
    }

    /// <summary>A close description fits in 123 UTF-8 bytes (RFC 6455 §5.5).</summary>
    private static string Describe(string text)
    {
        while (System.Text.Encoding.UTF8.GetByteCount(text) > 123)
        {
            text = text[..^1];
        }

        return text;
    }

    /// <summary>The peer closed or went away: stop writing.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(_abort.Token).ConfigureAwait(false))
            {
                await _socket.SendAsync(message.ToByteArray(), WebSocketMessageType.Binary, true, _abort.Token).ConfigureAwait(false);
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(_closeStatus, _closeDescription, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            _socket.Abort();
        }
        finally
        {
            // give the worker a moment to answer the close frame, then stop reading regardless
            _stopReading.CancelAfter(TimeSpan.FromSeconds(1));
        }
    }
}
