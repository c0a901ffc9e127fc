using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Starling.Cli;

/// <summary>Writes command results: protobuf-JSON or JSON for <c>--json</c>, Spectre tables otherwise.</summary>
internal static class CliOutput
{
    private static readonly JsonFormatter ProtoFormatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation("  "));
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>JSON of our own records (service status, manifest, discover, MCP results): snake_case names and enums, indented.</summary>
    public static readonly JsonSerializerOptions SnakeCase = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Protobuf-JSON with camelCase names, enum names and default values, indented.</summary>
    public static string ProtoJson(IMessage message) => ProtoFormatter.Format(message);

    public static void WriteJson(this CliContext context, IMessage message) => context.Out.WriteLine(ProtoJson(message));

    public static void WriteJson(this CliContext context, JsonNode node) => context.Out.WriteLine(node.ToJsonString(Indented));

    public static void WriteLine(this CliContext context, string text) => context.Out.WriteLine(text);

    public static void Write(this CliContext context, IRenderable renderable) => context.Console.Write(renderable);

    public static Table NewTable(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)));
        }

        return table;
    }

    public static Table AddTextRow(this Table table, params string?[] cells)
    {
        table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? string.Empty)).ToArray());
        return table;
    }

    /// <summary>A two-column key/value grid.</summary>
    public static Grid KeyValues(IEnumerable<(string Key, string? Value)> rows)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (key, value) in rows)
        {
            grid.AddRow(new Text(key, new Style(decoration: Decoration.Bold)), new Text(value ?? string.Empty));
        }

        return grid;
    }

    public static string UnixTime(long seconds) =>
        seconds <= 0 ? string.Empty : DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
