using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Credentials;

namespace ThingLedger.Client;

/// <summary>The credentials module's operations, ready to sign (docs/IDENTITY.md).</summary>
public static partial class Operations
{
    private static Operation Credentials<T>(string operation, T payload) where T : Core.Codec.ICanonical =>
        Operation.Of(CredentialsNames.ModuleName, operation, payload);

    /// <summary>Creates the DID of the signing key's address with these methods and services; no controllers means the signer alone.</summary>
    [Builds(CredentialsNames.ModuleName, CredentialsNames.DidCreate)]
    public static Operation CreateDid(DidMethod[] methods, DidService[]? services = null, Address[]? controllers = null) =>
        Credentials(CredentialsNames.DidCreate, new DidCreatePayload(methods, services ?? [], controllers ?? []));

    /// <summary>Adds and removes methods of a DID; <paramref name="services"/> (when given) and <paramref name="controllers"/> (when any) replace the current ones.</summary>
    [Builds(CredentialsNames.ModuleName, CredentialsNames.DidUpdate)]
    public static Operation UpdateDid(Address did, DidMethod[] add, string[] remove, DidService[]? services = null, Address[]? controllers = null) =>
        Credentials(CredentialsNames.DidUpdate, new DidUpdatePayload(did, add, remove, services is not null, services ?? [], controllers ?? []));

    [Builds(CredentialsNames.ModuleName, CredentialsNames.DidDeactivate)]
    public static Operation DeactivateDid(Address did) => Credentials(CredentialsNames.DidDeactivate, new DidPayload(did));

    [Builds(CredentialsNames.ModuleName, CredentialsNames.Schema)]
    public static Operation RegisterCredentialSchema(string type, string title, SchemaClaim[] claims) =>
        Credentials(CredentialsNames.Schema, new SchemaPayload(type, title, claims));

    /// <summary>Proposes (as an admin of a validating organisation) to accredit an issuer for a type, or to withdraw that.</summary>
    [Builds(CredentialsNames.ModuleName, CredentialsNames.Accredit)]
    public static Operation ProposeAccreditation(AccreditAction action, Address issuer, string type) =>
        Credentials(CredentialsNames.Accredit, new AccreditPayload(action, issuer, type));

    [Builds(CredentialsNames.ModuleName, CredentialsNames.ApproveAccreditation)]
    public static Operation ApproveAccreditation(Hash proposal) => Credentials(CredentialsNames.ApproveAccreditation, new ApproveAccreditationPayload(proposal));

    [Builds(CredentialsNames.ModuleName, CredentialsNames.StatusList)]
    public static Operation CreateStatusList(Address issuer, string name, StatusPurpose purpose, uint size) =>
        Credentials(CredentialsNames.StatusList, new StatusListPayload(issuer, name, purpose, size));

    /// <summary>Sets (revokes or suspends) or clears (reinstates a suspension) entries of a status list.</summary>
    [Builds(CredentialsNames.ModuleName, CredentialsNames.StatusSet)]
    public static Operation SetCredentialStatus(Address issuer, string name, uint[] indices, bool value) =>
        Credentials(CredentialsNames.StatusSet, new StatusSetPayload(issuer, name, indices, value));
}
