using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using ThingLedger.Cli.Simulation;
using ThingLedger.Client;
using ThingLedger.Node.Screening;

namespace ThingLedger.Cli.Commands;

/// <summary>screening models|register|eval: the models that flag device readings at ingest.</summary>
internal static class ScreeningCommands
{
    public static Command Create()
    {
        var models = new Command("models", "The built-in screening models, their rules and parameters hash, and which are registered on chain.\n" +
                "Example: thingledger screening models")
            .Runs(async (_, cli, ct) =>
            {
                var registered = (await cli.Client.GetScreeningModelsAsync(ct).ConfigureAwait(false)).ToDictionary(m => m.Name);
                if (cli.Json)
                {
                    Output.Json(registered.Values.ToList());
                    return 0;
                }
                Output.Rows("screening models", ["model", "schema", "parameters (SHA-256)", "on chain", "rules"],
                    BuiltInScreeningModels.All.Select(m => new[]
                    {
                        m.Name, m.SchemaRef, m.ParametersHash.ToString(),
                        registered.TryGetValue(m.Name, out var r)
                            ? r.Parameters == m.ParametersHash.ToString() ? $"by {r.Org} at block {r.Height}" : "registered with OTHER parameters"
                            : "not registered",
                        string.Join("; ", m.Rules.Select(rule => $"{Core.Telemetry.FlagCodes.Text(rule.Code)}: {rule.Describe()}")),
                    }));
                return 0;
            });

        var builtin = new Option<string>("--builtin")
        {
            Description = "A shipped model, or 'all': " + string.Join(", ", BuiltInScreeningModels.All.Select(m => m.Id)),
            Required = true,
        };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        var register = new Command("register", "Register a screening model on chain for your organisation (admin). Nodes screen a schema's readings once its model is registered.\n" +
                "Example: thingledger screening register --builtin all --as voltmotors-admin")
            .With(builtin, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var name = parse.GetValue(builtin)!;
                var chosen = name == "all"
                    ? BuiltInScreeningModels.All
                    : [BuiltInScreeningModels.All.FirstOrDefault(m => m.Id == name)
                        ?? throw new FormatException($"no built-in screening model '{name}' (there are {string.Join(", ", BuiltInScreeningModels.All.Select(m => m.Id))}, or all)")];
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
        var eval = new Command("eval", "Measure the built-in models against the simulator's injected faults: recall per fault type, false positives on clean data.\n" +
                $"Exits 1 when a row misses the target (recall ≥ {ScreeningEvalRow.RecallTarget:0.00}, false positives ≤ {ScreeningEvalRow.FalsePositiveTarget:0%}).\n" +
                "Example: thingledger screening eval --devices 36 --days 14")
            .With(devices, days, seed)
            .Runs((parse, cli, _) =>
            {
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
                return Task.FromResult(result.Rows.All(r => r.MeetsTarget) ? 0 : 1);
            });

        return new Command("screening", "Screening models: flags on implausible, outlying or duplicated device readings.").With(models, register, eval);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static void WriteJson(ScreeningEvalResult result)
    {
        using var stream = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
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
                w.WriteNumber("injected", r.Injected);
                w.WriteNumber("flagged", r.Detected);
                w.WriteNumber("recall", Math.Round(r.Recall, 4));
                w.WriteNumber("cleanUnits", r.CleanUnits);
                w.WriteNumber("falsePositives", r.FalsePositives);
                w.WriteNumber("falsePositiveRate", Math.Round(r.FalsePositiveRate, 6));
                w.WriteBoolean("met", r.MeetsTarget);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }
}
