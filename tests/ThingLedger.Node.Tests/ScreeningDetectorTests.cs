using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Screening;

namespace ThingLedger.Node.Tests;

/// <summary>The detectors a member's model can use, on a one-field schema of a temperature sensor reporting every 15 minutes.</summary>
public sealed class ScreeningDetectorTests
{
    private static readonly ulong T0 = (ulong)new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static readonly TelemetrySchema Boiler = new("boiler", 1, [new SchemaField("temp_c", "°C", 1, -400, 2_000, false)]);

    private static readonly Address Device = new(new byte[Address.Size]);

    private static ScreeningModel Model(params ScreeningRule[] rules) => new(new ScreeningModelConfig("boiler-screen", 1, "boiler", 1, rules), Boiler);

    /// <summary>A daily cycle around 60.0 °C (±8), with deterministic noise of about ±0.5; tenths of a degree.</summary>
    private static long Clean(int i)
    {
        var hour = i / 4.0 % 24;
        var noise = (((i * 7_919) % 11) - 5) * 1.0;
        return (long)Math.Round(600 + (80 * Math.Sin(2 * Math.PI * hour / 24)) + noise);
    }

    private static List<bool> Run(ScreeningModel model, IEnumerable<long> values) =>
        [.. values.Select((v, i) => model.Screen(new Reading(Device, (ulong)i + 1, T0 + ((ulong)i * 900_000), "boiler", 1, [v])).IsFlagged)];

    private static SeasonalZRule SeasonalZ(long shiftAfter) => new(FlagCode.Outlier, "temp_c", 60, 5, Seasonality.HourOfDay, 6, 100, shiftAfter);

    private static CusumRule Cusum() => new(FlagCode.LevelShift, "temp_c", 5, 200, 5, Seasonality.HourOfDay, 96 * 3, 10);

    [Fact]
    public void No_detector_flags_a_clean_daily_cycle()
    {
        var flags = Run(Model(new RangeRule(FlagCode.ValueOutOfRange, "temp_c", -200, 1_500), SeasonalZ(12), Cusum(),
            new RateOfChangeRule(FlagCode.RateOfChange, "temp_c", 400, 20), new StuckRule(FlagCode.StuckValue, "temp_c", 12),
            new WindowedGaussianRule(FlagCode.Outlier, "temp_c", 96, 50, 5)), Enumerable.Range(0, 96 * 14).Select(Clean));
        Assert.DoesNotContain(true, flags);
    }

    [Fact]
    public void The_seasonal_z_score_flags_a_spike_and_after_a_confirmed_level_shift_stops_flagging()
    {
        var series = Enumerable.Range(0, 96 * 14).Select(i => Clean(i) + (i >= 96 * 10 ? 150 : 0)).ToList();
        series[96 * 7] += 200;
        var adapting = Run(Model(SeasonalZ(8)), series);
        Assert.True(adapting[96 * 7]);
        // Flagged while the shift is young; taken as the new level within two runs of 8 readings, then quiet.
        Assert.InRange(adapting.Skip(96 * 10).Count(f => f), 1, 16);
        Assert.DoesNotContain(true, adapting.Skip((96 * 10) + 16));

        // Without adaptation the same shift is flagged for days, which is what the old rule did.
        var stubborn = Run(Model(SeasonalZ(0)), series);
        Assert.True(stubborn.Skip(96 * 10).Count(f => f) > 96);
    }

    [Fact]
    public void Cusum_finds_a_slow_drift_that_no_single_reading_gives_away()
    {
        // 0.05 °C more every reading from day 8: after a day the sensor reads 4.8 °C high, never a jump.
        var series = Enumerable.Range(0, 96 * 12).Select(i => Clean(i) + (i >= 96 * 8 ? (i - (96 * 8)) / 2 : 0)).ToList();
        var flags = Run(Model(Cusum()), series);
        Assert.DoesNotContain(true, flags.Take(96 * 8));
        var first = flags.FindIndex(96 * 8, f => f);
        Assert.InRange(first, 96 * 8, (96 * 8) + 96);
        Assert.DoesNotContain(true, Run(Model(SeasonalZ(0)), series).Take((96 * 8) + 12).Skip(96 * 8));
    }

    [Fact]
    public void A_frozen_sensor_is_flagged_from_the_nth_equal_value_and_a_jump_either_way_by_its_rate()
    {
        var series = Enumerable.Range(0, 200).Select(Clean).ToList();
        for (var i = 100; i < 120; i++)
        {
            series[i] = 612;
        }
        var stuck = Run(Model(new StuckRule(FlagCode.StuckValue, "temp_c", 8)), series);
        Assert.Equal(Enumerable.Range(107, 13), stuck.Select((f, i) => (f, i)).Where(x => x.f).Select(x => x.i));

        series[150] += 300; // +30 °C in 15 min, and back
        var rate = Run(Model(new RateOfChangeRule(FlagCode.RateOfChange, "temp_c", 400, 20)), series);
        Assert.Equal([150, 151], rate.Select((f, i) => (f, i)).Where(x => x.f).Select(x => x.i));
    }

    [Fact]
    public void A_range_and_a_windowed_gaussian_flag_what_lies_outside_them()
    {
        var series = Enumerable.Range(0, 300).Select(Clean).ToList();
        series[200] = 1_800;
        series[250] = 1_500;
        var range = Run(Model(new RangeRule(FlagCode.ValueOutOfRange, "temp_c", -200, 1_500)), series);
        Assert.Equal([200], range.Select((f, i) => (f, i)).Where(x => x.f).Select(x => x.i));
        var gaussian = Run(Model(new WindowedGaussianRule(FlagCode.Outlier, "temp_c", 96, 50, 5)), series);
        Assert.True(gaussian[200] && gaussian[250]);
        Assert.Equal(2, gaussian.Count(f => f));
    }

    [Fact]
    public void A_model_whose_parameters_do_not_fit_its_schema_cannot_be_built()
    {
        var e = Assert.Throws<ArgumentException>(() => Model(new StuckRule(FlagCode.StuckValue, "pressure", 8)));
        Assert.Contains("no field 'pressure'", e.Message);
        Assert.Throws<ArgumentException>(() => Model(new SeasonalZRule(FlagCode.Outlier, "temp_c", 60, 0, Seasonality.None, 6, 100, 0)));
    }
}

/// <summary>A member's own ONNX model, run by ONNX Runtime at ingest, only from the very file its rule names.</summary>
public sealed class OnnxScreeningTests
{
    private static readonly TelemetrySchema Meter = new("meter", 1,
        [new SchemaField("import_wh", "Wh", 0, 0, 100_000, true), new SchemaField("export_wh", "Wh", 0, 0, 100_000, true)]);

    private static readonly Address Device = new(new byte[Address.Size]);

    /// <summary>Import falls as export rises with the sun: each alone is ordinary, both high at once is not.</summary>
    private static double[] Clean(int i)
    {
        var sun = Math.Max(0, Math.Sin(Math.PI * ((i % 96) - 24) / 48));
        var wobble = ((i * 7_919 % 21) - 10) * 2.0;
        return [Math.Round(300 - (250 * sun) + wobble), Math.Round((400 * sun) - wobble)];
    }

    private static (ScreeningModelConfig Config, byte[] File) Trained()
    {
        var (onnx, scores) = Client.MahalanobisOnnx.Train([.. Enumerable.Range(0, 2_000).Select(Clean)]);
        var threshold = (long)Math.Ceiling(scores.Max() * 1_500);
        return (new ScreeningModelConfig("meter-multi", 1, "meter", 1, [new OnnxRule(FlagCode.Outlier, ["import_wh", "export_wh"], Hash.Sha256(onnx), threshold)]), onnx);
    }

    private static bool Flagged(ScreeningModel model, ulong seq, long import, long export) =>
        model.Screen(new Reading(Device, seq, 1_700_000_000_000 + (seq * 900_000), "meter", 1, [import, export])).IsFlagged;

    [Fact]
    public void A_reading_whose_fields_no_longer_move_together_is_flagged_though_each_is_ordinary()
    {
        var (config, file) = Trained();
        using var model = new ScreeningModel(config, Meter, hash => hash == Hash.Sha256(file) ? file : null);
        Assert.DoesNotContain(true, Enumerable.Range(0, 500).Select(i => Flagged(model, (ulong)i + 1, (long)Clean(i)[0], (long)Clean(i)[1])));
        Assert.False(Flagged(model, 600, 300, 0));   // night: importing, not exporting
        Assert.False(Flagged(model, 601, 50, 400));  // noon: exporting, hardly importing
        Assert.True(Flagged(model, 602, 320, 380));  // both at once: the meter's two registers disagree
    }

    [Fact]
    public void A_node_runs_no_onnx_file_but_the_one_registered()
    {
        var (config, file) = Trained();
        var e = Assert.Throws<ArgumentException>(() => new ScreeningModel(config, Meter, _ => null));
        Assert.Contains("not installed", e.Message);
        var tampered = (byte[])file.Clone();
        tampered[^1] ^= 1;
        e = Assert.Throws<ArgumentException>(() => new ScreeningModel(config, Meter, _ => tampered));
        Assert.Contains("hashes to", e.Message);
        var junk = new byte[] { 1, 2, 3 };
        var junkConfig = config with { Rules = [new OnnxRule(FlagCode.Outlier, ["import_wh"], Hash.Sha256(junk), 1_000)] };
        e = Assert.Throws<ArgumentException>(() => new ScreeningModel(junkConfig, Meter, _ => junk));
        Assert.Contains("does not load", e.Message);
        var wrongInputs = config with { Rules = [new OnnxRule(FlagCode.Outlier, ["import_wh"], Hash.Sha256(file), 1_000)] };
        e = Assert.Throws<ArgumentException>(() => new ScreeningModel(wrongInputs, Meter, _ => file));
        Assert.Contains("not one float [1, 1]", e.Message);
    }
}
