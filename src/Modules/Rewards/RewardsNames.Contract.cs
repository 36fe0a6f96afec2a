namespace ThingLedger.Execution.Modules.Rewards;

/// <summary>The rewards module's name and its operations' names, shared by the module and the SDK.</summary>
public static class RewardsNames
{
    public const string ModuleName = "rewards";
    public const string CreateOp = "create";
    public const string Enrol = "enrol";
    public const string ClaimOnboarding = "claim-onboarding";
    public const string Refer = "refer";
}
