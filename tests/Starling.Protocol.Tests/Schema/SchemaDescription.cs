using System.Text.Json;
using System.Text.Json.Serialization;

namespace Starling.Protocol.Tests.Schema;

/// <summary>
/// A protobuf schema reduced to what must match LiveKit's for wire, JSON and Twirp compatibility:
/// messages with their fields, and enums with their values. Both our generated descriptors and the
/// output of <c>tests/schema/dump-descriptors.mjs</c> (from @livekit/protocol) are read into it.
/// </summary>
internal sealed record SchemaDescription(
    string Version,
    IReadOnlyDictionary<string, SchemaDescription.Message> Messages,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Enums)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = true,
    };

    public static SchemaDescription Parse(string json) =>
        JsonSerializer.Deserialize<SchemaDescription>(json, JsonOptions)
        ?? throw new JsonException("schema description is null");

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>A message type: its fields in declaration order.</summary>
    internal sealed record Message(IReadOnlyList<Field> Fields);

    /// <summary>
    /// One field. <see cref="Kind"/> is scalar, enum, message or map; <see cref="Type"/> is the
    /// lowercase scalar type ("uint32") or the full enum/message name ("livekit.TrackType"), null for
    /// maps. <see cref="Optional"/> is true only for proto3 <c>optional</c>; <see cref="Oneof"/>
    /// names a real (non-synthetic) oneof.
    /// </summary>
    internal sealed record Field(
        int Number,
        string Name,
        string JsonName,
        string Kind,
        string? Type,
        bool Repeated,
        bool Optional,
        string? Oneof,
        string? MapKey,
        Value? MapValue)
    {
        [JsonIgnore]
        public string Label => Kind == "map" ? "map" : Repeated ? "repeated" : Optional ? "optional" : "singular";

        [JsonIgnore]
        public string TypeText => Kind == "map" ? $"map<{MapKey}, {MapValue?.Type}>" : $"{Kind} {Type}";
    }

    /// <summary>The value type of a map field.</summary>
    internal sealed record Value(string Kind, string Type);
}
