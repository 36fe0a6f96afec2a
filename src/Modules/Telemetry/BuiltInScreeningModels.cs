using ThingLedger.Core.Telemetry;

namespace ThingLedger.Execution.Modules.Telemetry;

/// <summary>
/// The screening models ThingLedger ships for its three device families, one per built-in
/// schema. Like the schemas they are not special on chain: an organisation registers them
/// (`thingledger screening register --builtin`, which the demo runs) before a node uses them.
/// Limits are in the schema's units; docs/SCREENING.md explains each and how they were measured.
/// </summary>
public static class BuiltInScreeningModels
{
    public static ScreeningModelConfig Ev { get; } = new("ev-screen", 1, "ev", 1,
    [
        new NonDecreasingRule(FlagCode.OdometerDecrease, "odometer_km"),
        // 200.0 km/h: no road car in the fleet reports more.
        new CeilingRule(FlagCode.SpeedImplausible, "speed_kmh", 2_000),
        // 90–600 Wh/km once at least 200 m were driven (energy_kwh is in Wh, distance_km in m).
        new RatioBandRule(FlagCode.EnergyPerKm, "energy_kwh", "distance_km", 90, 600, 200),
        // Faster than 120 %/h (fast DC charging) plus one point of rounding.
        new RateRule(FlagCode.SocJump, "soc_pct", Additive: false, MaxPerHour: 1_200, Tolerance: 10),
        // The odometer may not advance faster than 250 km/h plus 0.5 km of rounding.
        new RateRule(FlagCode.ImpossibleTravel, "odometer_km", Additive: false, MaxPerHour: 2_500, Tolerance: 5),
        // Two readings of a moving car (its odometer is in them) measured within 10 minutes.
        new DuplicateStreamRule(FlagCode.DuplicateStream, Window: 2, MaxLagMs: 600_000),
    ]);

    public static ScreeningModelConfig SmartMeter { get; } = new("smart-meter-screen", 1, "smart-meter", 1,
    [
        // A 10 kW household connection, plus 50 Wh of rounding.
        new RateRule(FlagCode.ExportAboveRating, "export_wh", Additive: true, MaxPerHour: 10_000, Tolerance: 50),
        // The home battery charges at most 100 %/h.
        new RateRule(FlagCode.SocJump, "battery_soc_pct", Additive: false, MaxPerHour: 1_000, Tolerance: 10),
        // Import against the same hour of previous days.
        new OutlierRule(FlagCode.Outlier, "import_wh", ThresholdTenths: 60, MinDeviation: 100, Hourly: true, Warmup: 6, AlphaPerMille: 100),
        // An hour of readings (four quarter-hours of import and export in Wh) measured within the same hour.
        new DuplicateStreamRule(FlagCode.DuplicateStream, Window: 4, MaxLagMs: 3_600_000),
    ]);

    /// <summary>
    /// Washing machines that report their drum's vibration (washer@2): a drum motor or bearing
    /// failing shakes the drum far beyond what a loaded spin does (docs/COMMERCE.md "Repairs from
    /// diagnosis"). washer@1 has no model: a detergent level and a cycle count carry too little to
    /// tell one machine's stream from another's, and nothing they report is physically impossible
    /// within the schema's ranges.
    /// </summary>
    public static ScreeningModelConfig Washer { get; } = new("washer-screen", 1, "washer", 2,
    [
        // A loaded spin peaks near 900 mg; a failing drum motor shakes it past 1.5 g.
        new RangeRule(FlagCode.ValueOutOfRange, "drum_vibration_mg", 0, 1_500),
    ]);

    /// <summary>The shipped models.</summary>
    public static IReadOnlyList<ScreeningModelConfig> All { get; } = [Ev, SmartMeter, Washer];

    /// <summary>The built-in model for a schema, if there is one.</summary>
    public static ScreeningModelConfig? ForSchema(string schema, ushort version) =>
        All.FirstOrDefault(m => m.Schema == schema && m.SchemaVersion == version);
}
