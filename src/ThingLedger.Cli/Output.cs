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
    public static string Time(ulong ms) => Execution.PayloadField.Time(ms);

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

    /// <summary>--wide: ids and hashes whole in tables, however wide the terminal.</summary>
    public static bool Wide { get; set; }

    public static void Rows(string title, string[] columns, IEnumerable<string?[]> rows)
    {
        var cells = rows.Select(row => row.Select(c => c ?? "—").ToArray()).ToList();
        if (cells.Count == 0)
        {
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(title)}: none[/]");
            return;
        }
        var shortened = !Wide && Fit(columns, cells, AnsiConsole.Profile.Width);
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title));
        foreach (var column in columns)
        {
            table.AddColumn(Markup.Escape(column));
        }
        foreach (var row in cells)
        {
            table.AddRow([.. row.Select(Markup.Escape)]);
        }
        AnsiConsole.Write(table);
        if (shortened)
        {
            AnsiConsole.MarkupLine("[grey]ids shortened with … to fit the terminal; --wide or --json prints them whole[/]");
        }
    }

    /// <summary>
    /// When the table would be wider than <paramref name="width"/>, shortens the ids and hashes in
    /// it (tl… addresses, hex of 40 digits or more) to a prefix and … as the explorer shows them
    /// (the explorer's search finds them by it), so none is split over lines; returns whether it
    /// shortened any.
    /// </summary>
    internal static bool Fit(string[] columns, List<string[]> rows, int width)
    {
        int Needed() => 1 + Enumerable.Range(0, columns.Length).Sum(i => 3 + Math.Max(columns[i].Length, rows.Max(r => i < r.Length ? r[i].Length : 0)));
        if (Needed() <= width)
        {
            return false;
        }
        var any = false;
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (IsId(row[i]))
                {
                    row[i] = Node.Explorer.Fmt.Short(row[i], 16);
                    any = true;
                }
            }
        }
        return any;
    }

    private static bool IsId(string text) =>
        text.Length >= 40 && (text.StartsWith("tl", StringComparison.Ordinal) ? text[2..] : text).All(char.IsAsciiHexDigitLower);
}
