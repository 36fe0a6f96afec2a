using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Screening;

namespace ThingLedger.Cli.Simulation;

/// <summary>
/// One row of the screening evaluation: a fault type injected into one device family. Faults of
/// single readings are counted per reading; a duplicated stream, which condemns its device for the
/// day, per copied segment (found when any of its readings is flagged), with false positives per
/// clean device-day.
/// </summary>
internal sealed record ScreeningEvalRow(string Fault, string Schema, string Unit, int Injected, int Detected, long CleanUnits, long FalsePositives)
{
    public const double RecallTarget = 0.95;
    public const double FalsePositiveTarget = 0.01;

    public double Recall => Injected == 0 ? 0 : (double)Detected / Injected;

    public double FalsePositiveRate => CleanUnits == 0 ? 0 : (double)FalsePositives / CleanUnits;

    public bool MeetsTarget => Injected > 0 && Recall >= RecallTarget && FalsePositiveRate <= FalsePositiveTarget;
}

/// <summary>The whole evaluation: one row per fault type and family, and how often clean readings got any flag.</summary>
internal sealed record ScreeningEvalResult(List<ScreeningEvalRow> Rows, Dictionary<string, (long Readings, long Flagged)> CleanAnyFlag, int Devices, int Days, int Seed);

/// <summary>
/// Measures the built-in screening models against the simulator's device models: a clean fleet of
/// each family (false positives: clean readings that got the fault's code) and the same fleet with
/// faults injected into some devices (recall: injected readings that got the fault's code). Runs the
/// models directly, in the order a custodian would accept the readings (tick by tick, device by
/// device), without signing or storing anything: it measures the model, not the node.
/// </summary>
internal static class ScreeningEval
{
    /// <summary>EVs report every 10 s; they run this many days at most to keep the run short.</summary>
    public const int MaxEvDays = 2;

    private static readonly DateTime Start = new(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc);

    private static readonly Dictionary<string, FlagCode[]> FaultsBySchema = new()
    {
        ["ev"] = [FlagCode.OdometerDecrease, FlagCode.SpeedImplausible, FlagCode.EnergyPerKm, FlagCode.SocJump, FlagCode.ImpossibleTravel, FlagCode.DuplicateStream],
        ["smart-meter"] = [FlagCode.SocJump, FlagCode.ExportAboveRating, FlagCode.Outlier, FlagCode.DuplicateStream],
    };

    public static ScreeningEvalResult Run(int devicesPerFamily, int days, int seed, Action<string>? progress = null)
    {
        if (devicesPerFamily < 12 || days < 3)
        {
            throw new ArgumentException("the evaluation needs at least 12 devices per family (--devices) and 3 days (--days)");
        }
        var rows = new List<ScreeningEvalRow>();
        var clean = new Dictionary<string, (long, long)>();
        foreach (var (schemaId, faults) in FaultsBySchema)
        {
            progress?.Invoke($"screening {devicesPerFamily} simulated {schemaId} devices, clean and with faults");
            var config = BuiltInScreeningModels.ForSchema(schemaId, 1)!;
            var familyDays = schemaId == "ev" ? Math.Min(days, MaxEvDays) : days;
            var cleanRun = Simulate(config, devicesPerFamily, familyDays, seed, faults, inject: false);
            var faultyRun = Simulate(config, devicesPerFamily, familyDays, seed, faults, inject: true);
            clean[schemaId] = (cleanRun.Readings, cleanRun.AnyFlag);
            foreach (var fault in faults)
            {
                rows.Add(fault == FlagCode.DuplicateStream
                    ? new ScreeningEvalRow(FlagCodes.Text(fault), schemaId, "segment / device-day", faultyRun.Injected[fault], faultyRun.Detected[fault],
                        (long)devicesPerFamily * familyDays, cleanRun.DuplicateDeviceDays.Count)
                    : new ScreeningEvalRow(FlagCodes.Text(fault), schemaId, "reading", faultyRun.Injected[fault], faultyRun.Detected[fault],
                        cleanRun.Readings, cleanRun.FlaggedWith.GetValueOrDefault(fault)));
            }
        }
        return new ScreeningEvalResult(rows, clean, devicesPerFamily, days, seed);
    }

    private sealed class RunCounts
    {
        public long Readings { get; set; }
        public long AnyFlag { get; set; }
        public Dictionary<FlagCode, long> FlaggedWith { get; } = [];
        public HashSet<(int Device, uint Day)> DuplicateDeviceDays { get; } = [];
        public HashSet<(int Device, int Segment)> CopiedSegmentsFound { get; } = [];
        public Dictionary<FlagCode, int> Injected { get; } = Enum.GetValues<FlagCode>().ToDictionary(f => f, _ => 0);
        public Dictionary<FlagCode, int> Detected { get; } = Enum.GetValues<FlagCode>().ToDictionary(f => f, _ => 0);
    }

    /// <summary>
    /// One family's fleet for <paramref name="days"/>. With <paramref name="inject"/>, device i
    /// (except the first) misbehaves with fault i mod the family's fault count; a clone copies the
    /// device before it, which is screened first at every tick, as the original would be.
    /// </summary>
    private static RunCounts Simulate(ScreeningModelConfig config, int count, int days, int seed, FlagCode[] faults, bool inject)
    {
        var schema = BuiltInSchemas.Find(config.SchemaRef)!;
        var model = new ScreeningModel(config, schema);
        var random = new Random(seed ^ schema.Id.Length);
        var interval = schema.Id switch { "ev" => EvModel.Interval, "smart-meter" => MeterModel.Interval, _ => WasherModel.Interval };
        var devices = new List<(Address Id, DeviceModel Model, FlagCode? Fault)>();
        for (var i = 0; i < count; i++)
        {
            var deviceRandom = new Random(seed + (i * 7919));
            DeviceModel m = schema.Id switch { "ev" => new EvModel(deviceRandom), "smart-meter" => new MeterModel(deviceRandom), _ => new WasherModel(deviceRandom) };
            var id = new byte[Address.Size];
            BitConverter.TryWriteBytes(id.AsSpan(0, 4), i + 1);
            id[19] = (byte)schema.Id.Length;
            devices.Add((new Address(id), m, inject && i > 0 ? faults[i % faults.Length] : null));
        }
        var counts = new RunCounts();
        var ticks = (int)(TimeSpan.FromDays(days) / interval);
        var previous = new long[count][];
        var cloneLeft = new int[count];
        var segment = new int[count];
        for (var t = 1; t <= ticks; t++)
        {
            var time = Start + (interval * t);
            var ms = (ulong)new DateTimeOffset(time).ToUnixTimeMilliseconds();
            var current = new long[count][];
            for (var i = 0; i < count; i++)
            {
                var (id, deviceModel, fault) = devices[i];
                var values = deviceModel.Next(time);
                current[i] = values;
                var segmentsBefore = segment[i];
                var injected = fault is { } f && Inject(f, values, schema, random, t, ticks, previous, current, i, cloneLeft, segment);
                var screen = model.Screen(new Reading(id, (ulong)t, ms, schema.Id, schema.Version, values));
                counts.Readings++;
                counts.AnyFlag += screen.IsFlagged ? 1 : 0;
                foreach (var flag in screen.Flags)
                {
                    counts.FlaggedWith[flag.Code] = counts.FlaggedWith.GetValueOrDefault(flag.Code) + 1;
                    if (flag.Code == FlagCode.DuplicateStream)
                    {
                        counts.DuplicateDeviceDays.Add((i, DeviceSummary.DayOf(ms)));
                    }
                }
                var flagged = injected && screen.Flags.Any(x => x.Code == fault!.Value);
                if (injected && fault == FlagCode.DuplicateStream)
                {
                    counts.Injected[FlagCode.DuplicateStream] += segment[i] > segmentsBefore ? 1 : 0;
                    if (flagged && counts.CopiedSegmentsFound.Add((i, segment[i])))
                    {
                        counts.Detected[FlagCode.DuplicateStream]++;
                    }
                }
                else if (injected)
                {
                    counts.Injected[fault!.Value]++;
                    counts.Detected[fault.Value] += flagged ? 1 : 0;
                }
            }
            previous = current;
        }
        return counts;
    }

    /// <summary>Alters this tick's values of a faulty device; true when this reading now carries the fault.</summary>
    private static bool Inject(FlagCode fault, long[] values, Core.Telemetry.TelemetrySchema schema, Random random, int tick, int ticks,
        long[][] previous, long[][] current, int device, int[] cloneLeft, int[] segment)
    {
        int F(string name) => schema.IndexOf(name);
        // Single-reading faults hit about one reading in 150 of the device, none in the first day
        // (a model needs some history of a device before it can judge it).
        var warm = tick > ticks / 3;
        var hit = warm && random.NextDouble() < 1.0 / 150;
        switch (fault)
        {
            case FlagCode.OdometerDecrease when hit && values[F("odometer_km")] > 10_000:
                values[F("odometer_km")] -= random.Next(10, 5_000);
                return true;
            case FlagCode.SpeedImplausible when hit:
                values[F("speed_kmh")] = random.Next(2_100, 3_000);
                return true;
            case FlagCode.EnergyPerKm when warm && values[F("distance_km")] >= 200 && random.NextDouble() < 1.0 / 10:
                var energy = F("energy_kwh");
                values[energy] = random.NextDouble() < 0.5 ? values[energy] * random.Next(1, 4) / 10 : values[energy] * random.Next(4, 9);
                return true;
            case FlagCode.SocJump when hit && values[F(schema.Id == "ev" ? "soc_pct" : "battery_soc_pct")] <= 400:
                values[F(schema.Id == "ev" ? "soc_pct" : "battery_soc_pct")] += random.Next(400, 600);
                return true;
            case FlagCode.ImpossibleTravel when hit:
                values[F("odometer_km")] += random.Next(200, 5_000);
                return true;
            case FlagCode.ExportAboveRating when hit:
                values[F("export_wh")] = random.Next(3_000, 20_000);
                return true;
            case FlagCode.Outlier when hit:
                values[F("import_wh")] += random.Next(5_000, 20_000);
                return true;
            case FlagCode.DuplicateStream:
                // Segments of 60 readings copied from the device before, started only while that
                // device is active (an additive field moves: a car that drives, a meter that
                // imports or exports), since a stream that does not move shows nothing to copy.
                if (cloneLeft[device] == 0 && warm && previous[device - 1] is { } before && !before.AsSpan().SequenceEqual(current[device - 1]) &&
                    schema.AdditiveFields().Any(f => current[device - 1][f] != 0) && random.NextDouble() < 1.0 / 100)
                {
                    cloneLeft[device] = 60;
                    segment[device]++;
                }
                if (cloneLeft[device] > 0)
                {
                    cloneLeft[device]--;
                    current[device - 1].CopyTo(values, 0);
                    return true;
                }
                return false;
            default:
                return false;
        }
    }
}
