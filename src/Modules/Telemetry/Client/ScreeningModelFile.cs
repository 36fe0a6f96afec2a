using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Client;

/// <summary>
/// A screening model as a member writes it (docs/SCREENING.md, "Model files"): JSON with the
/// model's id, version and schema and a list of rules, each a detector with its parameters in the
/// field's own units (°C, km/h, kWh), which this turns into the integers the chain stores by the
/// schema's decimals. Unknown keys are errors, so a misspelt parameter never silently takes its default.
/// </summary>
public static class ScreeningModelFile
{
    /// <summary>The detectors a model file names, with the flag each raises unless told otherwise.</summary>
    public static IReadOnlyDictionary<string, FlagCode> Detectors { get; } = new Dictionary<string, FlagCode>
    {
        ["range"] = FlagCode.ValueOutOfRange,
        ["rate-of-change"] = FlagCode.RateOfChange,
        ["stuck"] = FlagCode.StuckValue,
        ["seasonal-z"] = FlagCode.Outlier,
        ["cusum"] = FlagCode.LevelShift,
        ["windowed-gaussian"] = FlagCode.Outlier,
        ["ceiling"] = FlagCode.ValueOutOfRange,
        ["non-decreasing"] = FlagCode.OdometerDecrease,
        ["ratio-band"] = FlagCode.EnergyPerKm,
        ["rise-rate"] = FlagCode.SocJump,
        ["additive-rate"] = FlagCode.ExportAboveRating,
        ["ewma-outlier"] = FlagCode.Outlier,
        ["duplicate-stream"] = FlagCode.DuplicateStream,
        ["onnx"] = FlagCode.Outlier,
    };

    /// <summary>Reads a model file against the schema it screens; a <see cref="FormatException"/> says what is wrong and where.</summary>
    public static ScreeningModelConfig Parse(string json, TelemetrySchema schema) => Parse(json, schema, null, out _);

    /// <summary>
    /// Reads a model file; an ONNX rule's "file" is read from <paramref name="directory"/> (the
    /// model file's folder), and the files read come back by their SHA-256.
    /// </summary>
    public static ScreeningModelConfig Parse(string json, TelemetrySchema schema, string? directory, out Dictionary<Hash, byte[]> files)
    {
        files = [];
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("a model file is one JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"not JSON: {e.Message}");
        }
        Only(root, "model", "id", "version", "schema", "rules");
        var id = Text(root, "id", "model");
        var version = (ushort)Whole(root, "version", "model", 1, ushort.MaxValue);
        var schemaRef = Text(root, "schema", "model");
        if (schemaRef != schema.Ref)
        {
            throw new FormatException($"model: schema '{schemaRef}' is not {schema.Ref}, the schema given");
        }
        if (root["rules"] is not JsonArray rules || rules.Count == 0)
        {
            throw new FormatException("model: \"rules\" must be a non-empty array of rules");
        }
        var parsed = new List<ScreeningRule>();
        for (var i = 0; i < rules.Count; i++)
        {
            var where = $"rule {i + 1}";
            if (rules[i] is not JsonObject rule)
            {
                throw new FormatException($"{where}: not a JSON object");
            }
            parsed.Add(Rule(rule, schema, where, directory, files));
        }
        var config = new ScreeningModelConfig(id, version, schema.Id, schema.Version, [.. parsed]);
        return config.Problem(schema) is { } problem ? throw new FormatException(problem) : config;
    }

    /// <summary>The model as a file a member can edit and register again as a new version.</summary>
    public static string Write(ScreeningModelConfig config, TelemetrySchema schema)
    {
        var rules = new JsonArray();
        foreach (var rule in config.Rules)
        {
            rules.Add(RuleJson(rule, schema));
        }
        var root = new JsonObject { ["id"] = config.Id, ["version"] = config.Version, ["schema"] = config.SchemaRef, ["rules"] = rules };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static ScreeningRule Rule(JsonObject rule, TelemetrySchema schema, string where, string? directory, Dictionary<Hash, byte[]> files)
    {
        var detector = Text(rule, "detector", where);
        if (!Detectors.TryGetValue(detector, out var defaultFlag))
        {
            throw new FormatException($"{where}: no detector '{detector}' (there are {string.Join(", ", Detectors.Keys)})");
        }
        where = $"{where} ({detector})";
        var flag = defaultFlag;
        if (rule["flag"] is not null && !FlagCodes.TryParse(Text(rule, "flag", where), out flag))
        {
            throw new FormatException($"{where}: no flag code '{Text(rule, "flag", where)}' (docs/CREDITS.md, §1)");
        }
        string Field(string key = "field")
        {
            var name = Text(rule, key, where);
            return schema.IndexOf(name) >= 0 ? name : throw new FormatException($"{where}: schema {schema.Ref} has no field '{name}' (it has {string.Join(", ", schema.Fields.Select(f => f.Name))})");
        }
        long Units(string key, string field, bool required = true) => Scaled(rule, key, where, schema.Fields[schema.IndexOf(field)].Decimals, required);
        long Tenths(string key) => Scaled(rule, key, where, 1, true);
        long PerMille(string key) => Scaled(rule, key, where, 3, true);
        long Count(string key, long min, long max, long? otherwise = null) =>
            rule[key] is null && otherwise is { } value ? value : Whole(rule, key, where, min, max);
        Seasonality Season() => rule["seasonality"] is null ? Seasonality.None
            : Seasonalities.TryParse(Text(rule, "seasonality", where), out var s) ? s
            : throw new FormatException($"{where}: seasonality '{Text(rule, "seasonality", where)}' is none of none, hour-of-day, day-of-week");

        switch (detector)
        {
            case "range":
                Only(rule, where, "detector", "flag", "field", "min", "max");
                var range = Field();
                return new RangeRule(flag, range, Units("min", range), Units("max", range));
            case "rate-of-change":
                Only(rule, where, "detector", "flag", "field", "maxPerHour", "tolerance");
                var roc = Field();
                return new RateOfChangeRule(flag, roc, Units("maxPerHour", roc), rule["tolerance"] is null ? 0 : Units("tolerance", roc));
            case "stuck":
                Only(rule, where, "detector", "flag", "field", "readings");
                return new StuckRule(flag, Field(), Count("readings", 2, 100_000));
            case "seasonal-z":
                Only(rule, where, "detector", "flag", "field", "threshold", "minDeviation", "seasonality", "alpha", "warmup", "shiftAfter");
                var z = Field();
                return new SeasonalZRule(flag, z, Tenths("threshold"), Units("minDeviation", z), Season(), Count("warmup", 0, 100_000, 24), PerMille("alpha"), Count("shiftAfter", 0, 100_000, 0));
            case "cusum":
                Only(rule, where, "detector", "flag", "field", "k", "h", "minDeviation", "seasonality", "alpha", "warmup");
                var c = Field();
                return new CusumRule(flag, c, Tenths("k"), Tenths("h"), Units("minDeviation", c), Season(), Count("warmup", 1, 100_000, 48), PerMille("alpha"));
            case "windowed-gaussian":
                Only(rule, where, "detector", "flag", "field", "window", "threshold", "minDeviation");
                var g = Field();
                return new WindowedGaussianRule(flag, g, Count("window", 2, 4_096), Tenths("threshold"), Units("minDeviation", g));
            case "ceiling":
                Only(rule, where, "detector", "flag", "field", "max");
                var ceiling = Field();
                return new CeilingRule(flag, ceiling, Units("max", ceiling));
            case "non-decreasing":
                Only(rule, where, "detector", "flag", "field");
                return new NonDecreasingRule(flag, Field());
            case "ratio-band":
                Only(rule, where, "detector", "flag", "numerator", "denominator", "min", "max", "minDenominator");
                var denominator = Field("denominator");
                return new RatioBandRule(flag, Field("numerator"), denominator, Whole(rule, "min", where, long.MinValue, long.MaxValue),
                    Whole(rule, "max", where, long.MinValue, long.MaxValue), Units("minDenominator", denominator));
            case "rise-rate" or "additive-rate":
                Only(rule, where, "detector", "flag", "field", "maxPerHour", "tolerance");
                var rate = Field();
                return new RateRule(flag, rate, detector == "additive-rate", Units("maxPerHour", rate), rule["tolerance"] is null ? 0 : Units("tolerance", rate));
            case "ewma-outlier":
                Only(rule, where, "detector", "flag", "field", "threshold", "minDeviation", "hourly", "warmup", "alpha");
                var o = Field();
                return new OutlierRule(flag, o, Tenths("threshold"), Units("minDeviation", o), rule["hourly"] is JsonValue h && h.TryGetValue<bool>(out var hourly) && hourly,
                    (int)Count("warmup", 0, 100_000, 6), (int)PerMille("alpha"));
            case "onnx":
                Only(rule, where, "detector", "flag", "fields", "file", "sha256", "threshold");
                if (rule["fields"] is not JsonArray names || names.Count == 0)
                {
                    throw new FormatException($"{where}: \"fields\" must be the model's inputs in order, e.g. [\"import_wh\", \"battery_soc_pct\"]");
                }
                var inputs = names.Select(n => n is JsonValue v && v.TryGetValue<string>(out var f) ? f : throw new FormatException($"{where}: \"fields\" lists field names")).ToArray();
                foreach (var input in inputs)
                {
                    if (schema.IndexOf(input) < 0)
                    {
                        throw new FormatException($"{where}: schema {schema.Ref} has no field '{input}' (it has {string.Join(", ", schema.Fields.Select(f => f.Name))})");
                    }
                }
                Hash? named = rule["sha256"] is null ? null : Hash.TryParse(Text(rule, "sha256", where), out var sha) ? sha : throw new FormatException($"{where}: \"sha256\" is not a SHA-256 in hex");
                if (rule["file"] is not null)
                {
                    var path = Path.Combine(directory ?? ".", Text(rule, "file", where));
                    var bytes = File.Exists(path) ? File.ReadAllBytes(path) : throw new FormatException($"{where}: no ONNX file {path}");
                    var actual = Hash.Sha256(bytes);
                    if (named is { } expected && expected != actual)
                    {
                        throw new FormatException($"{where}: {path} hashes to {actual}, not the sha256 {expected} the rule names");
                    }
                    files[actual] = bytes;
                    named = actual;
                }
                return new OnnxRule(flag, inputs, named ?? throw new FormatException($"{where}: give the model's \"file\" (or its \"sha256\")"), PerMille("threshold"));
            default:
                Only(rule, where, "detector", "flag", "window", "maxLagSeconds");
                return new DuplicateStreamRule(flag, (int)Count("window", 1, 64), Whole(rule, "maxLagSeconds", where, 1, 86_400 * 366) * 1000);
        }
    }

    private static JsonObject RuleJson(ScreeningRule rule, TelemetrySchema schema)
    {
        string Units(long value, string field) => TelemetrySchema.FormatValue(value, schema.Fields[schema.IndexOf(field)].Decimals);
        static decimal Tenths(long value) => value / 10m;
        static decimal PerMille(long value) => value / 1000m;
        JsonNode Number(string text) => JsonValue.Create(decimal.Parse(text, CultureInfo.InvariantCulture));
        var (detector, fields) = rule switch
        {
            RangeRule r => ("range", new JsonObject { ["field"] = r.Field, ["min"] = Number(Units(r.Min, r.Field)), ["max"] = Number(Units(r.Max, r.Field)) }),
            RateOfChangeRule r => ("rate-of-change", new JsonObject { ["field"] = r.Field, ["maxPerHour"] = Number(Units(r.MaxPerHour, r.Field)), ["tolerance"] = Number(Units(r.Tolerance, r.Field)) }),
            StuckRule r => ("stuck", new JsonObject { ["field"] = r.Field, ["readings"] = r.Readings }),
            SeasonalZRule r => ("seasonal-z", new JsonObject
            {
                ["field"] = r.Field,
                ["threshold"] = Tenths(r.ThresholdTenths),
                ["minDeviation"] = Number(Units(r.MinDeviation, r.Field)),
                ["seasonality"] = Seasonalities.Text(r.Seasonality),
                ["alpha"] = PerMille(r.AlphaPerMille),
                ["warmup"] = r.Warmup,
                ["shiftAfter"] = r.ShiftAfter,
            }),
            CusumRule r => ("cusum", new JsonObject
            {
                ["field"] = r.Field,
                ["k"] = Tenths(r.SlackTenths),
                ["h"] = Tenths(r.LimitTenths),
                ["minDeviation"] = Number(Units(r.MinDeviation, r.Field)),
                ["seasonality"] = Seasonalities.Text(r.Seasonality),
                ["alpha"] = PerMille(r.AlphaPerMille),
                ["warmup"] = r.Warmup,
            }),
            WindowedGaussianRule r => ("windowed-gaussian", new JsonObject
            {
                ["field"] = r.Field,
                ["window"] = r.Window,
                ["threshold"] = Tenths(r.ThresholdTenths),
                ["minDeviation"] = Number(Units(r.MinDeviation, r.Field)),
            }),
            CeilingRule r => ("ceiling", new JsonObject { ["field"] = r.Field, ["max"] = Number(Units(r.Max, r.Field)) }),
            NonDecreasingRule r => ("non-decreasing", new JsonObject { ["field"] = r.Field }),
            RatioBandRule r => ("ratio-band", new JsonObject
            {
                ["numerator"] = r.Numerator,
                ["denominator"] = r.Denominator,
                ["min"] = r.Min,
                ["max"] = r.Max,
                ["minDenominator"] = Number(Units(r.MinDenominator, r.Denominator)),
            }),
            RateRule r => (r.Additive ? "additive-rate" : "rise-rate", new JsonObject
            {
                ["field"] = r.Field,
                ["maxPerHour"] = Number(Units(r.MaxPerHour, r.Field)),
                ["tolerance"] = Number(Units(r.Tolerance, r.Field)),
            }),
            OutlierRule r => ("ewma-outlier", new JsonObject
            {
                ["field"] = r.Field,
                ["threshold"] = Tenths(r.ThresholdTenths),
                ["minDeviation"] = Number(Units(r.MinDeviation, r.Field)),
                ["hourly"] = r.Hourly,
                ["warmup"] = r.Warmup,
                ["alpha"] = PerMille(r.AlphaPerMille),
            }),
            DuplicateStreamRule r => ("duplicate-stream", new JsonObject { ["window"] = r.Window, ["maxLagSeconds"] = r.MaxLagMs / 1000 }),
            OnnxRule r => ("onnx", new JsonObject
            {
                ["fields"] = new JsonArray([.. r.Inputs.Select(i => (JsonNode)JsonValue.Create(i))]),
                ["sha256"] = r.File.ToString(),
                ["threshold"] = PerMille(r.ThresholdMilli),
            }),
            _ => throw new ArgumentException($"rule kind {rule.Kind} has no file form"),
        };
        var json = new JsonObject { ["detector"] = detector, ["flag"] = FlagCodes.Text(rule.Code) };
        foreach (var (key, value) in fields.ToList())
        {
            fields.Remove(key);
            json[key] = value;
        }
        return json;
    }

    private static void Only(JsonObject node, string where, params string[] keys)
    {
        foreach (var (key, _) in node)
        {
            if (Array.IndexOf(keys, key) < 0)
            {
                throw new FormatException($"{where}: unknown key \"{key}\" (it takes {string.Join(", ", keys)})");
            }
        }
    }

    private static string Text(JsonObject node, string key, string where) =>
        node[key] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new FormatException($"{where}: \"{key}\" must be a non-empty string");

    private static decimal Decimal(JsonObject node, string key, string where) =>
        node[key] is JsonValue value && value.TryGetValue<decimal>(out var number)
            ? number
            : throw new FormatException($"{where}: \"{key}\" must be a number");

    private static long Whole(JsonObject node, string key, string where, long min, long max)
    {
        var number = Decimal(node, key, where);
        return number == decimal.Truncate(number) && number >= min && number <= max
            ? (long)number
            : throw new FormatException($"{where}: \"{key}\" {number.ToString(CultureInfo.InvariantCulture)} must be a whole number from {min:N0} to {max:N0}");
    }

    /// <summary>A number in units with <paramref name="decimals"/> decimals, as the integer the chain stores; more decimals than that is an error, not a rounding.</summary>
    private static long Scaled(JsonObject node, string key, string where, int decimals, bool required)
    {
        if (node[key] is null && !required)
        {
            return 0;
        }
        var number = Decimal(node, key, where);
        var scaled = number;
        for (var i = 0; i < decimals; i++)
        {
            scaled *= 10;
        }
        return scaled == decimal.Truncate(scaled) && scaled is >= long.MinValue and <= long.MaxValue
            ? (long)scaled
            : throw new FormatException($"{where}: \"{key}\" {number.ToString(CultureInfo.InvariantCulture)} has more than {decimals} decimals (the field's precision)");
    }
}
