using System.Net;
using System.Text;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Starling.Proto;
using Starling.Protocol.Webhooks;
using Starling.Server.Webhooks;
using Starling.Testing;

namespace Starling.Server.Tests.Webhooks;

public sealed class WebhookDispatcherTests
{
    private sealed class ScriptedHandler(Func<int, HttpStatusCode> statusForAttempt, SemaphoreSlim? gate = null) : HttpMessageHandler
    {
        private int _attempts;

        public List<(string Body, string Auth, string? ContentType)> Received { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (gate is not null)
            {
                await gate.WaitAsync(cancellationToken);
            }

            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            var status = statusForAttempt(Interlocked.Increment(ref _attempts));
            lock (Received)
            {
                if (status == HttpStatusCode.OK)
                {
                    Received.Add((body, request.Headers.GetValues("Authorization").Single(), request.Content.Headers.ContentType?.MediaType));
                }
            }

            return new HttpResponseMessage(status);
        }
    }

    private static WebhookDispatcher Create(HttpMessageHandler handler, int capacity = 200, int retries = 4) => new(
        new WebhookOptions
        {
            Urls = [new Uri("http://127.0.0.1:1/hook")],
            ApiKey = "k",
            ApiSecret = "s",
            QueueCapacity = capacity,
            MaxRetries = retries,
            InitialBackoff = TimeSpan.FromMilliseconds(1),
            MaxBackoff = TimeSpan.FromMilliseconds(4),
        },
        new HttpClient(handler),
        TimeProvider.System,
        NullLogger<WebhookDispatcher>.Instance);

    private static WebhookEvent Event(int i) => new() { Event = "room_started", Id = "EV_" + i, CreatedAt = 1700000000 + i, Room = new Proto.Room { Name = "r" + i, CreationTimeMs = 5 } };

    [Fact]
    public async Task Publish_DeliversSignedCamelCaseJsonInOrder()
    {
        var handler = new ScriptedHandler(_ => HttpStatusCode.OK);
        await using var dispatcher = Create(handler);
        for (var i = 0; i < 50; i++)
        {
            dispatcher.Publish(Event(i));
        }

        await Eventually.True(() => dispatcher.Delivered == 50, TimeSpan.FromSeconds(10), "50 deliveries");
        var parser = new JsonParser(JsonParser.Settings.Default);
        for (var i = 0; i < 50; i++)
        {
            var (body, auth, contentType) = handler.Received[i];
            Assert.Equal("application/webhook+json", contentType);
            Assert.Equal("EV_" + i, parser.Parse<WebhookEvent>(body).Id);
            WebhookAuth.Verify(Encoding.UTF8.GetBytes(body), auth, k => k == "k" ? "s" : null, DateTimeOffset.UtcNow);
        }

        Assert.Contains("\"createdAt\": \"1700000000\"", handler.Received[0].Body, StringComparison.Ordinal);
        Assert.Contains("\"creationTimeMs\"", handler.Received[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("created_at", handler.Received[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_ServerErrors_AreRetriedWithoutReordering()
    {
        var handler = new ScriptedHandler(attempt => attempt is 1 or 2 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);
        await using var dispatcher = Create(handler);
        dispatcher.Publish(Event(1));
        dispatcher.Publish(Event(2));
        await Eventually.True(() => dispatcher.Delivered == 2, TimeSpan.FromSeconds(10), "both delivered after retries");
        Assert.Equal(2, dispatcher.FailedAttempts);
        Assert.Equal(0, dispatcher.Dropped);
        Assert.Contains("EV_1", handler.Received[0].Body, StringComparison.Ordinal);
        Assert.Contains("EV_2", handler.Received[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_ClientErrors_AreNotRetried()
    {
        var handler = new ScriptedHandler(_ => HttpStatusCode.BadRequest);
        await using var dispatcher = Create(handler);
        dispatcher.Publish(Event(1));
        await Eventually.True(() => dispatcher.Dropped == 1, TimeSpan.FromSeconds(10), "dropped after one 400");
        Assert.Equal(1, dispatcher.FailedAttempts);
    }

    [Fact]
    public async Task Publish_FullQueue_DropsAndCountsWithoutBlocking()
    {
        using var gate = new SemaphoreSlim(0);
        var handler = new ScriptedHandler(_ => HttpStatusCode.OK, gate);
        await using var dispatcher = Create(handler, capacity: 3);
        for (var i = 0; i < 10; i++)
        {
            dispatcher.Publish(Event(i));
        }

        // one in flight, three queued, the rest dropped
        await Eventually.True(() => dispatcher.Dropped >= 6, TimeSpan.FromSeconds(5), "overflow counted");
        gate.Release(100);
        await Eventually.True(() => dispatcher.Delivered + dispatcher.Dropped == 10, TimeSpan.FromSeconds(10), "queue drained");
        Assert.InRange(dispatcher.Delivered, 3, 4);
    }
}
