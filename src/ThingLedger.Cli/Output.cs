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

    /// <summary>
    /// Colour and styles only on a terminal, and not when NO_COLOR is set (https://no-color.org);
    /// into a pipe or a file the output is plain text, tables as wide as their content (no id is
    /// split over lines for want of an 80-column width nobody has).
    /// </summary>
    public static void ConfigureConsole()
    {
        var redirected = Console.IsOutputRedirected;
        if (!redirected && Environment.GetEnvironmentVariable("NO_COLOR") is not { Length: > 0 })
        {
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (redirected)
        {
            console.Profile.Width = 320;
        }
        AnsiConsole.Console = console;
    }

    /// <summary>A time in ms since the Unix epoch as ISO-8601 UTC with milliseconds (2026-12-04T10:00:00.000Z), the one form the CLI prints.</summary>
    public static string Time(ulong ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(ms, 253_402_300_799_999UL)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

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
