using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.State;

namespace ThingLedger.Execution.Modules.Credentials;

/// <summary>
/// Where the credentials module keeps what (docs/IDENTITY.md "State"), and readers of it over any
/// state: the chain's, or a verifier's proven trust bundle.
/// </summary>
public static class CredentialsState
{
    public const string DidsPrefix = "credentials/did/";
    public const string SchemasPrefix = "credentials/schema/";
    public const string AccreditationsPrefix = "credentials/accreditation/";
    public const string ProposalsPrefix = "credentials/proposal/";
    public const string StatusListsPrefix = "credentials/status/";
    public const string StatusPagesPrefix = "credentials/status-page/";
    public const string MethodsRoot = "credentials/did-key/";

    public static string DidKey(Address did) => DidsPrefix + did;
    public static string MethodsPrefix(Address did) => $"{MethodsRoot}{did}/";
    public static string MethodKey(Address did, string fragment) => MethodsPrefix(did) + fragment;
    public static string SchemaKey(string type) => SchemasPrefix + type;
    public static string AccreditationKey(Address issuer, string type) => $"{AccreditationsPrefix}{issuer}/{type}";
    public static string ProposalKey(Hash id) => ProposalsPrefix + id;
    public static string StatusListKey(Address issuer, string name) => $"{StatusListsPrefix}{issuer}/{name}";
    public static string StatusPageKey(Address issuer, string name, uint page) => $"{StatusPagesPrefix}{issuer}/{name}/{page:D3}";

    public static DidRecord? ReadDid(IStateReader state, Address did) => Get(state, DidKey(did), DidRecord.Read);

    public static DidKeyRecord? ReadMethod(IStateReader state, Address did, string fragment) => Get(state, MethodKey(did, fragment), DidKeyRecord.Read);

    public static SchemaRecord? ReadSchema(IStateReader state, string type) => Get(state, SchemaKey(type), SchemaRecord.Read);

    public static AccreditationRecord? ReadAccreditation(IStateReader state, Address issuer, string type) => Get(state, AccreditationKey(issuer, type), AccreditationRecord.Read);

    public static AccreditationProposalRecord? ReadProposal(IStateReader state, Hash id) => Get(state, ProposalKey(id), AccreditationProposalRecord.Read);

    public static StatusListRecord? ReadStatusList(IStateReader state, Address issuer, string name) => Get(state, StatusListKey(issuer, name), StatusListRecord.Read);

    /// <summary>Page <paramref name="page"/> of the list (entries page × 131,072 onwards), or null while no entry of it was ever set (all zeros).</summary>
    public static byte[]? ReadStatusPage(IStateReader state, Address issuer, string name, uint page) => state.Get(StatusPageKey(issuer, name, page));

    /// <summary>The record at <paramref name="key"/>, or null when there is none or it does not decode exactly.</summary>
    public static T? Get<T>(IStateReader state, string key, CanonicalReader<T> read) where T : class
    {
        var bytes = state.Get(key);
        if (bytes is null)
        {
            return null;
        }
        var reader = new SpanReader(bytes);
        var value = read(ref reader);
        return reader.Finish() == CodecError.None ? value : null;
    }
}
