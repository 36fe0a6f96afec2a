using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;
using ThingLedger.Client;
using ThingLedger.Core;

namespace ThingLedger.Cli;

/// <summary>Prints results as JSON (--json) or as readable tables.</summary>
internal static class Output
{
    private static readonly JsonSerializerOptions Indented = new(ClientJson.Options) { WriteIndented = true };

    /// <summary>Prints any API contract type as indented camelCase JSON.</summary>
    public static void Json<T>(T value) =>
        Console.WriteLine(JsonSerializer.Serialize(value, (JsonTypeInfo<T>)Indented.GetTypeInfo(typeof(T))));

    /// <summary>A two-column table of field names and values.</summary>
    public static void Fields(string title, params (string Name, object? Value)[] fields)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title)).AddColumn("field").AddColumn("value");
        foreach (var (name, value) in fields)
        {
            table.AddRow(Markup.Escape(name), Markup.Escape(value switch { null => "—", Enum e => CanonicalText.Text(e), _ => value.ToString() ?? "—" }));
        }
        AnsiConsole.Write(table);
    }

    public static void Rows(string title, string[] columns, IEnumerable<string?[]> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title));
        foreach (var column in columns)
        {
            table.AddColumn(Markup.Escape(column));
        }
        var any = false;
        foreach (var row in rows)
        {
            table.AddRow(row.Select(c => Markup.Escape(c ?? "—")).ToArray());
            any = true;
        }
        if (!any)
        {
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(title)}: none[/]");
            return;
        }
        AnsiConsole.Write(table);
    }
}
