namespace Starling.Server.Config;

/// <summary>The configuration is invalid; the message names the key and what was wrong.</summary>
internal sealed class ConfigException(string message) : Exception(message);
