using System.Net.WebSockets;
using System.Threading.Channels;
using Google.Protobuf;
using Starling.Proto;
using Starling.Protocol.WebSockets;
using Starling.Server.Http;

namespace Starling.Server.Tests.Signal;

/// <summary>A minimal signal client over a real WebSocket, for driving the endpoint in tests.</summary>
internal sealed class SignalClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<SignalResponse> _incoming = Channel.CreateUnbounded<SignalResponse>();
    private Task? _reader;

    public static async Task<SignalClient> ConnectAsync(Uri uri, string? bearer = null)
    {
        var client = new SignalClient();
        if (bearer is not null)
        {
            client._socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        }

        await client._socket.ConnectAsync(uri, CancellationToken.None);
        client._reader = Task.Run(client.ReadLoopAsync);
        return client;
    }

    public WebSocketState State => _socket.State;

    private async Task ReadLoopAsync()
    {
        using var reader = new WebSocketMessageReader(_socket, 64 * 1024, 1 << 20);
        try
        {
            while (await reader.ReadAsync(CancellationToken.None) == WebSocketReadStatus.Message)
            {
                await _incoming.Writer.WriteAsync(SignalResponse.Parser.ParseFrom(reader.Message));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    public Task SendAsync(SignalRequest request) =>
        _socket.SendAsync(request.ToByteArray(), WebSocketMessageType.Binary, true, CancellationToken.None);

    public Task SendRawAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Binary) =>
        _socket.SendAsync(bytes, type, true, CancellationToken.None);

    /// <summary>Next message (within 5 s), or null when the server closed the socket.</summary>
    public async Task<SignalResponse?> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            return await _incoming.Reader.ReadAsync(timeout.Token);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Skips messages until one matches.</summary>
    public async Task<SignalResponse> NextAsync(SignalResponse.MessageOneofCase kind)
    {
        while (true)
        {
            var message = await NextAsync() ?? throw new InvalidOperationException($"socket closed while waiting for {kind}");
            if (message.MessageCase == kind)
            {
                return message;
            }
        }
    }

    /// <summary>Drops the connection without a leave (signal loss).</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }

        _socket.Dispose();
        if (_reader is not null)
        {
            await _reader;
        }
    }
}
