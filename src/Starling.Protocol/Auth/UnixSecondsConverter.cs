using System.Text.Json;
using System.Text.Json.Serialization;

namespace Starling.Protocol.Auth;

/// <summary>Reads JWT NumericDate values (RFC 7519 §2), which may carry a fraction; writes whole seconds.</summary>
internal sealed class UnixSecondsConverter : JsonConverter<long?>
{
    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.Number when reader.TryGetInt64(out var whole) => whole,
            JsonTokenType.Number => (long)Math.Floor(reader.GetDouble()),
            _ => throw new JsonException("a NumericDate must be a number"),
        };
    }

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
