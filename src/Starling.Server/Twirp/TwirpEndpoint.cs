using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Starling.Protocol.Auth;
using Starling.Rooms;
using Starling.Protocol.Twirp;

namespace Starling.Server.Twirp;

/// <summary>
/// Serves <c>POST /twirp/&lt;package.Service&gt;/&lt;Method&gt;</c> with JSON or protobuf bodies, as Twirp v7 and
/// livekit-server do: bearer-token authentication, a body size limit, request parsing that accepts camelCase
/// and snake_case JSON, responses in the request's encoding, and errors as <c>{code,msg,meta}</c> JSON with
/// <c>Content-Type: application/json</c> exactly.
/// </summary>
internal sealed partial class TwirpEndpoint
{
    /// <summary>livekit-server's API body limit.</summary>
    public const int MaxBodyBytes = 10 * 1024 * 1024;

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithPreserveProtoFieldNames(true));

    private readonly Dictionary<string, TwirpMethod> _methods = new(StringComparer.Ordinal);
    private readonly Func<string, string?> _secretForKey;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public TwirpEndpoint(Func<string, string?> secretForKey, TimeProvider time, ILogger<TwirpEndpoint> logger)
    {
        _secretForKey = secretForKey;
        _time = time;
        _logger = logger;
    }

    /// <summary>Registers <paramref name="method"/> of <paramref name="service"/> (e.g. livekit.RoomService).</summary>
    public void Add<TRequest>(string service, string method, Func<TokenClaims, TRequest, IMessage> handler)
        where TRequest : IMessage<TRequest>, new()
    {
        _methods[service + "/" + method] = new TwirpMethod(
            new TRequest().Descriptor,
            new MessageParser<TRequest>(() => new TRequest()),
            (claims, request, _) => ValueTask.FromResult(handler(claims, (TRequest)request)));
    }

    /// <summary>Registers an asynchronous method (one that waits on a participant, like PerformRpc).</summary>
    public void AddAsync<TRequest>(string service, string method, Func<TokenClaims, TRequest, CancellationToken, Task<IMessage>> handler)
        where TRequest : IMessage<TRequest>, new()
    {
        _methods[service + "/" + method] = new TwirpMethod(
            new TRequest().Descriptor,
            new MessageParser<TRequest>(() => new TRequest()),
            async (claims, request, cancellationToken) => await handler(claims, (TRequest)request, cancellationToken).ConfigureAwait(false));
    }

    public async Task HandleAsync(HttpContext context, string route)
    {
        try
        {
            var response = await DispatchAsync(context, route).ConfigureAwait(false);
            await WriteResponseAsync(context, response).ConfigureAwait(false);
        }
        catch (TwirpException ex)
        {
            await WriteErrorAsync(context, ex.Code, ex.Message).ConfigureAwait(false);
        }
        catch (RoomException ex)
        {
            await WriteErrorAsync(context, MapCode(ex.Code), ex.Message).ConfigureAwait(false);
        }
        catch (TokenValidationException ex)
        {
            await WriteErrorAsync(context, TwirpErrorCode.Unauthenticated, ex.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // client went away
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogInternalError(_logger, route, ex);
            await WriteErrorAsync(context, TwirpErrorCode.Internal, "internal error").ConfigureAwait(false);
        }
    }

    private async Task<IMessage> DispatchAsync(HttpContext context, string route)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            throw new TwirpException(TwirpErrorCode.BadRoute, $"unsupported method {context.Request.Method} (only POST is allowed)");
        }

        if (!_methods.TryGetValue(route, out var method))
        {
            throw new TwirpException(TwirpErrorCode.BadRoute, $"no handler for path \"/twirp/{route}\"");
        }

        var json = IsJson(context.Request.ContentType);
        if (!json && !IsProtobuf(context.Request.ContentType))
        {
            throw new TwirpException(TwirpErrorCode.BadRoute, $"unexpected Content-Type: \"{context.Request.ContentType}\"");
        }

        context.Items[nameof(IsJson)] = json;
        var claims = Authenticate(context);
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        IMessage request;
        try
        {
            request = json
                ? Parser.Parse(body.Length == 0 ? "{}" : Encoding.UTF8.GetString(body), method.Descriptor)
                : method.Parser.ParseFrom(body);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException or JsonException or DecoderFallbackException or InvalidOperationException)
        {
            throw new TwirpException(TwirpErrorCode.Malformed, $"the request could not be decoded: {ex.Message}");
        }

        return await method.Invoke(claims, request, context.RequestAborted).ConfigureAwait(false);
    }

    private TokenClaims Authenticate(HttpContext context) => Authenticate(context, _secretForKey, _time);

    /// <summary>The caller's token from <c>Authorization: Bearer</c>, verified; failures are Twirp <c>unauthenticated</c>.</summary>
    /// <exception cref="TwirpException">No or a non-bearer authorization header.</exception>
    /// <exception cref="TokenValidationException">The token is invalid.</exception>
    internal static TokenClaims Authenticate(HttpContext context, Func<string, string?> secretForKey, TimeProvider time)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            throw new TwirpException(TwirpErrorCode.Unauthenticated, "missing authorization: send 'Authorization: Bearer <token>'");
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            throw new TwirpException(TwirpErrorCode.Unauthenticated, "invalid authorization header: expected 'Bearer <token>'");
        }

        return AccessTokenCodec.Verify(header[7..].Trim(), secretForKey, time.GetUtcNow());
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            await DrainAsync(context).ConfigureAwait(false);
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                await DrainAsync(context).ConfigureAwait(false);
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads and discards the rest of an oversized body so the client sees our answer, not a reset.</summary>
    private static async Task DrainAsync(HttpContext context)
    {
        var sink = new byte[64 * 1024];
        try
        {
            while (await context.Request.Body.ReadAsync(sink, context.RequestAborted).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException)
        {
            // beyond Kestrel's own limit: the connection is closed after our answer
        }
    }

    private static TwirpException TooLarge() => new(TwirpErrorCode.Malformed, $"request body is larger than the {MaxBodyBytes / (1024 * 1024)} MiB limit");

    private static async Task WriteResponseAsync(HttpContext context, IMessage response)
    {
        context.Response.StatusCode = 200;
        if (context.Items[nameof(IsJson)] is true)
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(Formatter.Format(response))).ConfigureAwait(false);
        }
        else
        {
            context.Response.ContentType = "application/protobuf";
            await context.Response.Body.WriteAsync(response.ToByteArray()).ConfigureAwait(false);
        }
    }

    internal static async Task WriteErrorAsync(HttpContext context, string code, string message)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = TwirpErrorCode.HttpStatus(code);
        context.Response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["code"] = code,
            ["msg"] = message,
            ["meta"] = new Dictionary<string, string>(),
        });
        await context.Response.Body.WriteAsync(body).ConfigureAwait(false);
    }

    private static string MapCode(RoomErrorCode code) => code switch
    {
        RoomErrorCode.InvalidArgument => TwirpErrorCode.InvalidArgument,
        RoomErrorCode.NotFound => TwirpErrorCode.NotFound,
        RoomErrorCode.AlreadyExists => TwirpErrorCode.AlreadyExists,
        RoomErrorCode.PermissionDenied => TwirpErrorCode.PermissionDenied,
        RoomErrorCode.ResourceExhausted => TwirpErrorCode.ResourceExhausted,
        RoomErrorCode.FailedPrecondition => TwirpErrorCode.FailedPrecondition,
        RoomErrorCode.Unimplemented => TwirpErrorCode.Unimplemented,
        RoomErrorCode.DeadlineExceeded => TwirpErrorCode.DeadlineExceeded,
        RoomErrorCode.Aborted => TwirpErrorCode.Aborted,
        _ => TwirpErrorCode.Internal,
    };

    private static string MediaType(string? contentType) =>
        (contentType ?? string.Empty).Split(';', 2)[0].Trim().ToLowerInvariant();

    private static bool IsJson(string? contentType) => MediaType(contentType) == "application/json";

    private static bool IsProtobuf(string? contentType) => MediaType(contentType) is "application/protobuf" or "application/x-protobuf";

    [LoggerMessage(Level = LogLevel.Error, Message = "twirp {Route} failed")]
    private static partial void LogInternalError(ILogger logger, string route, Exception ex);
}
