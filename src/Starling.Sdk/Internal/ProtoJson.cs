using Google.Protobuf;

namespace Starling.Sdk.Internal;

/// <summary>Protobuf-JSON settings shared by the SDK and the CLI.</summary>
internal static class ProtoJson
{
    /// <summary>Lenient parser: unknown fields ignored; camelCase and snake_case names, enum names or numbers.</summary>
    public static readonly JsonParser Lenient = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>Strict parser for user input: unknown fields are errors (catches typos).</summary>
    public static readonly JsonParser Strict = new(JsonParser.Settings.Default);

    /// <summary>camelCase names, enum names, default values written (the shape of node's <c>roomConfig</c> claim).</summary>
    public static readonly JsonFormatter WithDefaults = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
}
