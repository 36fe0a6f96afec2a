using System.Text.Json;
using System.Text.Json.Nodes;
using ThingLedger.Client;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Screening;

namespace ThingLedger.Cli.Commands;

/// <summary>A labelled anomaly window: readings measured from <see cref="Start"/> to <see cref="End"/> (ms, inclusive) belong to one anomaly.</summary>
internal readonly record struct LabelWindow(ulong Start, ulong End);

/// <summary>
/// How a model did on a labelled series, scored as the common anomaly benchmarks score windows:
/// the first readings (the probation) teach the model and are not scored; a window is detected
/// when any reading in it is flagged; a flag outside every window is a false positive.
/// </summary>
internal sealed record SeriesScore(int Windows, int Detected, long Readings, long Scored, long Flagged, long FlaggedInWindows, long FalsePositives, long CleanScored)
{
    /// <summary>Per flag code: scored readings that got it inside a window, and outside every window.</summary>
    public SortedDictionary<string, (long InWindows, long Outside)> ByCode { get; init; } = [];

    /// <summary>Detected windows / windows.</summary>
    public double Recall => Windows == 0 ? 0 : (double)Detected / Windows;

    /// <summary>Flagged readings outside every window / scored readings outside every window.</summary>
    public double FalsePositiveRate => CleanScored == 0 ? 0 : (double)FalsePositives / CleanScored;

    /// <summary>Flagged readings inside a window / flagged readings (scored ones).</summary>
    public double Precision => Flagged == 0 ? 0 : (double)FlaggedInWindows / Flagged;
}

/// <summary>
/// `screening eval --csv`: replays one device's labelled series through a screening model, exactly
/// as a custodian's node would screen it at ingest, and scores the flags against the labels.
/// </summary>
internal static class SeriesEval
{
    /// <summary>The share of a series that only teaches the model, as in the Numenta Anomaly Benchmark.</summary>
    public const double DefaultProbation = 0.15;

    /// <summary>The most parameter combinations one sweep tries.</summary>
    public const int MaxCombinations = 1_000;

    /// <summary>The replayed series' device: screening keys its history by device, nothing more.</summary>
    private static readonly Address Device = new(Hash.Sha256("screening eval"u8).ToArray().AsSpan(0, Address.Size));

    /// <summary>Screens the rows in order and says, per row, whether any flag was raised (and which).</summary>
    public static List<(ulong Time, ReadingFlag[] Flags)> Replay(ScreeningModelConfig config, TelemetrySchema schema, IEnumerable<(ulong Time, long[] Values)> rows,
        Func<Hash, byte[]?>? files = null)
    {
        using var model = Model(config, schema, files);
        var screened = new List<(ulong, ReadingFlag[])>();
        ulong sequence = 0;
        foreach (var (time, values) in rows)
        {
            var reading = new Reading(Device, ++sequence, time, schema.Id, schema.Version, values);
            screened.Add((time, model.Screen(reading).Flags));
        }
        return screened;
    }

    /// <summary>The model as a node would run it; a model that cannot run here is a <see cref="FormatException"/> with the reason.</summary>
    public static ScreeningModel Model(ScreeningModelConfig config, TelemetrySchema schema, Func<Hash, byte[]?>? files)
    {
        try
        {
            return new ScreeningModel(config, schema, files);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message);
        }
    }

    /// <summary>Scores flags against windows; the first <paramref name="probation"/> of the readings are not scored.</summary>
    public static SeriesScore Score(IReadOnlyList<(ulong Time, ReadingFlag[] Flags)> series, IReadOnlyList<LabelWindow> windows, double probation)
    {
        var first = (int)Math.Ceiling(series.Count * probation);
        var probationEnd = first < series.Count ? series[first].Time : ulong.MaxValue;
        var counted = windows.Where(w => w.End >= probationEnd).ToList();
        var detected = new bool[counted.Count];
        long flagged = 0, inWindows = 0, falsePositives = 0, clean = 0;
        var byCode = new SortedDictionary<string, (long InWindows, long Outside)>(StringComparer.Ordinal);
        for (var i = first; i < series.Count; i++)
        {
            var (time, flags) = series[i];
            var window = counted.FindIndex(w => time >= w.Start && time <= w.End);
            var isFlagged = flags.Length > 0;
            flagged += isFlagged ? 1 : 0;
            foreach (var flag in flags)
            {
                var text = FlagCodes.Text(flag.Code);
                var (a, b) = byCode.GetValueOrDefault(text);
                byCode[text] = window >= 0 ? (a + 1, b) : (a, b + 1);
            }
            if (window >= 0)
            {
                inWindows += isFlagged ? 1 : 0;
                detected[window] |= isFlagged;
            }
            else if (windows.Any(w => time >= w.Start && time <= w.End))
            {
                // Inside a window the probation cut short: neither clean nor counted.
            }
            else
            {
                clean++;
                falsePositives += isFlagged ? 1 : 0;
            }
        }
        return new SeriesScore(counted.Count, detected.Count(d => d), series.Count, series.Count - first, flagged, inWindows, falsePositives, clean) { ByCode = byCode };
    }

    /// <summary>
    /// Labels as the anomaly benchmarks keep them: a JSON array of windows, or an object from file
    /// name to windows (the entry whose name ends with the CSV's file name is used). A window is
    /// [start, end] or {"start": …, "end": …}, times as in the CSV.
    /// </summary>
    public static List<LabelWindow> ReadLabels(string path, string csvPath)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not JSON: {e.Message}");
        }
        var csvName = Path.GetFileName(csvPath);
        var list = root switch
        {
            JsonArray array => array,
            JsonObject map => map.FirstOrDefault(e => e.Key == csvName || e.Key.EndsWith("/" + csvName, StringComparison.Ordinal)).Value as JsonArray
                ?? throw new FormatException($"{path} has no windows for {csvName} (it has {string.Join(", ", map.Select(e => e.Key).Take(10))})"),
            _ => throw new FormatException($"{path}: labels are a JSON array of windows, or an object from file name to windows"),
        };
        var windows = new List<LabelWindow>();
        for (var i = 0; i < list.Count; i++)
        {
            var where = $"{path}: window {i + 1}";
            var (start, end) = list[i] switch
            {
                JsonArray pair when pair.Count == 2 => (pair[0], pair[1]),
                JsonObject o => (o["start"], o["end"]),
                _ => throw new FormatException($"{where} is neither [start, end] nor {{\"start\", \"end\"}}"),
            };
            var from = Time(start, where);
            var to = Time(end, where);
            windows.Add(from <= to ? new LabelWindow(from, to) : throw new FormatException($"{where} ends before it starts"));
        }
        return windows;
    }

    private static ulong Time(JsonNode? node, string where) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => CliArguments.Time(text.Trim()),
        JsonValue v when v.TryGetValue<ulong>(out var ms) => ms,
        _ => throw new FormatException($"{where}: a time is a string (ISO-8601 UTC) or ms since the epoch"),
    };

    /// <summary>
    /// The models a sweep tries: every combination of the given values for the given parameters, a
    /// parameter named `rule.key` (rule numbered from 1, key as in the model file), e.g.
    /// `2.threshold=4,5,6`. Each combination comes with its settings in words.
    /// </summary>
    public static List<(string Settings, ScreeningModelConfig Config)> Sweep(ScreeningModelConfig baseline, TelemetrySchema schema, IReadOnlyList<string> specs)
    {
        var axes = new List<(int Rule, string Key, string[] Values)>();
        foreach (var spec in specs)
        {
            var eq = spec.IndexOf('=');
            var dot = spec.IndexOf('.');
            if (eq < 0 || dot < 0 || dot > eq || !int.TryParse(spec.AsSpan(0, dot), out var rule) || rule < 1 || rule > baseline.Rules.Length)
            {
                throw new FormatException($"--sweep '{spec}': write rule.key=v1,v2,… with the rule numbered 1 to {baseline.Rules.Length}, e.g. 1.threshold=4,5,6");
            }
            var values = spec[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            axes.Add(values.Length > 0 ? (rule, spec[(dot + 1)..eq].Trim(), values) : throw new FormatException($"--sweep '{spec}' lists no values"));
        }
        var total = axes.Aggregate(1L, (n, a) => n * a.Values.Length);
        if (total > MaxCombinations)
        {
            throw new FormatException($"--sweep: {total:N0} combinations, more than the {MaxCombinations:N0} one run tries; sweep fewer values");
        }
        var file = ScreeningModelFile.Write(baseline, schema);
        var combinations = new List<(string, ScreeningModelConfig)>();
        var index = new int[axes.Count];
        for (var n = 0; n < total; n++)
        {
            var root = JsonNode.Parse(file)!.AsObject();
            var rules = root["rules"]!.AsArray();
            var settings = new List<string>();
            for (var a = 0; a < axes.Count; a++)
            {
                var (rule, key, values) = axes[a];
                var value = values[index[a]];
                rules[rule - 1]![key] = decimal.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
                    ? JsonValue.Create(number)
                    : JsonValue.Create(value);
                settings.Add($"{rule}.{key}={value}");
            }
            var words = string.Join(" ", settings);
            try
            {
                combinations.Add((words, ScreeningModelFile.Parse(root.ToJsonString(), schema)));
            }
            catch (FormatException e)
            {
                throw new FormatException($"--sweep {words}: {e.Message}");
            }
            for (var a = axes.Count - 1; a >= 0; a--)
            {
                if (++index[a] < axes[a].Values.Length)
                {
                    break;
                }
                index[a] = 0;
            }
        }
        return combinations;
    }

}
