namespace Starling.Protocol.Tests.Schema;

/// <summary>
/// Lists every way our schema departs from the reference (LiveKit's). Anything we define must exist
/// there with the same numbers, names, JSON names, types, labels and oneofs; anything we leave out
/// is fine.
/// </summary>
internal static class SchemaComparer
{
    public static IReadOnlyList<string> Compare(SchemaDescription ours, SchemaDescription reference)
    {
        var differences = new List<string>();
        foreach (var (name, message) in ours.Messages)
        {
            if (!reference.Messages.TryGetValue(name, out var theirs))
            {
                differences.Add($"message {name}: does not exist in LiveKit's schema");
                continue;
            }

            foreach (var field in message.Fields)
                CompareField($"{name}.{field.Name}", field, theirs, differences);
        }

        foreach (var (name, values) in ours.Enums)
        {
            if (!reference.Enums.TryGetValue(name, out var theirs))
            {
                differences.Add($"enum {name}: does not exist in LiveKit's schema");
                continue;
            }

            foreach (var (value, number) in values)
            {
                if (!theirs.TryGetValue(value, out var theirNumber))
                    differences.Add($"enum value {name}.{value} = {number}: does not exist in LiveKit's schema");
                else if (theirNumber != number)
                    differences.Add($"enum value {name}.{value}: number {number}, LiveKit has {theirNumber}");
            }
        }

        return differences;
    }

    private static void CompareField(
        string path,
        SchemaDescription.Field ours,
        SchemaDescription.Message theirMessage,
        List<string> differences)
    {
        var theirs = theirMessage.Fields.FirstOrDefault(f => f.Number == ours.Number);
        if (theirs is null)
        {
            var byName = theirMessage.Fields.FirstOrDefault(f => f.Name == ours.Name);
            differences.Add(byName is null
                ? $"field {path} = {ours.Number}: does not exist in LiveKit's schema"
                : $"field {path}: number {ours.Number}, LiveKit has {byName.Number}");
            return;
        }

        if (theirs.Name != ours.Name)
            differences.Add($"field {path} = {ours.Number}: name {ours.Name}, LiveKit has {theirs.Name}");
        if (theirs.JsonName != ours.JsonName)
            differences.Add($"field {path}: JSON name {ours.JsonName}, LiveKit has {theirs.JsonName}");
        if (theirs.TypeText != ours.TypeText || theirs.MapValue?.Kind != ours.MapValue?.Kind)
            differences.Add($"field {path}: type {ours.TypeText}, LiveKit has {theirs.TypeText}");
        if (theirs.Label != ours.Label)
            differences.Add($"field {path}: label {ours.Label}, LiveKit has {theirs.Label}");
        if (theirs.Oneof != ours.Oneof)
            differences.Add($"field {path}: oneof {ours.Oneof ?? "(none)"}, LiveKit has {theirs.Oneof ?? "(none)"}");
    }
}
