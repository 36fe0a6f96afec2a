namespace ThingLedger.Execution.Modules.Telemetry;

/// <summary>The telemetry module's name and its operations' names, shared by the module and the SDK.</summary>
public static class TelemetryNames
{
    public const string ModuleName = "telemetry";
    public const string RegisterSchema = "register-schema";
    public const string Anchor = "anchor";
    public const string RegisterModel = "register-model";
}
