namespace ThingLedger.Execution.Modules.Identity;

/// <summary>The identity module's name and its operations' names, shared by the module and the SDK.</summary>
public static class IdentityNames
{
    public const string ModuleName = "identity";
    public const string AddMember = "add-member";
    public const string UpdateMember = "update-member";
    public const string RemoveMember = "remove-member";
    public const string ProposeMembership = "propose-membership";
    public const string ApproveMembership = "approve-membership";
}
