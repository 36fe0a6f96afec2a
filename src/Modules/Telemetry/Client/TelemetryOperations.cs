using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Client;

/// <summary>The telemetry module's operations, ready to sign.</summary>
public static partial class Operations
{
    [Builds(TelemetryNames.ModuleName, TelemetryNames.RegisterSchema)]
    public static Operation RegisterSchema(TelemetrySchema schema) =>
        Operation.Of(TelemetryNames.ModuleName, TelemetryNames.RegisterSchema, schema);

    /// <summary>A custodian's anchor of the readings it ingested (a node builds and submits these itself).</summary>
    [Builds(TelemetryNames.ModuleName, TelemetryNames.Anchor, ByNode = true)]
    public static Operation Anchor(AnchorPayload anchor) =>
        Operation.Of(TelemetryNames.ModuleName, TelemetryNames.Anchor, anchor);

    [Builds(TelemetryNames.ModuleName, TelemetryNames.RegisterModel)]
    public static Operation RegisterModel(ModelRegistration model) =>
        Operation.Of(TelemetryNames.ModuleName, TelemetryNames.RegisterModel, model);
}
