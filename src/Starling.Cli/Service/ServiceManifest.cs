using System.Text.Json;
using System.Text.Json.Serialization;

namespace Starling.Cli.Service;

/// <summary>What <c>service install</c> made, so the other service commands find it (<see cref="ServiceLayout.ManifestPath"/>).</summary>
internal sealed record ServiceManifest
{
    public required ServiceScope Scope { get; init; }

    public required ServiceManagerKind Manager { get; init; }

    public required string Dir { get; init; }

    public required int Port { get; init; }

    public required bool Dev { get; init; }

    public required string Version { get; init; }

    public required DateTimeOffset InstalledAt { get; init; }

    /// <summary>The URL clients use: the service binds every interface (loopback only in dev mode); local tools use loopback.</summary>
    [JsonIgnore]
    public string HttpUrl => $"http://127.0.0.1:{Port}";

    [JsonIgnore]
    public string WsUrl => $"ws://127.0.0.1:{Port}";

    public string ToJson() => JsonSerializer.Serialize(this, CliOutput.SnakeCase);

    public static ServiceManifest? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ServiceManifest>(File.ReadAllText(path), CliOutput.SnakeCase);
        }
        catch (JsonException ex)
        {
            throw new CliException($"the service manifest {path} is unreadable ({ex.Message}); reinstall with 'starling service install'", ex);
        }
    }
}
