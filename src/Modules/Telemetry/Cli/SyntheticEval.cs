using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Cli.Commands;

/// <summary>One fault type's result on a synthetic fleet of a member's schema.</summary>
internal sealed record SyntheticEvalRow(string Fault, string Field, int Injected, int Detected, long CleanReadings, long FalsePositives)
{
    public double Recall => Injected == 0 ? 0 : (double)Detected / Injected;

    public double FalsePositiveRate => CleanReadings == 0 ? 0 : (double)FalsePositives / CleanReadings;

    public bool MeetsTarget => Injected > 0 && Recall >= Simulation.ScreeningEvalRow.RecallTarget && FalsePositiveRate <= Simulation.ScreeningEvalRow.FalsePositiveTarget;
}

/// <summary>
/// `screening eval --schema S --model M`: the simulator's faults for any schema. A fleet of
/// devices reports the model's first field every interval as a daily cycle with noise, scaled to
/// the field's range; the same fleet is run clean (false positives: clean readings with any flag)
/// and with faults injected (recall: injected windows with any flag in them). The faults, in
/// units of σ = (max − min) / 400 of the field's schema range: a spike of 20σ (one reading), a
/// level shift of 12σ that stays (24 readings scored), a drift of 0.25σ per reading (96 readings),
/// a frozen value (48 readings); above the model's range when it has a range rule; and a copy of
/// another device's stream (60 readings) when it has a duplicate-stream rule. Faults start after
/// the first third of the run, two days apart, each device carrying one fault type.
/// </summary>
internal static class SyntheticEval
{
    private const double SigmasPerRange = 400;

    public static List<SyntheticEvalRow> Run(ScreeningModelConfig config, TelemetrySchema schema, int devices, int days, int seed, ulong intervalMs, Func<Hash, byte[]?>? files = null)
    {
        if (devices < 12 || days < 6)
        {
            throw new FormatException("the evaluation needs at least 12 devices (--devices) and 6 days (--days)");
        }
        var fieldName = config.Rules.SelectMany(r => r.Fields).FirstOrDefault() ?? schema.Fields[0].Name;
        var field = schema.IndexOf(fieldName);
        var faults = new List<string> { "SPIKE", "LEVEL_SHIFT", "DRIFT", "STUCK" };
        var range = config.Rules.OfType<RangeRule>().FirstOrDefault(r => r.Field == fieldName);
        if (range is not null)
        {
            faults.Add("OUT_OF_RANGE");
        }
        if (config.Rules.Any(r => r is DuplicateStreamRule))
        {
            faults.Add("DUPLICATE_STREAM");
        }
        var perDay = (int)(86_400_000 / intervalMs);
        var count = perDay * days;
        var fleet = Fleet(schema, field, devices, count, seed, intervalMs);

        // Clean run: every reading after the first third that got a flag is a false positive.
        var clean = Screen(config, schema, fleet, intervalMs, files);
        var scoredFrom = count / 3;
        long cleanReadings = 0, falsePositives = 0;
        foreach (var flags in clean)
        {
            for (var i = scoredFrom; i < count; i++)
            {
                cleanReadings++;
                falsePositives += flags[i] ? 1 : 0;
            }
        }

        // Faulty run: device d carries fault type d % faults, every two days from the first third on.
        var faulty = fleet.Select(series => (long[][])series.Clone()).ToArray();
        var windows = new List<(string Fault, int Device, int From, int To)>();
        var sigma = Math.Max(1, (schema.Fields[field].Max - schema.Fields[field].Min) / SigmasPerRange);
        for (var d = 0; d < devices; d++)
        {
            var fault = faults[d % faults.Count];
            for (var at = scoredFrom + (perDay / 2) + (d % perDay / 4); at + (2 * perDay) < count; at += 2 * perDay)
            {
                var (from, to) = Inject(fault, faulty, d, at, field, sigma, range, schema.Fields[field], devices);
                windows.Add((fault, d, from, to));
            }
        }
        var screened = Screen(config, schema, faulty, intervalMs, files);
        return [.. faults.Select(fault =>
        {
            var mine = windows.Where(w => w.Fault == fault).ToList();
            var detected = mine.Count(w => Enumerable.Range(w.From, w.To - w.From + 1).Any(i => screened[w.Device][i]));
            return new SyntheticEvalRow(fault, fieldName, mine.Count, detected, cleanReadings, falsePositives);
        })];
    }

    private static (int From, int To) Inject(string fault, long[][][] fleet, int device, int at, int field, double sigma, RangeRule? range, SchemaField f, int devices)
    {
        var series = fleet[device];
        long Clamp(double v) => (long)Math.Clamp(Math.Round(v), f.Min, f.Max);
        switch (fault)
        {
            case "SPIKE":
                series[at][field] = Clamp(series[at][field] + (20 * sigma));
                return (at, at);
            case "LEVEL_SHIFT":
                // Lasting: the rest of the run stays shifted, so later windows shift it further.
                for (var i = at; i < series.Length; i++)
                {
                    series[i][field] = Clamp(series[i][field] + (12 * sigma));
                }
                return (at, at + 23);
            case "DRIFT":
                for (var i = at; i < series.Length; i++)
                {
                    series[i][field] = Clamp(series[i][field] + (0.25 * sigma * Math.Min(i - at + 1, 96)));
                }
                return (at, at + 95);
            case "STUCK":
                for (var i = at + 1; i < at + 48; i++)
                {
                    series[i][field] = series[at][field];
                }
                return (at, at + 47);
            case "OUT_OF_RANGE":
                series[at][field] = Math.Min(f.Max, range!.Max + (long)Math.Max(1, sigma));
                return (at, at);
            default:
                // DUPLICATE_STREAM: the device reports another device's readings, value for value.
                var source = fleet[(device + 1) % devices];
                for (var i = at; i < at + 60; i++)
                {
                    series[i] = (long[])source[i].Clone();
                }
                return (at, at + 59);
        }
    }

    /// <summary>Per device, per reading: the field follows a daily cycle around its own level with Gaussian noise; additive fields count a daily shape.</summary>
    private static long[][][] Fleet(TelemetrySchema schema, int field, int devices, int count, int seed, ulong intervalMs)
    {
        var random = new Random(seed);
        var fleet = new long[devices][][];
        for (var d = 0; d < devices; d++)
        {
            var levels = schema.Fields.Select(f => f.Min + ((f.Max - f.Min) * (0.35 + (0.3 * random.NextDouble())))).ToArray();
            var phase = random.NextDouble() * 24;
            fleet[d] = new long[count][];
            for (var i = 0; i < count; i++)
            {
                var hour = ((i * (double)intervalMs / 3_600_000) + phase) % 24;
                var values = new long[schema.Fields.Length];
                for (var k = 0; k < values.Length; k++)
                {
                    var f = schema.Fields[k];
                    var sigma = Math.Max(1, (f.Max - f.Min) / SigmasPerRange);
                    var cycle = Math.Sin(2 * Math.PI * hour / 24);
                    var noise = Gaussian(random);
                    var v = f.Additive
                        ? Math.Max(0, (sigma * 10 * (1.2 + cycle)) + (sigma * noise))
                        : levels[k] + (10 * sigma * cycle) + (sigma * noise);
                    values[k] = (long)Math.Clamp(Math.Round(v), f.Min, f.Max);
                }
                fleet[d][i] = values;
            }
        }
        return fleet;
    }

    /// <summary>Screens the fleet tick by tick, device by device, as a custodian would accept it; true where a reading got any flag.</summary>
    private static bool[][] Screen(ScreeningModelConfig config, TelemetrySchema schema, long[][][] fleet, ulong intervalMs, Func<Hash, byte[]?>? files)
    {
        using var model = SeriesEval.Model(config, schema, files);
        var start = (ulong)new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var addresses = Enumerable.Range(0, fleet.Length).Select(d => new Address(Hash.Sha256(BitConverter.GetBytes(d)).ToArray().AsSpan(0, Address.Size))).ToArray();
        var flags = fleet.Select(series => new bool[series.Length]).ToArray();
        for (var i = 0; i < fleet[0].Length; i++)
        {
            for (var d = 0; d < fleet.Length; d++)
            {
                var reading = new Reading(addresses[d], (ulong)i + 1, start + ((ulong)i * intervalMs), schema.Id, schema.Version, fleet[d][i]);
                flags[d][i] = model.Screen(reading).IsFlagged;
            }
        }
        return flags;
    }

    private static double Gaussian(Random random)
    {
        var u = 1 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
