namespace ThingLedger.Execution.Modules.AccessLogs;

/// <summary>The access module's name and its operations' names, shared by the module and the SDK (docs/ACCESS.md).</summary>
public static class AccessNames
{
    public const string ModuleName = "access";
    public const string Record = "record";
}
