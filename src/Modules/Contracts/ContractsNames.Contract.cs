namespace ThingLedger.Execution.Modules.Contracts;

/// <summary>The contracts module's name and its operations' names, shared by the module and the SDK.</summary>
public static class ContractsNames
{
    public const string ModuleName = "contracts";
    public const string Deploy = "deploy";
    public const string Upgrade = "upgrade";
    public const string Freeze = "freeze";
    public const string Unfreeze = "unfreeze";
    public const string Approve = "approve";
    public const string Call = "call";
}
