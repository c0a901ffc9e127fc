namespace Starling.Cli.Mcp;

/// <summary>The server the MCP tools act on, and how it was found (flags, environment, installed service or dev default).</summary>
internal sealed record McpTarget(string Url, string ApiKey, string ApiSecret, string Source)
{
    public string WsUrl => Url.StartsWith("https://", StringComparison.Ordinal) ? "wss://" + Url[8..] : "ws://" + Url.Replace("http://", string.Empty, StringComparison.Ordinal);
}
