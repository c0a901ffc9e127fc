using System.CommandLine;
using Starling.Sdk;
using Starling.Sdk.Internal;

namespace Starling.Cli.Commands;

/// <summary>
/// The connection options of API commands: <c>--url</c>, <c>--api-key</c>, <c>--api-secret</c> (each falling back
/// to its <c>LIVEKIT_*</c> variable) and <c>--json</c>. Without credentials anywhere, a localhost URL uses the
/// <c>starling serve --dev</c> keys <c>devkey</c>/<c>secret</c>.
/// </summary>
internal sealed class ApiOptions
{
    public const string DefaultUrl = "http://localhost:7880";
    public const string DevKey = "devkey";
    public const string DevSecret = "secret";

    private readonly bool _withUrl;

    public ApiOptions(bool withUrl = true, bool withJson = true)
    {
        _withUrl = withUrl;
        Json = withJson ? new Option<bool>("--json") { Description = "machine-readable JSON output" } : null;
    }

    public Option<string?> Url { get; } = new("--url") { Description = $"server URL, http(s):// or ws(s):// (env LIVEKIT_URL, default {DefaultUrl})" };

    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "API key (env LIVEKIT_API_KEY; devkey for a localhost URL)" };

    public Option<string?> ApiSecret { get; } = new("--api-secret") { Description = "API secret (env LIVEKIT_API_SECRET; secret for a localhost URL)" };

    public Option<bool>? Json { get; }

    public static bool IsLocalhost(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.IsLoopback;

    public void AddTo(Command command)
    {
        if (_withUrl)
        {
            command.Options.Add(Url);
        }

        command.Options.Add(ApiKey);
        command.Options.Add(ApiSecret);
        if (Json is not null)
        {
            command.Options.Add(Json);
        }
    }

    public bool WantsJson(ParseResult parse) => Json is not null && parse.GetValue(Json);

    /// <summary>The HTTP(S) base URL (<c>ws(s)://</c> mapped to <c>http(s)://</c>).</summary>
    public string ResolveUrl(ParseResult parse, CliContext context)
    {
        var url = NonEmpty(_withUrl ? parse.GetValue(Url) : null) ?? NonEmpty(context.Environment("LIVEKIT_URL")) ?? DefaultUrl;
        try
        {
            return TwirpClient.NormalizeUrl(url);
        }
        catch (ArgumentException)
        {
            throw new CliException($"invalid server URL '{url}': expected http(s):// or ws(s)://host[:port]");
        }
    }

    public (string Key, string Secret) ResolveCredentials(ParseResult parse, CliContext context)
    {
        var key = NonEmpty(parse.GetValue(ApiKey)) ?? NonEmpty(context.Environment("LIVEKIT_API_KEY"));
        var secret = NonEmpty(parse.GetValue(ApiSecret)) ?? NonEmpty(context.Environment("LIVEKIT_API_SECRET"));
        if (key is null && secret is null && IsLocalhost(ResolveUrl(parse, context)))
        {
            return (DevKey, DevSecret);
        }

        if (key is null || secret is null)
        {
            throw new CliException(
                $"missing API {(key is null ? "key" : "secret")}: use --api-key and --api-secret or set LIVEKIT_API_KEY and LIVEKIT_API_SECRET");
        }

        return (key, secret);
    }

    public RoomServiceClient RoomService(ParseResult parse, CliContext context)
    {
        var (key, secret) = ResolveCredentials(parse, context);
        return new RoomServiceClient(new TwirpClient(ResolveUrl(parse, context), key, secret, context.HttpClient, context.Time));
    }

    public AgentDispatchClient AgentDispatch(ParseResult parse, CliContext context)
    {
        var (key, secret) = ResolveCredentials(parse, context);
        return new AgentDispatchClient(new TwirpClient(ResolveUrl(parse, context), key, secret, context.HttpClient, context.Time));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
