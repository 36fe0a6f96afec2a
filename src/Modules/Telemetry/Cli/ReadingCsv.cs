using System.Globalization;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Cli.Commands;

/// <summary>
/// A CSV of one device's readings, as `device import` signs them and `screening eval` replays
/// them: a header `time,&lt;field&gt;,&lt;field&gt;…` (the first column may also be called `timestamp`),
/// then one reading per row, times in ISO-8601 UTC (a space for the T is fine) or ms since the
/// epoch, values exact decimals in the field's units. A row that cannot be read, or whose time is
/// not after the previous readable row's, is kept with its code and reason so that the caller
/// reports it by line and uses it for nothing.
/// </summary>
internal static class ReadingCsv
{
    /// <summary>A row that does not parse.</summary>
    public const string RowMalformed = "ROW_MALFORMED";

    /// <summary>A row measured at the same time as an earlier row (the same reading twice).</summary>
    public const string RowDuplicateTime = "ROW_DUPLICATE_TIME";

    /// <summary>A row measured before an earlier row.</summary>
    public const string RowOutOfOrder = "ROW_OUT_OF_ORDER";

    /// <summary>One data row: its line in the file, its index among the data rows (its sequence offset), and its time and values, or why it cannot be used.</summary>
    public sealed record Row(int Line, int Index, ulong Time, long[]? Values, string? Code, string? Problem);

    public static List<Row> Read(string path, TelemetrySchema schema)
    {
        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? throw new FormatException($"{path} is empty")).Split(',').Select(h => h.Trim().Trim('"')).ToList();
        var fieldList = string.Join(',', schema.Fields.Select(f => f.Name));
        if (header.Count == 0 || header[0] is not ("time" or "timestamp"))
        {
            throw new FormatException($"{path}: the header's first column must be `time`, then one column per field of {schema.Ref}: time,{fieldList}");
        }
        var columns = header.Skip(1).ToList();
        var unknown = columns.Except(schema.Fields.Select(f => f.Name), StringComparer.Ordinal).ToList();
        var missing = schema.Fields.Select(f => f.Name).Except(columns, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0 || missing.Count > 0 || columns.Distinct(StringComparer.Ordinal).Count() != columns.Count)
        {
            throw new FormatException($"{path}: the header must name every field of {schema.Ref} once (time,{fieldList})" +
                (unknown.Count > 0 ? $"; not fields: {string.Join(", ", unknown)}" : string.Empty) + (missing.Count > 0 ? $"; missing: {string.Join(", ", missing)}" : string.Empty));
        }
        var rows = new List<Row>();
        var line = 1;
        Row? previous = null;
        for (var text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Trim().Length == 0)
            {
                continue;
            }
            var cells = text.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
            var index = rows.Count;
            Row row;
            try
            {
                if (cells.Length != header.Count)
                {
                    throw new FormatException($"{cells.Length} cells where the header has {header.Count}");
                }
                var values = Scale(schema, name => cells[header.IndexOf(name)], $"line {line}");
                row = new Row(line, index, CliArguments.Time(cells[0]), values, null, null);
            }
            catch (FormatException e)
            {
                rows.Add(new Row(line, index, 0, null, RowMalformed, e.Message));
                continue;
            }
            if (previous is not null && row.Time <= previous.Time)
            {
                rows.Add(row with
                {
                    Values = null,
                    Code = row.Time == previous.Time ? RowDuplicateTime : RowOutOfOrder,
                    Problem = row.Time == previous.Time
                        ? $"measured at {cells[0]}, as line {previous.Line} was: one reading per time"
                        : $"measured at {cells[0]}, before line {previous.Line}: rows must be in time order",
                });
                continue;
            }
            rows.Add(row);
            previous = row;
        }
        return rows;
    }

    /// <summary>The values in the schema's field order, each scaled by its decimals; <paramref name="valueOf"/> gives a field's text or null.</summary>
    public static long[] Scale(TelemetrySchema schema, Func<string, string?> valueOf, string where)
    {
        var values = new long[schema.Fields.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var field = schema.Fields[i];
            var text = valueOf(field.Name) ?? throw new FormatException($"{where} gives no value for {field.Name} ({schema.Ref} has {string.Join(", ", schema.Fields.Select(f => f.Name))})");
            if (!TelemetrySchema.TryParseValue(text.Trim(), field.Decimals, out values[i]))
            {
                throw new FormatException($"{field.Name} = '{text}' is not an exact decimal with at most {field.Decimals} decimals");
            }
        }
        return values;
    }

    public static TelemetrySchema ToSchema(SchemaView view) =>
        new(view.Id, view.Version, [.. view.Fields.Select(f => new SchemaField(f.Name, f.Unit, f.Decimals, Unscaled(f.Min, f.Decimals), Unscaled(f.Max, f.Decimals), f.Additive))]);

    private static long Unscaled(string text, byte decimals) =>
        TelemetrySchema.TryParseValue(text, decimals, out var value) ? value : throw new FormatException($"the node's schema bound '{text}' does not parse");

    /// <summary>A rows-per-code count for a one-line summary ("2 ROW_OUT_OF_ORDER, 1 ROW_MALFORMED").</summary>
    public static string Summary(IEnumerable<Row> rows) =>
        string.Join(", ", rows.Where(r => r.Code is not null).GroupBy(r => r.Code).Select(g => $"{g.Count().ToString(CultureInfo.InvariantCulture)} {g.Key}"));
}
