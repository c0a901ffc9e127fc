namespace Starling.Client;

/// <summary>Identifies the Starling.Client assembly (its version is sent to servers as the SDK version).</summary>
public static class ClientAssembly
{
    /// <summary>The version reported in <c>ClientInfo.version</c> when joining a room.</summary>
    public static string Version { get; } =
        typeof(ClientAssembly).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
