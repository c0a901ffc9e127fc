using System.Reflection;
using Google.Protobuf.Reflection;

namespace Starling.Protocol.Tests.Schema;

/// <summary>Describes our generated <c>Starling.Proto</c> descriptors as a <see cref="SchemaDescription"/>.</summary>
internal static class DescriptorSchema
{
    /// <summary>Every generated file descriptor in the Starling.Protocol assembly (one per .proto file).</summary>
    public static IReadOnlyList<FileDescriptor> StarlingFiles() =>
        typeof(Starling.Proto.Room).Assembly.GetTypes()
            .Where(t => t.Namespace == "Starling.Proto" && t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>()
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

    public static SchemaDescription Describe(IEnumerable<FileDescriptor> files)
    {
        var messages = new SortedDictionary<string, SchemaDescription.Message>(StringComparer.Ordinal);
        var enums = new SortedDictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            AddEnums(file.EnumTypes, enums);
            foreach (var message in file.MessageTypes)
                AddMessage(message, messages, enums);
        }

        return new SchemaDescription("starling", messages, enums);
    }

    private static void AddMessage(
        MessageDescriptor message,
        IDictionary<string, SchemaDescription.Message> messages,
        IDictionary<string, IReadOnlyDictionary<string, int>> enums)
    {
        if (message.GetOptions()?.MapEntry == true)
            return;

        messages[message.FullName] = new SchemaDescription.Message(
            message.Fields.InDeclarationOrder().Select(DescribeField).ToList());
        AddEnums(message.EnumTypes, enums);
        foreach (var nested in message.NestedTypes)
            AddMessage(nested, messages, enums);
    }

    private static void AddEnums(IEnumerable<EnumDescriptor> types, IDictionary<string, IReadOnlyDictionary<string, int>> enums)
    {
        foreach (var type in types)
            enums[type.FullName] = type.Values.ToDictionary(v => v.Name, v => v.Number, StringComparer.Ordinal);
    }

    private static SchemaDescription.Field DescribeField(FieldDescriptor field)
    {
        string? mapKey = null;
        SchemaDescription.Value? mapValue = null;
        string kind;
        string? type;
        if (field.IsMap)
        {
            kind = "map";
            type = null;
            var entry = field.MessageType;
            mapKey = ScalarName(entry.FindFieldByNumber(1).FieldType);
            var value = entry.FindFieldByNumber(2);
            mapValue = new SchemaDescription.Value(KindOf(value), TypeOf(value));
        }
        else
        {
            kind = KindOf(field);
            type = TypeOf(field);
        }

        return new SchemaDescription.Field(
            Number: field.FieldNumber,
            Name: field.Name,
            JsonName: field.JsonName,
            Kind: kind,
            Type: type,
            Repeated: field.IsRepeated && !field.IsMap,
            Optional: field.ContainingOneof?.IsSynthetic == true,
            Oneof: field.RealContainingOneof?.Name,
            MapKey: mapKey,
            MapValue: mapValue);
    }

    private static string KindOf(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Enum => "enum",
        FieldType.Message or FieldType.Group => "message",
        _ => "scalar",
    };

    private static string TypeOf(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Enum => field.EnumType.FullName,
        FieldType.Message or FieldType.Group => field.MessageType.FullName,
        _ => ScalarName(field.FieldType),
    };

    // FieldType names lowercased are the .proto scalar names (UInt64 -> uint64, SFixed32 -> sfixed32).
    private static string ScalarName(FieldType type) => type.ToString().ToLowerInvariant();
}
