using ThingLedger.Core.Telemetry;

namespace ThingLedger.Execution.Modules.Telemetry;

/// <summary>
/// The schemas of the three device families ThingLedger ships with. They are not special on
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

    public static TelemetrySchema SmartMeter { get; } = new("smart-meter", 1,
    [
        new("import_wh", "Wh", 0, 0, 100_000, true),
        new("export_wh", "Wh", 0, 0, 100_000, true),
        new("battery_soc_pct", "%", 1, 0, 1_000, false),
    ]);

    public static TelemetrySchema Washer { get; } = new("washer", 1,
    [
        new("detergent_pct", "%", 1, 0, 1_000, false),
        new("cycles", "cycles", 0, 0, 100, true),
    ]);

    public static IReadOnlyList<TelemetrySchema> All { get; } = [Ev, SmartMeter, Washer];

    public static TelemetrySchema? Find(string id) => All.FirstOrDefault(s => s.Id == id);
}
