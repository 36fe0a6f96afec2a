using System.Globalization;
using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Contracts.Wasm;

namespace ThingLedger.Execution.Modules.Contracts;

/// <summary>
/// The lifecycle (docs/CONTRACTS.md "Lifecycle"), Fabric's chaincode lifecycle on chain: a deploy,
/// upgrade, freeze or unfreeze is a proposal by an admin of a validating organisation, which counts
/// as that organisation's approval; admins of other validating organisations approve it; when the
/// approvals carry the quorum of the validator set in force, it is enacted in the approving tx.
/// Everything is checked when proposed and again when enacted.
/// </summary>
public sealed partial class ContractsModule
{
    private Outcome Propose(TxContext context, ContractAction action, DeployPayload p)
    {
        var voter = context.CheckGovernor();
        if (!voter.Succeeded)
        {
            return voter;
        }
        var code = Hash.Zero;
        if (action is ContractAction.Deploy or ContractAction.Upgrade)
        {
            var invalid = CheckVersion(context, p);
            if (!invalid.Succeeded)
            {
                return invalid;
            }
            code = Hash.Sha256(p.Code);
            if (!context.State.Contains(CodeKey(code)))
            {
                context.State.Set(CodeKey(code), p.Code);
            }
        }
        var proposal = new ContractProposalRecord(action, p.Name, p.Version, code, p.Metadata, p.InitArgs, p.Policy, p.PolicyOrgs,
            context.Signer, context.Height, [context.SignerMembership!.Value.Org], 0);
        var check = CheckAction(context, proposal);
        if (!check.Succeeded)
        {
            return check;
        }
        context.Emit(ContractsEvents.Proposed, new("proposal", context.Tx.Id.ToString()), new("action", ActionName(action)), new("contract", p.Name),
            new("version", p.Version), new("code", code == Hash.Zero ? string.Empty : code.ToString()), new("by", proposal.Approvals[0]));
        return Decide(context, context.Tx.Id, proposal);
    }

    private Outcome Approve(TxContext context, ApproveContractPayload p)
    {
        if (ReadProposal(context.State, p.Proposal) is not { } proposal)
        {
            return ContractsErrors.ProposalNotFound;
        }
        if (proposal.Enacted)
        {
            return ContractsErrors.ProposalClosed;
        }
        var voter = context.CheckGovernor();
        if (!voter.Succeeded)
        {
            return voter;
        }
        var org = context.SignerMembership!.Value.Org;
        if (proposal.Approvals.Contains(org, StringComparer.Ordinal))
        {
            return ContractsErrors.AlreadyApproved;
        }
        var check = CheckAction(context, proposal);
        if (!check.Succeeded)
        {
            return check;
        }
        proposal = proposal with { Approvals = [.. proposal.Approvals.Append(org).Order(StringComparer.Ordinal)] };
        context.Emit(ContractsEvents.Approved, new("proposal", p.Proposal.ToString()), new("by", org));
        return Decide(context, p.Proposal, proposal);
    }

    public static string ActionName(ContractAction action) => action switch
    {
        ContractAction.Deploy => "deploy",
        ContractAction.Upgrade => "upgrade",
        ContractAction.Freeze => "freeze",
        ContractAction.Unfreeze => "unfreeze",
        _ => $"unknown ({(byte)action})",
    };

    /// <summary>A deploy's or upgrade's own content: name, version, code, metadata, init arguments, policy. Charges the compile gas.</summary>
    private static Outcome CheckVersion(TxContext context, DeployPayload p)
    {
        if (!Identifiers.IsModuleName(p.Name))
        {
            return ContractsErrors.NameInvalid;
        }
        if (!Identifiers.IsLabel(p.Version) || p.Version.Length > DeployPayload.MaxVersionLength)
        {
            return ContractsErrors.VersionInvalid;
        }
        if (p.Code.Length > ContractEngine.MaxCodeBytes)
        {
            return ContractsErrors.CodeTooLarge;
        }
        if (p.Metadata.Problem() is not null)
        {
            return ContractsErrors.MetadataInvalid;
        }
        if (p.Policy is not (CallPolicy.Anyone or CallPolicy.Members or CallPolicy.Orgs) || (p.Policy == CallPolicy.Orgs) != (p.PolicyOrgs.Length > 0)
            || p.PolicyOrgs.Any(o => !Identifiers.IsOrgId(o)) || p.PolicyOrgs.Distinct(StringComparer.Ordinal).Count() != p.PolicyOrgs.Length)
        {
            return ErrorCodes.InvalidArgument;
        }
        var setup = p.Metadata.Method(ContractMetadata.InitMethod);
        if (!ContractAbi.TryDecode(p.InitArgs, setup?.ArgTypes ?? [], out _))
        {
            return ContractsErrors.ArgsInvalid;
        }
        context.Gas.Charge((ulong)p.Code.Length * CompileGasPerByte);
        return ContractEngine.Shared.Check(p.Code, p.Metadata) is { } refused ? refused.Code : Outcome.Ok;
    }

    /// <summary>Whether the proposal can take effect in the current state (checked when proposed and when each approval arrives).</summary>
    private static Outcome CheckAction(TxContext context, ContractProposalRecord p)
    {
        var contract = ReadContract(context.State, p.Contract);
        return p.Action switch
        {
            ContractAction.Deploy => contract is null ? Outcome.Ok : ContractsErrors.Exists,
            ContractAction.Upgrade when contract is null => ContractsErrors.NotFound,
            ContractAction.Upgrade => contract.Version == p.Version || contract.Code == p.Code ? ContractsErrors.VersionInvalid : Outcome.Ok,
            ContractAction.Freeze when contract is null => ContractsErrors.NotFound,
            ContractAction.Freeze => contract.Frozen ? ContractsErrors.Frozen : Outcome.Ok,
            ContractAction.Unfreeze when contract is null => ContractsErrors.NotFound,
            ContractAction.Unfreeze => contract.Frozen ? Outcome.Ok : ContractsErrors.NotFrozen,
            _ => ErrorCodes.InvalidArgument,
        };
    }

    /// <summary>Stores the proposal; enacts it when its approvals carry a quorum of the validators in force.</summary>
    private Outcome Decide(TxContext context, Hash id, ContractProposalRecord proposal)
    {
        if (context.Validators.IsQuorum(proposal.Approvals))
        {
            proposal = proposal with { EnactedAt = context.Height };
            var enacted = Enact(context, id, proposal);
            if (!enacted.Succeeded)
            {
                return enacted;
            }
        }
        context.State.Set(ProposalKey(id), Canonical.Encode(proposal));
        return Outcome.Ok;
    }

    private Outcome Enact(TxContext context, Hash id, ContractProposalRecord p)
    {
        var existing = ReadContract(context.State, p.Contract);
        var address = AddressOf(p.Contract);
        var attributes = new EventAttribute[] { new("contract", p.Contract), new("address", address.ToString()) };
        switch (p.Action)
        {
            case ContractAction.Deploy or ContractAction.Upgrade:
                var versions = (existing?.Versions ?? 0) + 1;
                var record = new ContractRecord(p.Contract, address, p.Version, p.Code, p.Metadata, p.Policy, p.PolicyOrgs, false, versions,
                    existing?.DeployedAt ?? context.Height, context.Height);
                context.State.Set(ContractKey(p.Contract), Canonical.Encode(record));
                context.State.Set(VersionKey(p.Contract, versions), Canonical.Encode(new ContractVersionRecord(versions, p.Version, p.Code, id, p.Approvals, context.Height)));
                context.Emit(p.Action == ContractAction.Deploy ? ContractsEvents.Deployed : ContractsEvents.Upgraded,
                    [.. attributes, new("version", p.Version), new("code", p.Code.ToString()), new("proposal", id.ToString())]);
                // init runs when a version takes effect (a first deploy sets up state, an upgrade migrates it), as the enacting signer.
                if (p.Metadata.Method(ContractMetadata.InitMethod) is { } init)
                {
                    try
                    {
                        ContractFrame.Invoke(new ContractRun(context), _services, record, init, context.Signer, p.InitArgs);
                    }
                    catch (ContractAbort abort)
                    {
                        return abort.Outcome;
                    }
                }
                return Outcome.Ok;
            case ContractAction.Freeze or ContractAction.Unfreeze:
                var frozen = p.Action == ContractAction.Freeze;
                context.State.Set(ContractKey(p.Contract), Canonical.Encode(existing! with { Frozen = frozen, UpdatedAt = context.Height }));
                context.Emit(frozen ? ContractsEvents.Frozen : ContractsEvents.Unfrozen, [.. attributes, new("proposal", id.ToString())]);
                return Outcome.Ok;
            default:
                return ErrorCodes.InvalidArgument;
        }
    }

    internal static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
