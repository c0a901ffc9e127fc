using Google.Protobuf;

namespace Starling.Cli.Commands;

/// <summary>Converts option values that System.CommandLine cannot type by itself.</summary>
internal static class OptionValues
{
    /// <summary>Parses repeated <c>key=value</c> values.</summary>
    public static Dictionary<string, string> KeyValues(IEnumerable<string>? values, string optionName)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"invalid {optionName} '{value}': expected key=value");
            }

            result[value[..equals]] = value[(equals + 1)..];
        }

        return result;
    }

    /// <summary>Parses protobuf-JSON given inline or as <c>@file</c>; unknown fields are errors.</summary>
    public static T ProtoJson<T>(string text, string optionName)
        where T : IMessage, new()
    {
        if (text.StartsWith('@'))
        {
            var path = text[1..];
            if (!File.Exists(path))
            {
                throw new CliException($"{optionName}: file not found: {path}");
            }

            text = File.ReadAllText(path);
        }

        try
        {
            return Starling.Sdk.Internal.ProtoJson.Strict.Parse<T>(text);
        }
        catch (Exception ex) when (ex is InvalidJsonException or InvalidProtocolBufferException or FormatException)
        {
            throw new CliException($"invalid {optionName}: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a whole file as bytes with a clear error when it cannot.</summary>
    public static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {ex.Message}", ex);
        }
    }
}
