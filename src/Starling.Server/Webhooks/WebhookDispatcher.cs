using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Starling.Proto;
using Starling.Protocol.Webhooks;
using Starling.Rooms;

namespace Starling.Server.Webhooks;

/// <summary>
/// Delivers room events to the configured webhook URLs as LiveKit does: protobuf-JSON (camelCase) bodies with
/// <c>Content-Type: application/webhook+json</c>, a bare signed JWT in <c>Authorization</c>. Each URL has its
/// own bounded queue drained in order by one worker, so events of a room arrive in order; a full queue drops
/// the new event and counts it; failed attempts are retried with exponential backoff. <see cref="Publish"/>
/// never blocks the caller.
/// </summary>
internal sealed partial class WebhookDispatcher : IRoomEventSink, IAsyncDisposable
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    private readonly WebhookOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<(Uri Url, Channel<byte[]> Queue, Task Worker)> _targets = [];
    private readonly CancellationTokenSource _stopping = new();
    private long _dropped;
    private long _delivered;
    private long _failed;

    public WebhookDispatcher(WebhookOptions options, HttpClient http, TimeProvider time, ILogger<WebhookDispatcher> logger)
    {
        _options = options;
        _http = http;
        _time = time;
        _logger = logger;
        foreach (var url in options.Urls)
        {
            var queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.QueueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            _targets.Add((url, queue, Task.Run(() => RunAsync(url, queue.Reader))));
        }
    }

    /// <summary>Events dropped because a queue was full or delivery gave up.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Events delivered with a 2xx answer.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Attempts that failed (each retry counts).</summary>
    public long FailedAttempts => Interlocked.Read(ref _failed);

    public void Publish(WebhookEvent webhookEvent)
    {
        if (_targets.Count == 0)
        {
            return;
        }

        var body = Encoding.UTF8.GetBytes(Formatter.Format(webhookEvent));
        foreach (var (url, queue, _) in _targets)
        {
            if (!queue.Writer.TryWrite(body))
            {
                Interlocked.Increment(ref _dropped);
                LogDropped(_logger, webhookEvent.Event, url);
            }
        }
    }

    private async Task RunAsync(Uri url, ChannelReader<byte[]> reader)
    {
        try
        {
            await foreach (var body in reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                await DeliverAsync(url, body).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task DeliverAsync(Uri url, byte[] body)
    {
        var backoff = _options.InitialBackoff;
        for (var attempt = 0; ; attempt++)
        {
            bool retryable;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url);
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/webhook+json");
                request.Headers.TryAddWithoutValidation("Authorization", WebhookAuth.Sign(body, _options.ApiKey, _options.ApiSecret, _time.GetUtcNow()));
                request.Headers.UserAgent.ParseAdd("LiveKit");
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                timeout.CancelAfter(_options.RequestTimeout);
                using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is >= 200 and < 300)
                {
                    Interlocked.Increment(ref _delivered);
                    return;
                }

                retryable = status == 429 || (status >= 500 && status != 501);
                LogRejected(_logger, url, status);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _dropped);
                    return;
                }

                retryable = true;
                LogUnreachable(_logger, url, ex.Message);
            }

            Interlocked.Increment(ref _failed);
            if (!retryable || attempt >= _options.MaxRetries)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }

            try
            {
                await Task.Delay(backoff, _time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
        }
    }

    /// <summary>Stops accepting events and waits (up to <paramref name="grace"/>) for queued ones to go out.</summary>
    public async Task FlushAsync(TimeSpan grace)
    {
        foreach (var (_, queue, _) in _targets)
        {
            queue.Writer.TryComplete();
        }

        var all = Task.WhenAll(_targets.Select(t => t.Worker));
        if (await Task.WhenAny(all, Task.Delay(grace, _time)).ConfigureAwait(false) != all)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAsync(TimeSpan.Zero).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_targets.Select(t => t.Worker)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "webhook queue for {Url} is full: dropped {Event}")]
    private static partial void LogDropped(ILogger logger, string @event, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "webhook {Url} answered {Status}")]
    private static partial void LogRejected(ILogger logger, Uri url, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "webhook {Url} unreachable: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, Uri url, string reason);
}
