using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Starling.Protocol.Auth;
using Starling.Rooms.Agents;

using Starling.Protocol.WebSockets;
using Starling.Server.Http;

namespace Starling.Server.Agents;

/// <summary>
/// The <c>/agent</c> WebSocket of agent workers (@livekit/agents, livekit-agents). The token (Authorization bearer, or
/// <c>access_token</c>) must carry <c>video.agent</c>, else 401 before the upgrade; then binary frames feed a
/// <see cref="WorkerSession"/>.
/// </summary>
internal sealed partial class AgentEndpoint
{
    private readonly AgentDispatcher _dispatcher;
    private readonly Func<string, string?> _secretForKey;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    public AgentEndpoint(AgentDispatcher dispatcher, Func<string, string?> secretForKey, ILoggerFactory loggers)
    {
        _dispatcher = dispatcher;
        _secretForKey = secretForKey;
        _loggers = loggers;
        _logger = loggers.CreateLogger<AgentEndpoint>();
    }

    public void Map(WebApplication app) => app.Map("/agent", HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        TokenClaims claims;
        string token;
        try
        {
            token = BearerToken(context.Request) ?? throw new TokenValidationException(TokenValidationError.Malformed, "no access token");
            claims = AccessTokenCodec.Verify(token, _secretForKey, _dispatcher.Time.GetUtcNow());
        }
        catch (TokenValidationException ex)
        {
            LogRejected(_logger, Remote(context), ex.Message);
            await PlainText.WriteAsync(context, 401, "invalid authorization token: " + ex.Message).ConfigureAwait(false);
            return;
        }

        if (claims.Video?.Agent != true)
        {
            LogRejected(_logger, Remote(context), "no agent grant");
            await PlainText.WriteAsync(context, 401, "permissions denied: the token has no agent grant").ConfigureAwait(false);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await PlainText.WriteAsync(context, 404, "expected a WebSocket upgrade").ConfigureAwait(false);
            return;
        }

        var apiKey = claims.Issuer ?? string.Empty;
        var secret = _secretForKey(apiKey) ?? string.Empty;
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = new WebSocketWorkerConnection(socket);
        var session = new WorkerSession(_dispatcher, connection, apiKey, secret, Remote(context), _loggers.CreateLogger<WorkerSession>());
        session.Start();
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, connection.ReadStopped))
        {
            await ReadLoopAsync(socket, session, stop.Token).ConfigureAwait(false);
        }

        session.OnDisconnected();
        connection.Complete();
        await connection.Writer.ConfigureAwait(false);
    }

    private async Task ReadLoopAsync(WebSocket socket, WorkerSession session, CancellationToken cancellationToken)
    {
        var max = _dispatcher.Options.MaxMessageBytes;
        using var reader = new WebSocketMessageReader(socket, 16 * 1024, max);
        try
        {
            while (!session.IsClosed)
            {
                var status = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (status == WebSocketReadStatus.TooLarge)
                {
                    session.Close(WorkerCloseReason.Oversized, $"a message over {max} bytes");
                    return;
                }

                if (status == WebSocketReadStatus.Closed)
                {
                    return;
                }

                session.HandleFrame(reader.Message, reader.IsText);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // the worker went away
        }
    }

    internal static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header[7..].Trim();
        }

        return request.Query["access_token"].ToString() is { Length: > 0 } token ? token : null;
    }

    private static string Remote(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? string.Empty;


    [LoggerMessage(Level = LogLevel.Warning, Message = "agent worker connection from {Remote} refused: {Reason}")]
    private static partial void LogRejected(ILogger logger, string remote, string reason);
}
