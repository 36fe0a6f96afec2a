using ThingLedger.Core.Telemetry;

namespace ThingLedger.Execution.Modules.Telemetry;

/// <summary>
/// The schemas of the device families ThingLedger ships with. They are not special on
/// chain: an organisation registers them like any other (the demo and `thingledger schema
/// register --builtin` do). Additive fields are quantities since the previous reading.
/// </summary>
public static class BuiltInSchemas
{
    public static TelemetrySchema Ev { get; } = new("ev", 1,
    [
        new("odometer_km", "km", 1, 0, 10_000_000, false),
        new("speed_kmh", "km/h", 1, 0, 3_000, false),
        new("energy_kwh", "kWh", 3, 0, 100_000, true),
        new("soc_pct", "%", 1, 0, 1_000, false),
        new("co2_g", "g", 0, 0, 1_000_000, true),
        new("distance_km", "km", 3, 0, 1_000_000, true),
        new("harsh_braking", "events", 0, 0, 100, true),
        new("crash", "events", 0, 0, 10, true),
    ]);

    /// <summary>What every smart-meter version measures: energy in and out since the previous reading, and the battery's level.</summary>
    private static SchemaField[] MeterFields() =>
    [
        new("import_wh", "Wh", 0, 0, 100_000, true),
        new("export_wh", "Wh", 0, 0, 100_000, true),
        new("battery_soc_pct", "%", 1, 0, 1_000, false),
    ];

    public static TelemetrySchema SmartMeter { get; } = new("smart-meter", 1, MeterFields());

    /// <summary>A smart meter summarised per quarter-hour, so what it imported and exported in each market interval is on chain (docs/ENERGY.md).</summary>
    public static TelemetrySchema SmartMeter2 { get; } = new("smart-meter", 2, MeterFields())
    { SummaryMinutes = 15 };

    /// <summary>A smart meter summarised per five minutes, for markets with five-minute intervals (and any multiple of five).</summary>
    public static TelemetrySchema SmartMeter3 { get; } = new("smart-meter", 3, MeterFields())
    { SummaryMinutes = 5 };

    public static TelemetrySchema Washer { get; } = new("washer", 1,
    [
        new("detergent_pct", "%", 1, 0, 1_000, false),
        new("cycles", "cycles", 0, 0, 100, true),
    ]);

    /// <summary>A washing machine that also reports its drum's vibration, so a failing drum motor can be diagnosed (docs/COMMERCE.md).</summary>
    public static TelemetrySchema Washer2 { get; } = new("washer", 2,
    [
        new("detergent_pct", "%", 1, 0, 1_000, false),
        new("cycles", "cycles", 0, 0, 100, true),
        new("drum_vibration_mg", "mg", 0, 0, 20_000, false),
    ]);

    /// <summary>An air purifier: the remaining life of its filter, the air it measures, and how long it ran.</summary>
    public static TelemetrySchema AirPurifier { get; } = new("air-purifier", 1,
    [
        new("filter_life_pct", "%", 1, 0, 1_000, false),
        new("pm25_ugm3", "ug/m3", 0, 0, 1_000, false),
        new("run_min", "min", 0, 0, 1_440, true),
    ]);

    public static IReadOnlyList<TelemetrySchema> All { get; } = [Ev, SmartMeter, SmartMeter2, SmartMeter3, Washer, Washer2, AirPurifier];

    /// <summary>A shipped schema by id (its first version: "washer" is washer@1) or by "id@version".</summary>
    public static TelemetrySchema? Find(string reference) =>
        All.FirstOrDefault(s => s.Id == reference) ?? All.FirstOrDefault(s => s.Ref == reference);
}
