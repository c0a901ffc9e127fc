using System.Net;
using System.Net.Http.Headers;

namespace Starling.Testing;

/// <summary>
/// An in-process <see cref="HttpMessageHandler"/>: records every request (with its body, read before the caller
/// disposes it) and answers with <see cref="Respond"/>. No sockets.
/// </summary>
public sealed class FakeHttpHandler : HttpMessageHandler
{
    private readonly List<RecordedRequest> _requests = [];

    /// <summary>Builds the response; by default 200 with an empty protobuf body.</summary>
    public Func<RecordedRequest, HttpResponseMessage> Respond { get; set; } = _ => Protobuf([]);

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public RecordedRequest Last => Requests[^1];

    public HttpClient CreateClient() => new(this, disposeHandler: false);

    public static HttpResponseMessage Protobuf(byte[] body, HttpStatusCode status = HttpStatusCode.OK)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/protobuf");
        return new HttpResponseMessage(status) { Content = content };
    }

    public static HttpResponseMessage Text(string body, HttpStatusCode status, string contentType = "text/plain")
    {
        var content = new StringContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new HttpResponseMessage(status) { Content = content };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var recorded = new RecordedRequest(
            request.Method,
            request.RequestUri!,
            request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            request.Content?.Headers.ContentType?.ToString(),
            body);
        lock (_requests)
        {
            _requests.Add(recorded);
        }

        var response = Respond(recorded);
        response.RequestMessage = request;
        return response;
    }
}

/// <summary>A request seen by <see cref="FakeHttpHandler"/>.</summary>
public sealed record RecordedRequest(
    HttpMethod Method,
    Uri Uri,
    IReadOnlyDictionary<string, string> Headers,
    string? ContentType,
    byte[] Body)
{
    /// <summary>The bearer token of the Authorization header, or null.</summary>
    public string? BearerToken =>
        Headers.TryGetValue("Authorization", out var value) && value.StartsWith("Bearer ", StringComparison.Ordinal) ? value[7..] : null;
}
