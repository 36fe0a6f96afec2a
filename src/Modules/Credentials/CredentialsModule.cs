using System.Globalization;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using F = ThingLedger.Execution.PayloadField;

namespace ThingLedger.Execution.Modules.Credentials;

/// <summary>
/// Digital identity (docs/IDENTITY.md): <c>did:thingledger</c> DID documents with their key
/// history, credential schemas, the trust registry of accredited issuers (changed by a
/// governance quorum), and issuers' Bitstring Status Lists. No personal data is stored: the
/// credentials themselves never come on chain.
/// </summary>
public sealed partial class CredentialsModule : IModule
{
    public const string ModuleName = CredentialsNames.ModuleName;

    public string Name => ModuleName;

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(CredentialsErrors));

    public IReadOnlyList<EventType> Events => CredentialsEvents.All;

    public IReadOnlyList<StateRecordType> StateRecords { get; } =
    [
        StateRecordType.Of(CredentialsState.DidsPrefix, "DID", DidRecord.Read),
        StateRecordType.Of(CredentialsState.MethodsRoot, "DID verification method", DidKeyRecord.Read),
        StateRecordType.Of(CredentialsState.SchemasPrefix, "credential schema", SchemaRecord.Read),
        StateRecordType.Of(CredentialsState.AccreditationsPrefix, "accreditation", AccreditationRecord.Read),
        StateRecordType.Of(CredentialsState.ProposalsPrefix, "accreditation proposal", AccreditationProposalRecord.Read),
        StateRecordType.Of(CredentialsState.StatusListsPrefix, "status list", StatusListRecord.Read),
        StateRecordType.Decoded(CredentialsState.StatusPagesPrefix, "status list page", static bytes =>
            bytes.Length == CredentialRules.PageBytes ? $"{CountSet(bytes).ToString(CultureInfo.InvariantCulture)} of {CredentialRules.PageEntries} entries set" : null),
    ];

    public OperationTable Operations => _operations ??= new OperationTable()
        .Add(CredentialsNames.DidCreate, DidCreatePayload.Read, DoCreate, static p =>
            [F.Text("methods", string.Join(", ", p.Methods.Select(m => m.Fragment))), F.Number("services", p.Services.Length), F.Number("controllers", p.Controllers.Length)])
        .Add(CredentialsNames.DidUpdate, DidUpdatePayload.Read, DoUpdate, static p =>
            [DidLink(p.Did), F.Text("add", string.Join(", ", p.Add.Select(m => m.Fragment))), F.Text("remove", string.Join(", ", p.Remove)),
             F.Text("services", p.ReplaceServices ? p.Services.Length.ToString(CultureInfo.InvariantCulture) : "kept"),
             F.Text("controllers", p.Controllers.Length == 0 ? "kept" : string.Join(", ", p.Controllers))])
        .Add(CredentialsNames.DidDeactivate, DidPayload.Read, DoDeactivate, static p => [DidLink(p.Did)])
        .Add(CredentialsNames.Schema, SchemaPayload.Read, DoSchema, static p =>
            [F.Text("type", p.Type), F.Text("title", p.Title), F.Text("claims", string.Join(", ", p.Claims.Select(c => c.Disclosable ? c.Name : c.Name + " (fixed)")))], Access.Members)
        .Add(CredentialsNames.Accredit, AccreditPayload.Read, DoPropose, static p =>
            [F.Text("action", AccreditPayload.ActionName(p.Action)), DidLink(p.Issuer), F.Text("type", p.Type)], Access.Members)
        .Add(CredentialsNames.ApproveAccreditation, ApproveAccreditationPayload.Read, DoApprove, static p => [F.Tx("proposal", p.Proposal)], Access.Members)
        .Add(CredentialsNames.StatusList, StatusListPayload.Read, DoStatusList, static p =>
            [DidLink(p.Issuer, "issuer"), F.Text("list", p.Name), F.Text("purpose", StatusListPayload.PurposeName(p.Purpose)), F.Number("size", p.Size)])
        .Add(CredentialsNames.StatusSet, StatusSetPayload.Read, DoStatusSet, static p =>
            [DidLink(p.Issuer, "issuer"), F.Text("list", p.Name), F.Number("entries", p.Indices.Length), F.Text("value", p.Value ? "set" : "cleared")]);

    private OperationTable? _operations;

    public void InitGenesis(Genesis genesis, StateView state)
    {
    }

    private static F DidLink(Address did, string name = "did") => new(name, CredentialRules.Did(did), $"/id/{did}");

    /// <summary>How many bits of <paramref name="bytes"/> are set.</summary>
    public static int CountSet(ReadOnlySpan<byte> bytes)
    {
        var count = 0;
        foreach (var b in bytes)
        {
            count += System.Numerics.BitOperations.PopCount(b);
        }
        return count;
    }
}
