namespace Starling.Sdk.Internal;

/// <summary>Resolves the server URL and API credentials from arguments or the LiveKit environment variables.</summary>
internal static class SdkEnvironment
{
    public const string UrlVariable = "LIVEKIT_URL";
    public const string ApiKeyVariable = "LIVEKIT_API_KEY";
    public const string ApiSecretVariable = "LIVEKIT_API_SECRET";

    public static readonly Func<string, string?> Process = Environment.GetEnvironmentVariable;

    public static (string Key, string Secret) Credentials(string? apiKey, string? apiSecret, Func<string, string?>? env)
    {
        env ??= Process;
        var key = NonEmpty(apiKey) ?? NonEmpty(env(ApiKeyVariable));
        var secret = NonEmpty(apiSecret) ?? NonEmpty(env(ApiSecretVariable));
        if (key is null || secret is null)
        {
            var missing = key is null && secret is null ? "API key and secret are" : key is null ? "API key is" : "API secret is";
            throw new ArgumentException(
                $"LiveKit {missing} missing: pass them explicitly or set {ApiKeyVariable} and {ApiSecretVariable}");
        }

        return (key, secret);
    }

    public static string Url(string? url, Func<string, string?>? env)
    {
        env ??= Process;
        return NonEmpty(url) ?? NonEmpty(env(UrlVariable))
            ?? throw new ArgumentException($"LiveKit server URL is missing: pass it explicitly or set {UrlVariable}");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
