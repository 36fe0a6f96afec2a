using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using ThingLedger.Cli.Simulation;
using ThingLedger.Client;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Cli.Commands;

/// <summary>screening models|register|eval: the models that flag device readings at ingest.</summary>
internal static class ScreeningCommands
{
    public static Command Create()
    {
        var models = new Command("models", "The screening models on chain (which one screens each schema, and its rules) and the built-in models not yet registered.\n" +
                "Example: thingledger screening models")
            .Runs(async (_, cli, ct) =>
            {
                var registered = await cli.Client.GetScreeningModelsAsync(ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(registered);
                    return 0;
                }
                var names = registered.Select(m => m.Name).ToHashSet();
                Output.Rows("screening models", ["model", "schema", "parameters (SHA-256)", "on chain", "screens the schema", "rules"],
                    registered.Select(m => new[]
                    {
                        m.Name, m.Schema, m.Parameters, $"by {m.Org} at block {m.Height}", m.Active ? "yes" : "no",
                        m.Rules is null ? "parameters not on chain, and not a built-in model's: no node runs it" : string.Join("; ", m.Rules),
                    }).Concat(BuiltInScreeningModels.All.Where(m => !names.Contains(m.Name)).Select(m => new[]
                    {
                        m.Name, m.SchemaRef, m.ParametersHash.ToString(), "not registered (built in)", "no",
                        string.Join("; ", m.Rules.Select(rule => $"{FlagCodes.Text(rule.Code)}: {rule.Describe()}")),
                    })));
                return 0;
            });

        var name = new Argument<string>("model") { Description = "A model registered on chain (id@version) or a built-in model's id" };
        var show = new Command("show", "A screening model as a model file: its rules and parameters in the fields' units, ready to edit and register as the next version.\n" +
                "Example: thingledger screening show smart-meter-screen@1 > meter.json")
            .With(name)
            .Runs(async (parse, cli, ct) =>
            {
                var (config, _) = await ModelAsync(cli, parse.GetValue(name)!, null, ct).ConfigureAwait(false);
                var schema = await SchemaAsync(cli, config.SchemaRef, ct).ConfigureAwait(false);
                Console.WriteLine(ScreeningModelFile.Write(config, schema));
                return 0;
            });

        var builtin = new Option<string>("--builtin") { Description = "A shipped model, or 'all': " + string.Join(", ", BuiltInScreeningModels.All.Select(m => m.Id)) };
        var file = new Option<string>("--model") { Description = "A model file (JSON, docs/SCREENING.md \"Model files\"): any schema, any detectors" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        var register = new Command("register", "Register a screening model on chain for your organisation (admin), its parameters included. Every custodian's node screens the schema's readings with it within a second of its block.\n" +
                "The first model registered for a schema screens it; after that, the schema's owner or that model's owner can put another in its place. A model's version n + 1 is its owner's to register.\n" +
                "Example: thingledger screening register --builtin all --as voltmotors-admin\n" +
                "Example: thingledger screening register --model boiler-screen.json --as gridco-admin")
            .With(builtin, file, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                List<ScreeningModelConfig> chosen;
                if (parse.GetValue(file) is { } path)
                {
                    if (parse.GetValue(builtin) is not null)
                    {
                        throw new FormatException("give --builtin NAME or --model FILE, not both");
                    }
                    var (config, _) = await ModelFileAsync(cli, path, null, ct).ConfigureAwait(false);
                    chosen = [config];
                    if (config.Rules.OfType<OnnxRule>().Any())
                    {
                        Console.Error.WriteLine($"note: every custodian node screens {config.SchemaRef} with it once its ONNX file is installed there: thingledger screening install FILE --data <node data>");
                    }
                }
                else
                {
                    var id = parse.GetValue(builtin) ?? throw new FormatException("give --builtin NAME (or all) or --model FILE");
                    chosen = id == "all"
                        ? [.. BuiltInScreeningModels.All]
                        : [BuiltInScreeningModels.All.FirstOrDefault(m => m.Id == id)
                            ?? throw new FormatException($"no built-in screening model '{id}' (there are {string.Join(", ", BuiltInScreeningModels.All.Select(m => m.Id))}, or all)")];
                }
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var exit = 0;
                foreach (var model in chosen)
                {
                    exit = Math.Max(exit, (await cli.SubmitAsync(account, Operations.RegisterModel(model.Registration()), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit);
                }
                return exit;
            });

        var devices = new Option<int>("--devices") { Description = "Simulated devices per family (EV, smart meter, washer)", DefaultValueFactory = _ => 36 };
        var days = new Option<int>("--days") { Description = $"Model days per device (EVs, which report every 10 s, run at most {ScreeningEval.MaxEvDays})", DefaultValueFactory = _ => 14 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same table", DefaultValueFactory = _ => 1 };
        var csv = new Option<string>("--csv") { Description = "Evaluate on a labelled series instead: one device's readings as a CSV (time,<field>,…, as for device import)" };
        var labels = new Option<string>("--labels") { Description = "The series' anomaly windows: JSON [[start, end], …] or {\"file.csv\": [[start, end], …]} (with --csv)" };
        var model = new Option<string>("--model") { Description = "The model: a model file, a model on chain (id@version) or a built-in id (with --csv)" };
        var schemaOption = new Option<string>("--schema") { Description = "The series' schema: registered (id@version) or a schema file; default the model's schema, from the node" };
        var probation = new Option<double>("--probation") { Description = "The share of the series that only teaches the model and is not scored", DefaultValueFactory = _ => SeriesEval.DefaultProbation };
        var sweep = new Option<string[]>("--sweep") { Description = "Try every combination of values for rule parameters: rule.key=v1,v2,… (repeatable), e.g. 1.threshold=4,5,6" };
        var interval = new Option<string>("--interval") { Description = "With --model and no --csv: how often the simulated devices report (90s, 15m, 1h)", DefaultValueFactory = _ => "15m" };
        var maxFp = new Option<double>("--max-fp") { Description = "With --sweep: the false-positive rate a combination may have to rank as best", DefaultValueFactory = _ => ScreeningEvalRow.FalsePositiveTarget };
        var eval = new Command("eval", "Measure screening: by default the built-in models against the simulator's injected faults (recall per fault type, false positives on clean data);\n" +
                "with --model (and --schema), any model against the same kinds of faults on a simulated fleet of its schema;\n" +
                "with --csv, any model against a labelled series of your own (window recall, false-positive rate, precision), with --sweep over parameter grids.\n" +
                $"A simulator run exits 1 when a row misses the target (recall ≥ {ScreeningEvalRow.RecallTarget:0.00}, false positives ≤ {ScreeningEvalRow.FalsePositiveTarget:0%}).\n" +
                "Example: thingledger screening eval --devices 36 --days 14\n" +
                "Example: thingledger screening eval --model boiler-screen.json --schema boiler.schema.json\n" +
                "Example: thingledger screening eval --csv boiler-7.csv --labels windows.json --model boiler-screen.json --sweep 2.threshold=4,5,6")
            .With(devices, days, seed, csv, labels, model, schemaOption, probation, sweep, maxFp, interval)
            .Runs(async (parse, cli, ct) =>
            {
                if (parse.GetValue(csv) is { } series)
                {
                    return await EvalSeriesAsync(cli, series, parse.GetValue(labels) ?? throw new FormatException("--csv needs --labels: the series' anomaly windows"),
                        parse.GetValue(model) ?? throw new FormatException("--csv needs --model: a model file, id@version on chain, or a built-in id"),
                        parse.GetValue(schemaOption), parse.GetValue(probation), parse.GetValue(sweep) ?? [], parse.GetValue(maxFp), ct).ConfigureAwait(false);
                }
                if (parse.GetValue(labels) is not null || parse.GetValue(sweep) is { Length: > 0 })
                {
                    throw new FormatException("--labels and --sweep go with --csv (a labelled series)");
                }
                if (parse.GetValue(model) is { } chosen)
                {
                    return await EvalSyntheticAsync(cli, chosen, parse.GetValue(schemaOption), parse.GetValue(devices), parse.GetValue(days), parse.GetValue(seed),
                        CliArguments.Duration(parse.GetValue(interval)!, "--interval"), ct).ConfigureAwait(false);
                }
                var result = ScreeningEval.Run(parse.GetValue(devices), parse.GetValue(days), parse.GetValue(seed),
                    cli.Json ? null : m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]"));
                if (cli.Json)
                {
                    WriteJson(result);
                }
                else
                {
                    Output.Rows($"screening eval: {result.Devices} devices per family, {result.Days} days, seed {result.Seed}",
                        ["fault", "schema", "unit", "injected", "flagged", "recall", "clean units", "false positives", "FP rate", "target"],
                        result.Rows.Select(r => new[]
                        {
                            r.Fault, r.Schema, r.Unit, N(r.Injected), N(r.Detected), r.Recall.ToString("0.000", CultureInfo.InvariantCulture), N(r.CleanUnits),
                            N(r.FalsePositives), r.FalsePositiveRate.ToString("0.000%", CultureInfo.InvariantCulture), r.MeetsTarget ? "met" : "MISSED",
                        }));
                    Output.Rows("clean readings with any flag", ["schema", "readings", "flagged", "rate"],
                        result.CleanAnyFlag.Select(c => new[]
                        {
                            c.Key, N(c.Value.Readings), N(c.Value.Flagged), ((double)c.Value.Flagged / Math.Max(1, c.Value.Readings)).ToString("0.000%", CultureInfo.InvariantCulture),
                        }));
                }
                return result.Rows.All(r => r.MeetsTarget) ? 0 : 1;
            });

        var trainCsv = new Option<string>("--csv") { Description = "Clean readings of a device (a CSV as for device import) to learn from", Required = true };
        var trainSchema = new Option<string>("--schema") { Description = "Their schema: registered (id@version) or a schema file", Required = true };
        var trainFields = new Option<string>("--fields") { Description = "The fields the model reads, comma-separated, in order", Required = true };
        var trainOut = new Option<string>("--out") { Description = "Where to write the ONNX file", Required = true };
        var quantile = new Option<double>("--quantile") { Description = "The share of the training readings that score below the suggested threshold", DefaultValueFactory = _ => 0.999 };
        var train = new Command("train", "Train a multivariate model (the Mahalanobis distance of the fields from their mean, with their covariance) on clean readings and write it as an ONNX file;\n" +
                "prints its SHA-256 and a rule for a model file. Any ONNX model with one float [1, n] input and a score output works the same way.\n" +
                "Example: thingledger screening train --csv meter-7.csv --schema smart-meter@1 --fields import_wh,export_wh,battery_soc_pct --out meter.onnx")
            .With(trainCsv, trainSchema, trainFields, trainOut, quantile)
            .Runs(async (parse, cli, ct) =>
            {
                var schema = await SchemaAsync(cli, parse.GetValue(trainSchema)!, ct).ConfigureAwait(false);
                var fields = parse.GetValue(trainFields)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var indexes = fields.Select(f => schema.IndexOf(f) is >= 0 and var i ? i : throw new FormatException($"--fields: schema {schema.Ref} has no field '{f}'")).ToArray();
                var q = parse.GetValue(quantile);
                if (q is <= 0 or >= 1)
                {
                    throw new FormatException($"--quantile {q}: a share above 0 and below 1");
                }
                var rows = ReadingCsv.Read(parse.GetValue(trainCsv)!, schema).Where(r => r.Problem is null)
                    .Select(r => indexes.Select(i => r.Values![i] / Math.Pow(10, schema.Fields[i].Decimals)).ToArray()).ToList();
                var (onnx, scores) = MahalanobisOnnx.Train(rows);
                var output = parse.GetValue(trainOut)!;
                await File.WriteAllBytesAsync(output, onnx, ct).ConfigureAwait(false);
                var sorted = scores.Order().ToArray();
                var threshold = Math.Ceiling(sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))] * 1000) / 1000;
                var hash = Hash.Sha256(onnx);
                if (cli.Json)
                {
                    Output.Json(new Dictionary<string, string>
                    {
                        ["file"] = output,
                        ["sha256"] = hash.ToString(),
                        ["readings"] = rows.Count.ToString(CultureInfo.InvariantCulture),
                        ["fields"] = string.Join(',', fields),
                        ["threshold"] = threshold.ToString(CultureInfo.InvariantCulture),
                    });
                    return 0;
                }
                CliRunner.Success($"{output}: Mahalanobis distance over {string.Join(", ", fields)}, learned from {rows.Count:N0} readings, SHA-256 {hash}");
                Console.WriteLine($"{q:0.0%} of them score at most {threshold.ToString(CultureInfo.InvariantCulture)}; a rule for the model file:");
                Console.WriteLine($"  {{\"detector\": \"onnx\", \"fields\": [{string.Join(", ", fields.Select(f => $"\"{f}\""))}], \"file\": \"{Path.GetFileName(output)}\", \"threshold\": {threshold.ToString(CultureInfo.InvariantCulture)}}}");
                return 0;
            });

        var installFile = new Argument<string>("file") { Description = "An ONNX model file a registered model names" };
        var installFor = new Option<string>("--model") { Description = "Check first that this registered model (id@version) names exactly this file" };
        var install = new Command("install", "Install an ONNX model file on this node (<data>/models/{sha256}.onnx): the node screens with a registered model once every file it names is here.\n" +
                "Example: thingledger screening install meter.onnx --model meter-multi@1 --data ./chain")
            .With(installFile, installFor)
            .Runs(async (parse, cli, ct) =>
            {
                var path = parse.GetValue(installFile)!;
                var bytes = File.Exists(path) ? await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false) : throw new FormatException($"no file {path}");
                var hash = Hash.Sha256(bytes);
                if (parse.GetValue(installFor) is { } name)
                {
                    var (config, _) = await ModelAsync(cli, name, null, ct).ConfigureAwait(false);
                    var named = config.Rules.OfType<OnnxRule>().Select(r => r.File).ToList();
                    if (!named.Contains(hash))
                    {
                        throw new ThingLedgerException(TelemetryErrors.ModelFileMismatch, named.Count == 0
                            ? $"{name} has no ONNX rule"
                            : $"{path} hashes to {hash}; {name} registered {string.Join(", ", named)}: this is not the file it was registered with", 422);
                    }
                }
                var folder = Path.Combine(cli.DataDirectory, Node.Screening.Screener.FilesFolder);
                Directory.CreateDirectory(folder);
                var target = Path.Combine(folder, $"{hash}.onnx");
                await File.WriteAllBytesAsync(target + ".tmp", bytes, ct).ConfigureAwait(false);
                File.Move(target + ".tmp", target, overwrite: true);
                CliRunner.Success($"installed {path} as {target}");
                return 0;
            });

        return new Command("screening", "Screening models: flags on implausible, outlying, stuck, shifted or duplicated device readings.").With(models, show, register, eval, train, install);
    }

    private static async Task<int> EvalSyntheticAsync(CliContext cli, string modelName, string? schemaName, int devices, int days, int seed, long intervalMs, CancellationToken ct)
    {
        if (intervalMs is < 1_000 or > 86_400_000 || 86_400_000 % intervalMs != 0)
        {
            throw new FormatException($"--interval {intervalMs} ms: from 1 s to a day, and a whole number of readings per day");
        }
        var schema = schemaName is null ? null : await SchemaAsync(cli, schemaName, ct).ConfigureAwait(false);
        var (config, files) = await ModelAsync(cli, modelName, schema, ct).ConfigureAwait(false);
        schema ??= await SchemaAsync(cli, config.SchemaRef, ct).ConfigureAwait(false);
        var rows = SyntheticEval.Run(config, schema, devices, days, seed, (ulong)intervalMs, files);
        if (cli.Json)
        {
            WriteJsonObject(w =>
            {
                w.WriteString("model", config.Name);
                w.WriteNumber("devices", devices);
                w.WriteNumber("days", days);
                w.WriteNumber("seed", seed);
                w.WriteStartArray("rows");
                foreach (var r in rows)
                {
                    w.WriteStartObject();
                    w.WriteString("fault", r.Fault);
                    w.WriteString("field", r.Field);
                    w.WriteNumber("cleanReadings", r.CleanReadings);
                    WriteOutcome(w, r.Injected, r.Detected, r.Recall, r.FalsePositives, r.FalsePositiveRate, r.MeetsTarget);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
        }
        else
        {
            Output.Rows($"screening eval: {config.Name} on {devices} simulated {schema.Ref} devices, {days} days, seed {seed}",
                ["fault", "field", "injected", "flagged", "recall", "clean readings", "false positives (any flag)", "FP rate", "target"],
                rows.Select(r => new[]
                {
                    r.Fault, r.Field, N(r.Injected), N(r.Detected), r.Recall.ToString("0.000", CultureInfo.InvariantCulture), N(r.CleanReadings), N(r.FalsePositives),
                    r.FalsePositiveRate.ToString("0.000%", CultureInfo.InvariantCulture), r.MeetsTarget ? "met" : "MISSED",
                }));
        }
        return rows.All(r => r.MeetsTarget) ? 0 : 1;
    }

    private static async Task<int> EvalSeriesAsync(CliContext cli, string path, string labelsPath, string modelName, string? schemaName, double probation, string[] sweep, double maxFp,
        CancellationToken ct)
    {
        if (probation is < 0 or >= 1)
        {
            throw new FormatException($"--probation {probation}: a share from 0 to below 1");
        }
        var schema = schemaName is null ? null : await SchemaAsync(cli, schemaName, ct).ConfigureAwait(false);
        var (config, files) = await ModelAsync(cli, modelName, schema, ct).ConfigureAwait(false);
        schema ??= await SchemaAsync(cli, config.SchemaRef, ct).ConfigureAwait(false);
        if (config.SchemaRef != schema.Ref)
        {
            throw new FormatException($"model {config.Name} screens {config.SchemaRef}, not the series' {schema.Ref}");
        }
        var rows = ReadingCsv.Read(path, schema);
        var bad = rows.Where(r => r.Problem is null && r.Values!.Select((v, i) => v < schema.Fields[i].Min || v > schema.Fields[i].Max).Any(x => x)).ToList();
        rows = [.. rows.Select(r => bad.Contains(r) ? r with { Values = null, Code = TelemetryErrors.ReadingOutOfRange, Problem = $"a value is outside {schema.Ref}'s ranges (a node refuses the reading)" } : r)];
        var skipped = rows.Where(r => r.Problem is not null).ToList();
        var readings = rows.Where(r => r.Problem is null).Select(r => (r.Time, r.Values!)).ToList();
        if (readings.Count == 0)
        {
            throw new FormatException($"{path} holds no usable readings ({ReadingCsv.Summary(skipped)})");
        }
        var windows = SeriesEval.ReadLabels(labelsPath, path);
        var candidates = sweep.Length == 0 ? [(config.Name, config)] : SeriesEval.Sweep(config, schema, sweep);
        var results = new List<(string Settings, SeriesScore Score)>();
        foreach (var (settings, candidate) in candidates)
        {
            results.Add((settings, SeriesEval.Score(SeriesEval.Replay(candidate, schema, readings, files), windows, probation)));
        }
        var ranked = results.OrderByDescending(r => r.Score.FalsePositiveRate <= maxFp).ThenByDescending(r => r.Score.Recall)
            .ThenBy(r => r.Score.FalsePositiveRate).ThenByDescending(r => r.Score.Precision).ToList();
        if (cli.Json)
        {
            WriteSeriesJson(path, config, readings.Count, skipped, ranked, sweep.Length > 0);
            return 0;
        }
        if (skipped.Count > 0)
        {
            Output.Rows($"rows not replayed ({ReadingCsv.Summary(skipped)})", ["line", "code", "why"],
                skipped.Take(20).Select(r => new[] { r.Line.ToString(CultureInfo.InvariantCulture), r.Code, r.Problem }));
            if (skipped.Count > 20)
            {
                Console.WriteLine($"… and {skipped.Count - 20} more (--json lists them all)");
            }
        }
        var first = ranked[0].Score;
        Output.Rows($"screening eval: {config.Name} on {Path.GetFileName(path)}, {N(first.Readings)} readings ({N(first.Scored)} scored after a {probation:0%} probation), {first.Windows} windows",
            [sweep.Length > 0 ? "parameters" : "model", "windows detected", "recall", "flagged", "false positives", "FP rate", "precision"],
            ranked.Take(sweep.Length > 0 ? 20 : 1).Select(r => new[]
            {
                r.Settings, $"{r.Score.Detected} of {r.Score.Windows}", r.Score.Recall.ToString("0.000", CultureInfo.InvariantCulture), N(r.Score.Flagged),
                N(r.Score.FalsePositives), r.Score.FalsePositiveRate.ToString("0.000%", CultureInfo.InvariantCulture), r.Score.Precision.ToString("0.000", CultureInfo.InvariantCulture),
            }));
        Output.Rows($"flags by code{(sweep.Length > 0 ? " (" + ranked[0].Settings + ")" : string.Empty)}", ["code", "inside a window", "outside (false positives)"],
            ranked[0].Score.ByCode.Select(c => new[] { c.Key, N(c.Value.InWindows), N(c.Value.Outside) }));
        if (sweep.Length > 0)
        {
            Console.WriteLine(ranked[0].Score.FalsePositiveRate <= maxFp
                ? $"best within {maxFp:0.0%} false positives: {ranked[0].Settings}"
                : $"no combination stays within {maxFp:0.0%} false positives; the fewest: {ranked.OrderBy(r => r.Score.FalsePositiveRate).First().Settings}");
        }
        return 0;
    }

    private static void WriteSeriesJson(string path, ScreeningModelConfig config, int readings, List<ReadingCsv.Row> skipped, List<(string Settings, SeriesScore Score)> ranked, bool sweep)
    {
        WriteJsonObject(w =>
        {
            void Score(SeriesScore s)
            {
                w.WriteNumber("windows", s.Windows);
                w.WriteNumber("detected", s.Detected);
                w.WriteNumber("recall", Math.Round(s.Recall, 4));
                w.WriteNumber("scored", s.Scored);
                w.WriteNumber("flagged", s.Flagged);
                w.WriteNumber("falsePositives", s.FalsePositives);
                w.WriteNumber("falsePositiveRate", Math.Round(s.FalsePositiveRate, 6));
                w.WriteNumber("precision", Math.Round(s.Precision, 4));
                w.WriteStartObject("byCode");
                foreach (var (code, (inside, outside)) in s.ByCode)
                {
                    w.WriteStartObject(code);
                    w.WriteNumber("inWindows", inside);
                    w.WriteNumber("outside", outside);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteString("csv", path);
            w.WriteString("model", config.Name);
            w.WriteNumber("readings", readings);
            w.WriteStartArray("skipped");
            foreach (var r in skipped)
            {
                w.WriteStartObject();
                w.WriteNumber("line", r.Line);
                w.WriteString("code", r.Code);
                w.WriteString("message", r.Problem);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (sweep)
            {
                w.WriteStartArray("sweep");
                foreach (var (settings, score) in ranked)
                {
                    w.WriteStartObject();
                    w.WriteString("parameters", settings);
                    Score(score);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            else
            {
                Score(ranked[0].Score);
            }
        });
    }

    /// <summary>A schema on chain (id@version) or a schema file (as for `schema register --file`).</summary>
    internal static async Task<TelemetrySchema> SchemaAsync(CliContext cli, string name, CancellationToken ct) =>
        File.Exists(name)
            ? StrictJson.Deserialize(await File.ReadAllTextAsync(name, ct).ConfigureAwait(false), CliJsonContext.Default.TelemetrySchemaFile, name).ToSchema()
            : ReadingCsv.ToSchema(await ReadingCommands.SchemaAsync(cli, name, ct).ConfigureAwait(false));

    /// <summary>
    /// A model file, a model on chain (id@version, its parameters from the node) or a built-in
    /// model's id; with where its ONNX files are: beside a model file, else installed in
    /// &lt;data&gt;/models as a node keeps them.
    /// </summary>
    internal static async Task<(ScreeningModelConfig Config, Func<Hash, byte[]?> Files)> ModelAsync(CliContext cli, string name, TelemetrySchema? schema, CancellationToken ct)
    {
        if (File.Exists(name))
        {
            return await ModelFileAsync(cli, name, schema, ct).ConfigureAwait(false);
        }
        var installed = Installed(cli);
        if (name.Contains('@', StringComparison.Ordinal))
        {
            var registered = (await cli.Client.GetScreeningModelsAsync(ct).ConfigureAwait(false)).FirstOrDefault(m => m.Name == name)
                ?? throw new ThingLedgerException(TelemetryErrors.ModelNotFound, $"no screening model {name} is registered (thingledger screening models)", 404);
            return registered.Encoded is { } hex && ScreeningModelConfig.Decode(Convert.FromHexString(hex)) is { } config
                ? (config, installed)
                : throw new ThingLedgerException(TelemetryErrors.ModelNotFound, $"{name} is registered by its hash alone: its parameters are not on chain", 404);
        }
        return (BuiltInScreeningModels.All.FirstOrDefault(m => m.Id == name)
            ?? throw new FormatException($"'{name}' is no model file, no id@version and no built-in model (there are {string.Join(", ", BuiltInScreeningModels.All.Select(m => m.Id))})"), installed);
    }

    /// <summary>ONNX files installed in &lt;data&gt;/models, by hash.</summary>
    private static Func<Hash, byte[]?> Installed(CliContext cli) => hash =>
    {
        var path = Path.Combine(cli.DataDirectory, Node.Screening.Screener.FilesFolder, $"{hash}.onnx");
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    };

    /// <summary>A model file, read against <paramref name="schema"/> or, when null, the schema it names (from the node).</summary>
    private static async Task<(ScreeningModelConfig Config, Func<Hash, byte[]?> Files)> ModelFileAsync(CliContext cli, string path, TelemetrySchema? schema, CancellationToken ct)
    {
        var text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
        try
        {
            if (schema is null)
            {
                var named = System.Text.Json.Nodes.JsonNode.Parse(text)?["schema"]?.GetValue<string>() ?? throw new FormatException("the model names no \"schema\"");
                schema = await SchemaAsync(cli, named, ct).ConfigureAwait(false);
            }
            var config = ScreeningModelFile.Parse(text, schema, Path.GetDirectoryName(Path.GetFullPath(path)), out var files);
            var installed = Installed(cli);
            return (config, hash => files.TryGetValue(hash, out var bytes) ? bytes : installed(hash));
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw new FormatException($"{path}: {e.Message}");
        }
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static void WriteJson(ScreeningEvalResult result) => WriteJsonObject(w =>
    {
        w.WriteNumber("devices", result.Devices);
        w.WriteNumber("days", result.Days);
        w.WriteNumber("seed", result.Seed);
        w.WriteStartArray("rows");
        foreach (var r in result.Rows)
        {
            w.WriteStartObject();
            w.WriteString("fault", r.Fault);
            w.WriteString("schema", r.Schema);
            w.WriteString("unit", r.Unit);
            w.WriteNumber("cleanUnits", r.CleanUnits);
            WriteOutcome(w, r.Injected, r.Detected, r.Recall, r.FalsePositives, r.FalsePositiveRate, r.MeetsTarget);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>A fault row's outcome, as every simulator evaluation reports it.</summary>
    private static void WriteOutcome(Utf8JsonWriter w, int injected, int detected, double recall, long falsePositives, double rate, bool met)
    {
        w.WriteNumber("injected", injected);
        w.WriteNumber("flagged", detected);
        w.WriteNumber("recall", Math.Round(recall, 4));
        w.WriteNumber("falsePositives", falsePositives);
        w.WriteNumber("falsePositiveRate", Math.Round(rate, 6));
        w.WriteBoolean("met", met);
    }

    /// <summary>One indented JSON object on stdout, written by <paramref name="body"/>, and a newline.</summary>
    private static void WriteJsonObject(Action<Utf8JsonWriter> body)
    {
        using var stream = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }
}
