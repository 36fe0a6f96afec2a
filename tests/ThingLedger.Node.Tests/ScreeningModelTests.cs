using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Screening;

namespace ThingLedger.Node.Tests;

/// <summary>The built-in screening models on hand-made readings: each rule fires on its fault and stays quiet on clean data.</summary>
public sealed class ScreeningModelTests
{
    private static readonly ulong T0 = (ulong)new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static Address Device(int n)
    {
        var bytes = new byte[Address.Size];
        bytes[0] = (byte)n;
        return new Address(bytes);
    }

    /// <summary>An EV reading 10 s after the previous: odometer (0.1 km), speed (0.1 km/h), energy (Wh), soc (0.1 %), co2, distance (m).</summary>
    private static Reading Ev(Address device, ulong seq, long odometer, long speed, long energy, long soc, long distance) =>
        new(device, seq, T0 + (seq * 10_000), "ev", 1, [odometer, speed, energy, soc, energy * 38 / 100, distance, 0, 0]);

    /// <summary>A car driving at 90 km/h: 250 m and 45 Wh per 10 s.</summary>
    private static List<Reading> Drive(Address device, int count, long startOdometer = 100_000) =>
        [.. Enumerable.Range(1, count).Select(i => Ev(device, (ulong)i, startOdometer + (i * 25 / 10), 900 + (i % 7), 45 + (i % 5), 700 - (i / 10), 250 + (i % 3)))];

    private static ScreeningModel EvModel() => new(BuiltInScreeningModels.Ev, BuiltInSchemas.Ev);

    private static FlagCode[] Codes(ReadingScreen screen) => [.. screen.Flags.Select(f => f.Code)];

    [Fact]
    public void A_plausible_drive_is_never_flagged()
    {
        var model = EvModel();
        Assert.All(Drive(Device(1), 500), r => Assert.Empty(model.Screen(r).Flags));
    }

    [Theory]
    [InlineData(0, -50, FlagCode.OdometerDecrease)] // odometer 5 km back
    [InlineData(1, 2_400, FlagCode.SpeedImplausible)] // 240 km/h
    [InlineData(2, 5, FlagCode.EnergyPerKm)] // 20 Wh/km
    [InlineData(3, 300, FlagCode.SocJump)] // +30 % in 10 s
    [InlineData(0, 2_000, FlagCode.ImpossibleTravel)] // 200 km in 10 s
    public void Each_physical_rule_flags_its_fault_and_the_next_good_reading_is_clean(int field, long change, FlagCode expected)
    {
        var model = EvModel();
        var drive = Drive(Device(1), 60);
        foreach (var r in drive.Take(40))
        {
            model.Screen(r);
        }
        var good = drive[40];
        var values = (long[])good.Values.Clone();
        values[field] = field is 1 ? change : field is 2 ? change : values[field] + change;
        var bad = new Reading(good.Device, good.Sequence, good.Timestamp, "ev", 1, values);

        var screen = model.Screen(bad);

        Assert.Contains(expected, Codes(screen));
        Assert.Equal(FlagCodes.MaxScore, screen.Flags.Single(f => f.Code == expected).Score);
        Assert.Empty(model.Screen(drive[41]).Flags);
    }

    [Fact]
    public void A_stream_copied_from_another_car_is_flagged_but_not_an_old_copy_or_a_parked_car()
    {
        var model = EvModel();
        var original = Drive(Device(1), 10);
        var parkedA = Enumerable.Range(1, 5).Select(i => Ev(Device(3), (ulong)i, 50_000, 0, 0, 500, 0)).ToList();
        var parkedB = Enumerable.Range(1, 5).Select(i => Ev(Device(4), (ulong)i, 50_000, 0, 0, 500, 0)).ToList();
        var screens = new List<ReadingScreen>();
        for (var i = 0; i < original.Count; i++)
        {
            Assert.Empty(model.Screen(original[i]).Flags);
            var copy = original[i];
            screens.Add(model.Screen(new Reading(Device(2), copy.Sequence, copy.Timestamp + 1_000, "ev", 1, copy.Values)));
        }
        Assert.Empty(screens[0].Flags);
        Assert.All(screens.Skip(1), s => Assert.Equal([FlagCode.DuplicateStream], Codes(s)));
        Assert.All(parkedA.Concat(parkedB), r => Assert.Empty(model.Screen(r).Flags));

        // The same values two hours later are not a concurrent copy.
        var late = Drive(Device(1), 10).Select(r => new Reading(Device(5), r.Sequence, r.Timestamp + 7_200_000, "ev", 1, r.Values));
        Assert.All(late, r => Assert.Empty(model.Screen(r).Flags));
    }

    [Fact]
    public void Meter_import_far_from_the_same_hour_of_previous_days_is_an_outlier()
    {
        var model = new ScreeningModel(BuiltInScreeningModels.SmartMeter, BuiltInSchemas.SmartMeter);
        var meter = Device(9);
        ulong seq = 0;
        Reading At(int day, int quarter, long import) =>
            new(meter, ++seq, T0 + ((ulong)day * DeviceSummary.DayMs) + ((ulong)quarter * 900_000), "smart-meter", 1, [import, 0, 500]);
        for (var day = 0; day < 4; day++)
        {
            for (var q = 0; q < 96; q++)
            {
                Assert.Empty(model.Screen(At(day, q, 300 + (q % 4 * 50) + (day * 10))).Flags);
            }
        }
        var spike = model.Screen(At(4, 20, 9_000));
        Assert.Equal([FlagCode.Outlier], Codes(spike));
        Assert.InRange(spike.Flags[0].Score, 600, FlagCodes.MaxScore);
        Assert.Empty(model.Screen(At(4, 21, 360)).Flags);
    }

    [Fact]
    public void A_model_survives_its_canonical_encoding_and_its_hash_is_pinned()
    {
        foreach (var config in BuiltInScreeningModels.All)
        {
            var decoded = ScreeningModelConfig.Decode(Canonical.Encode(config));
            Assert.NotNull(decoded);
            Assert.Equal(config.ParametersHash, decoded.ParametersHash);
            Assert.Equal(config.Rules, decoded.Rules);
        }
        // Changing any parameter changes the hash the chain holds.
        var tweaked = BuiltInScreeningModels.Ev with { Rules = [.. BuiltInScreeningModels.Ev.Rules.Skip(1)] };
        Assert.NotEqual(BuiltInScreeningModels.Ev.ParametersHash, tweaked.ParametersHash);
    }

    [Fact]
    public void A_rule_naming_a_field_the_schema_lacks_is_refused()
    {
        var config = new ScreeningModelConfig("bad", 1, "ev", 1, [new CeilingRule(FlagCode.SpeedImplausible, "velocity", 10)]);
        var e = Assert.Throws<ArgumentException>(() => new ScreeningModel(config, BuiltInSchemas.Ev));
        Assert.Contains("no field 'velocity'", e.Message, StringComparison.Ordinal);
    }
}
