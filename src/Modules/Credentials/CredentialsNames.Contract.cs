namespace ThingLedger.Execution.Modules.Credentials;

/// <summary>The credentials module's name and its operations' names, shared by the module and the SDK (docs/IDENTITY.md).</summary>
public static class CredentialsNames
{
    public const string ModuleName = "credentials";
    public const string DidCreate = "did-create";
    public const string DidUpdate = "did-update";
    public const string DidDeactivate = "did-deactivate";
    public const string Schema = "schema";
    public const string Accredit = "accredit";
    public const string ApproveAccreditation = "approve-accreditation";
    public const string StatusList = "status-list";
    public const string StatusSet = "status-set";

    /// <summary>The DID method: <c>did:thingledger:{address}</c>.</summary>
    public const string DidPrefix = "did:thingledger:";
}
