using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Telemetry;

/// <summary>The events the telemetry module emits, with the index topic of each attribute (docs/WIRE-FORMAT.md "Events").</summary>
public static class TelemetryEvents
{
    public static readonly EventType SchemaRegistered = new(TelemetryNames.ModuleName, "schema-registered",
        new("schema"), new("org"), new("fields"));

    public static readonly EventType ModelRegistered = new(TelemetryNames.ModuleName, "model-registered",
        new("model"), new("schema"), new("org"), new("parameters"));

    public static readonly EventType Anchored = new(TelemetryNames.ModuleName, "anchored",
        new("root"), new("custodian"), new("readings"), new("devices"));

    /// <summary>Why a model registration was refused (MODEL_INVALID, TELEMETRY_MODEL_VERSION_GAP, TELEMETRY_MODEL_NOT_OWNER).</summary>
    public static readonly EventType ModelRefused = new(TelemetryNames.ModuleName, "model-refused",
        new("model"), new("reason"));

    /// <summary>A schema's readings are screened by another model from now on.</summary>
    public static readonly EventType ScreeningChanged = new(TelemetryNames.ModuleName, "screening-changed",
        new("schema"), new("model"), new("org"));

    /// <summary>An anchor's readings include a historic import, with the operator who authorised it and whether that key is one of the custodian org's operators or admins at the anchor's height.</summary>
    public static readonly EventType HistoricImported = new(TelemetryNames.ModuleName, "historic-import",
        new("custodian"), new("operator", Topic.Address), new("readings"), new("authorised"));

    public static IReadOnlyList<EventType> All { get; } = [SchemaRegistered, ModelRegistered, Anchored, ModelRefused, ScreeningChanged, HistoricImported];
}
