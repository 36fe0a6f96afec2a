namespace ThingLedger.Execution.Modules.AccessLogs;

/// <summary>The access module's error codes (docs/ERRORS.md, "access"). Every code starts with <see cref="Prefix"/>.</summary>
public static class AccessErrors
{
    public const string Prefix = "ACCESS_";

    public const string KindInvalid = "ACCESS_KIND_INVALID";
}
