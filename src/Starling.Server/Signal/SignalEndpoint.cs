using System.Net.WebSockets;
using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Starling.Proto;
using Starling.Rooms.Signal;

using Starling.Protocol.WebSockets;
using Starling.Server.Http;

namespace Starling.Server.Signal;

/// <summary>
/// The signalling edge: <c>/rtc</c> (v0, dual peer connection), <c>/rtc/v1</c> (single peer connection) and
/// their <c>/validate</c> twins. Everything that can fail is checked before the upgrade and answered as a
/// plain-text HTTP error, as livekit-server does; then the socket's frames become <see cref="SignalRequest"/>s.
/// </summary>
internal sealed partial class SignalEndpoint
{
    private static readonly JsonParser JsonRequests = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly SignalService _service;
    private readonly bool _singlePeerConnection;
    private readonly ILogger _logger;
    private long _malformedMessages;

    public SignalEndpoint(SignalService service, bool singlePeerConnection, ILogger<SignalEndpoint> logger)
    {
        _service = service;
        _singlePeerConnection = singlePeerConnection;
        _logger = logger;
    }

    /// <summary>Signal frames that could not be decoded (dropped; the session goes on).</summary>
    public long MalformedMessages => Interlocked.Read(ref _malformedMessages);

    public void Map(WebApplication app)
    {
        app.Map("/rtc", ctx => HandleAsync(ctx, v1: false, validateOnly: false));
        app.Map("/rtc/validate", ctx => HandleAsync(ctx, v1: false, validateOnly: true));
        app.Map("/rtc/v1", ctx => HandleAsync(ctx, v1: true, validateOnly: false));
        app.Map("/rtc/v1/validate", ctx => HandleAsync(ctx, v1: true, validateOnly: true));
    }

    private async Task HandleAsync(HttpContext context, bool v1, bool validateOnly)
    {
        context.Response.Headers.AccessControlAllowOrigin = "*";
        if (v1 && !_singlePeerConnection)
        {
            await PlainText.WriteAsync(context, 404, "single peer connection signalling is disabled on this server").ConfigureAwait(false);
            return;
        }

        JoinParameters join;
        try
        {
            var token = TokenFrom(context.Request);
            var claims = _service.Authenticate(token);
            join = v1
                ? JoinRequestDecoder.FromV1(context.Request.Query["join_request"], claims, token!)
                : JoinRequestDecoder.FromV0Query(context.Request.Query, claims, token!);
            _service.Validate(join);
        }
        catch (SignalException ex)
        {
            await PlainText.WriteAsync(context, ex.Status, ex.Message).ConfigureAwait(false);
            return;
        }

        if (validateOnly)
        {
            await PlainText.WriteAsync(context, 200, "success").ConfigureAwait(false);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await PlainText.WriteAsync(context, 404, "expected a WebSocket upgrade").ConfigureAwait(false);
            return;
        }

        join = join with { ClientInfo = WithAddress(join.ClientInfo, context) };
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = true }).ConfigureAwait(false);
        var connection = new WebSocketSignalConnection(socket);
        var session = _service.Connect(join, connection);
        if (session is not null)
        {
            await ReadLoopAsync(socket, connection, session, context.RequestAborted).ConfigureAwait(false);
            session.OnSignalClosed(connection);
            connection.Close();
        }

        await connection.Writer.ConfigureAwait(false);
    }

    private async Task ReadLoopAsync(WebSocket socket, WebSocketSignalConnection connection, SignalSession session, CancellationToken cancellationToken)
    {
        using var reader = new WebSocketMessageReader(socket, 64 * 1024, _service.Options.MaxMessageBytes);
        try
        {
            while (!session.IsClosed)
            {
                var status = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (status == WebSocketReadStatus.TooLarge)
                {
                    LogOversized(_logger, session.Participant.Identity);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "signal message too large", CancellationToken.None).ConfigureAwait(false);
                    return;
                }

                if (status == WebSocketReadStatus.Closed)
                {
                    return;
                }

                var request = Decode(reader.Message, reader.IsText, connection);
                if (request is null)
                {
                    Interlocked.Increment(ref _malformedMessages);
                    continue;
                }

                session.Handle(request);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // signal lost: the session may resume
        }
    }

    private static SignalRequest? Decode(ReadOnlySpan<byte> frame, bool text, WebSocketSignalConnection connection)
    {
        try
        {
            if (text)
            {
                var parsed = JsonRequests.Parse<SignalRequest>(Encoding.UTF8.GetString(frame));
                connection.UseJson = true;
                return parsed;
            }

            var request = SignalRequest.Parser.ParseFrom(frame);
            return request.MessageCase == SignalRequest.MessageOneofCase.None ? null : request;
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException or DecoderFallbackException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? TokenFrom(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                throw new SignalException(401, "invalid authorization header: expected 'Bearer <token>'");
            }

            return header[7..].Trim();
        }

        return request.Query["access_token"].ToString() is { Length: > 0 } token ? token : null;
    }

    private static ClientInfo WithAddress(ClientInfo info, HttpContext context)
    {
        var copy = info.Clone();
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        copy.Address = forwarded.Length > 0 ? forwarded.Split(',')[0].Trim() : context.Connection.RemoteIpAddress?.ToString() ?? string.Empty;
        return copy;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity}: signal message over the size limit; closing")]
    private static partial void LogOversized(ILogger logger, string identity);
}
