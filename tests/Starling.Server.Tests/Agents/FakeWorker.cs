using System.Net;
using System.Net.WebSockets;
using System.Threading.Channels;
using Google.Protobuf;
using Starling.Proto;
using Starling.Protocol.WebSockets;
using Starling.Server.Http;

namespace Starling.Server.Tests.Agents;

/// <summary>A scripted agent worker over a real WebSocket to <c>/agent</c>: sends WorkerMessages, reads ServerMessages.</summary>
internal sealed class FakeWorker : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<ServerMessage> _incoming = Channel.CreateUnbounded<ServerMessage>();
    private Task? _reader;

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    public Task Closed => _reader ?? Task.CompletedTask;

    /// <summary>Connects; returns the HTTP status when the upgrade was refused.</summary>
    public static async Task<(FakeWorker? Worker, HttpStatusCode Status)> TryConnectAsync(string httpUrl, string? token)
    {
        var worker = new FakeWorker();
        worker._socket.Options.CollectHttpResponseDetails = true;
        if (token is not null)
        {
            worker._socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }

        try
        {
            await worker._socket.ConnectAsync(new Uri(httpUrl.Replace("http", "ws", StringComparison.Ordinal) + "/agent"), CancellationToken.None);
        }
        catch (WebSocketException)
        {
            var status = worker._socket.HttpStatusCode;
            worker._socket.Dispose();
            return (null, status);
        }

        worker._reader = Task.Run(worker.ReadLoopAsync);
        return (worker, HttpStatusCode.SwitchingProtocols);
    }

    public static async Task<FakeWorker> ConnectAsync(string httpUrl, string token)
    {
        var (worker, status) = await TryConnectAsync(httpUrl, token);
        return worker ?? throw new InvalidOperationException("upgrade refused with " + status);
    }

    /// <summary>Connects and registers; returns the worker and the register response.</summary>
    public static async Task<(FakeWorker Worker, RegisterWorkerResponse Registered)> RegisterAsync(string httpUrl, string token, RegisterWorkerRequest? request = null)
    {
        var worker = await ConnectAsync(httpUrl, token);
        await worker.SendAsync(new WorkerMessage { Register = request ?? new RegisterWorkerRequest { Type = JobType.JtRoom, Version = "1.7.0" } });
        var first = await worker.ReceiveAsync();
        Assert.Equal(ServerMessage.MessageOneofCase.Register, first.MessageCase);
        return (worker, first.Register);
    }

    public Task SendAsync(WorkerMessage message) => SendRawAsync(message.ToByteArray());

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Binary) =>
        await _socket.SendAsync(bytes, type, true, CancellationToken.None);

    public async Task<ServerMessage> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await _incoming.Reader.ReadAsync(cts.Token);
    }

    /// <summary>The next message of <paramref name="kind"/>, skipping others.</summary>
    public async Task<ServerMessage> ReceiveAsync(ServerMessage.MessageOneofCase kind, TimeSpan? timeout = null)
    {
        while (true)
        {
            var message = await ReceiveAsync(timeout);
            if (message.MessageCase == kind)
            {
                return message;
            }
        }
    }

    /// <summary>Answers the next availability request with accept.</summary>
    public async Task<(Job Offered, JobAssignment Assignment)> AcceptNextAsync(string? identity = null)
    {
        var offer = (await ReceiveAsync(ServerMessage.MessageOneofCase.Availability)).Availability;
        await SendAsync(new WorkerMessage
        {
            Availability = new AvailabilityResponse
            {
                JobId = offer.Job.Id,
                Available = true,
                ParticipantIdentity = identity ?? "agent-" + offer.Job.Id,
                ParticipantName = "bot",
                ParticipantMetadata = "meta",
                ParticipantAttributes = { ["k"] = "v" },
            },
        });
        var assignment = (await ReceiveAsync(ServerMessage.MessageOneofCase.Assignment)).Assignment;
        return (offer.Job, assignment);
    }

    private async Task ReadLoopAsync()
    {
        using var reader = new WebSocketMessageReader(_socket, 64 * 1024, 1 << 20);
        try
        {
            while (await reader.ReadAsync(CancellationToken.None) == WebSocketReadStatus.Message)
            {
                await _incoming.Writer.WriteAsync(ServerMessage.Parser.ParseFrom(reader.Message));
            }

            CloseStatus = _socket.CloseStatus;
            CloseDescription = _socket.CloseStatusDescription;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
        if (_reader is not null)
        {
            await _reader;
        }
    }
}
