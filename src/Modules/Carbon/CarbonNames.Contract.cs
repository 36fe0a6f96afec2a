namespace ThingLedger.Execution.Modules.Carbon;

/// <summary>The carbon module's name and its operations' names, shared by the module and the SDK.</summary>
public static class CarbonNames
{
    public const string ModuleName = "carbon";
    public const string RegisterMethodology = "register-methodology";
    public const string Claim = "claim";
    public const string Verify = "verify";
    public const string Reject = "reject";
    public const string Retire = "retire";
}
