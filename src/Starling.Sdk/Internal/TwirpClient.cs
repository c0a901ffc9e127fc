using System.Net.Http.Headers;
using System.Reflection;
using Google.Protobuf;
using Starling.Protocol.Auth;
using Starling.Protocol.Twirp;

namespace Starling.Sdk.Internal;

/// <summary>
/// Calls a LiveKit Twirp service: <c>POST {url}/twirp/livekit.{Service}/{Method}</c> with a binary protobuf body and
/// a fresh 10-minute bearer token carrying the grants the method needs.
/// </summary>
internal sealed class TwirpClient
{
    public const string PathPrefix = "/twirp/livekit.";
    public const string ProtobufContentType = "application/protobuf";
    public static readonly TimeSpan TokenTtl = TimeSpan.FromMinutes(10);
    public static readonly string UserAgent = "starling-sdk-dotnet/" + SdkVersion();

    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    }));

    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly string _apiKey;
    private readonly string _apiSecret;
    private readonly TimeProvider _time;

    public TwirpClient(string? url, string? apiKey, string? apiSecret, HttpClient? httpClient, TimeProvider? time = null, Func<string, string?>? environment = null)
    {
        _baseUrl = NormalizeUrl(SdkEnvironment.Url(url, environment));
        (_apiKey, _apiSecret) = SdkEnvironment.Credentials(apiKey, apiSecret, environment);
        _http = httpClient ?? SharedHttp.Value;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The HTTP(S) base URL, without a trailing slash.</summary>
    public string BaseUrl => _baseUrl;

    /// <summary>
    /// Maps a server URL to the HTTP base URL of its API: <c>ws://</c> → <c>http://</c>, <c>wss://</c> →
    /// <c>https://</c>, trailing slashes removed.
    /// </summary>
    /// <exception cref="ArgumentException">Not an absolute http, https, ws or wss URL.</exception>
    public static string NormalizeUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"invalid server URL '{url}': expected http(s):// or ws(s)://host[:port]", nameof(url));
        }

        var scheme = uri.Scheme switch
        {
            "http" or "ws" => "http",
            "https" or "wss" => "https",
            _ => throw new ArgumentException($"invalid server URL '{url}': the scheme must be http, https, ws or wss", nameof(url)),
        };
        var builder = new UriBuilder(uri) { Scheme = scheme, Query = string.Empty, Fragment = string.Empty };
        if (uri.IsDefaultPort)
        {
            builder.Port = -1;
        }

        return builder.Uri.AbsoluteUri.TrimEnd('/');
    }

    public async Task<TResponse> CallAsync<TResponse>(
        string service,
        string method,
        IMessage request,
        MessageParser<TResponse> parser,
        VideoGrant? video,
        CancellationToken cancellationToken,
        SipGrant? sip = null)
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var token = new AccessToken(_apiKey, _apiSecret, _time) { Ttl = TokenTtl, VideoGrant = video, SipGrant = sip }.ToJwt();

        using var message = new HttpRequestMessage(HttpMethod.Post, $"{_baseUrl}{PathPrefix}{service}/{method}");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        message.Content = new ByteArrayContent(request.ToByteArray());
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(ProtobufContentType);

        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw TwirpException.FromResponse(response.StatusCode, body);
        }

        try
        {
            // Servers answer in the request's encoding; accept JSON too, in case a proxy or server insists on it.
            return response.Content.Headers.ContentType?.MediaType == "application/json"
                ? ProtoJson.Lenient.Parse<TResponse>(System.Text.Encoding.UTF8.GetString(body))
                : parser.ParseFrom(body);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException)
        {
            throw new TwirpException(
                TwirpErrorCode.Internal,
                $"invalid {typeof(TResponse).Name} in the response of {service}/{method}: {ex.Message}",
                (int)response.StatusCode);
        }
    }

    private static string SdkVersion()
    {
        var version = typeof(TwirpClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(TwirpClient).Assembly.GetName().Version?.ToString(3)
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
