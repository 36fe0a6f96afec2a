using System.Globalization;
using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;

namespace ThingLedger.Execution.Modules.Identity;

/// <summary>
/// Consortium membership (docs/CONSORTIUM.md "Membership"). An admin of a validating
/// organisation proposes adding or removing an organisation or changing the quorum, effective
/// at a stated future height; admins of other validating organisations approve. When the
/// approvals carry a quorum of the validators in force, the change is enacted: the next
/// validator set (epoch) is stored and announced in the receipt, and the organisation's
/// membership starts or ends at that height.
/// </summary>
public sealed partial class IdentityModule
{
    public const string ProposeMembership = IdentityNames.ProposeMembership;
    public const string ApproveMembership = IdentityNames.ApproveMembership;

    public const string ProposalsPrefix = "identity/proposal/";
    public static string ProposalKey(in Hash id) => $"{ProposalsPrefix}{id}";
    public static string EpochKey(ulong epoch) => $"identity/epoch/{epoch:D20}";
    public const string LatestEpochKey = "identity/epoch-latest";
    public static string OrgFromKey(string org) => $"identity/org-from/{org}";
    public static string OrgUntilKey(string org) => $"identity/org-until/{org}";

    public static ProposalRecord? ReadProposal(IStateReader state, in Hash id)
    {
        var bytes = state.Get(ProposalKey(id));
        return bytes is not null && Payload.TryDecode(bytes, ProposalRecord.Read, out var record) ? record : null;
    }

    public static EpochRecord? ReadEpoch(IStateReader state, ulong epoch)
    {
        var bytes = state.Get(EpochKey(epoch));
        return bytes is not null && Payload.TryDecode(bytes, EpochRecord.Read, out var record) ? record : null;
    }

    /// <summary>The number of the latest scheduled epoch (0 while only genesis validators exist).</summary>
    public static ulong ReadLatestEpoch(IStateReader state) => ReadHeight(state, LatestEpochKey) ?? 0;

    /// <summary>Every epoch stored in <paramref name="state"/>, oldest first.</summary>
    public static IReadOnlyList<EpochRecord> ReadEpochs(IStateReader state)
    {
        var latest = ReadLatestEpoch(state);
        var epochs = new List<EpochRecord>();
        for (ulong n = 0; n <= latest; n++)
        {
            epochs.Add(ReadEpoch(state, n) ?? throw new InvalidDataException($"state has no record of validator epoch {n} (latest is {latest})"));
        }
        return epochs;
    }

    public ValidatorSet ValidatorsAt(StateView state, ulong height) => ReadValidatorsAt(state, height);

    /// <summary>The validator set that certifies block <paramref name="height"/>, as <paramref name="state"/> records it.</summary>
    public static ValidatorSet ReadValidatorsAt(IStateReader state, ulong height)
    {
        for (var n = ReadLatestEpoch(state); ; n--)
        {
            var epoch = ReadEpoch(state, n) ?? throw new InvalidDataException($"state has no record of validator epoch {n}");
            if (epoch.Set.From <= height || n == 0)
            {
                return epoch.Set;
            }
        }
    }

    /// <summary>An organisation is a member from its start height (genesis, or when it was added) until it is removed.</summary>
    public static bool IsActive(IStateReader state, string org, ulong height)
    {
        if (state.Get(OrgKey(org)) is null)
        {
            return false;
        }
        if (ReadHeight(state, OrgFromKey(org)) is { } from && height < from)
        {
            return false;
        }
        return ReadHeight(state, OrgUntilKey(org)) is not { } until || height < until;
    }

    /// <summary>A u64 value (a height or an epoch number), or null when the key is absent.</summary>
    private static ulong? ReadHeight(IStateReader state, string key)
    {
        var bytes = state.Get(key);
        return bytes is { Length: 8 } ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes) : null;
    }

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    private static void InitEpochs(Genesis genesis, StateView state)
    {
        state.Set(EpochKey(0), Canonical.Encode(new EpochRecord(Hash.Zero, ValidatorSet.FromGenesis(genesis))));
        state.Set(LatestEpochKey, U64(0));
    }

    private static Outcome Propose(TxContext context, MembershipProposal p)
    {
        var voter = context.CheckGovernor();
        if (!voter.Succeeded)
        {
            return voter;
        }
        var next = NextSet(context, p, out var invalid);
        if (next is null)
        {
            return invalid;
        }
        var id = context.Tx.Id;
        var record = new ProposalRecord(p, context.Height, [context.SignerMembership!.Value.Org], 0);
        context.Emit(IdentityEvents.MembershipProposed,
            new("proposal", id.ToString()), new("action", MembershipProposal.ActionName(p.Action)), new("org", p.Org),
            new("effective-height", Text(p.EffectiveHeight)), new("by", record.Approvals[0]));
        return Decide(context, id, record, next);
    }

    private static Outcome Approve(TxContext context, ApproveMembershipPayload p)
    {
        var record = ReadProposal(context.State, p.Proposal);
        if (record is null)
        {
            return IdentityErrors.ProposalNotFound;
        }
        if (record.Enacted || record.Proposal.EffectiveHeight <= context.Height)
        {
            return IdentityErrors.ProposalClosed;
        }
        var voter = context.CheckGovernor();
        if (!voter.Succeeded)
        {
            return voter;
        }
        var org = context.SignerMembership!.Value.Org;
        if (record.Approvals.Contains(org, StringComparer.Ordinal))
        {
            return IdentityErrors.AlreadyApproved;
        }
        var next = NextSet(context, record.Proposal, out var invalid);
        if (next is null)
        {
            return invalid;
        }
        record = record with { Approvals = [.. record.Approvals.Append(org).Order(StringComparer.Ordinal)] };
        context.Emit(IdentityEvents.MembershipApproved, new("proposal", p.Proposal.ToString()), new("by", org));
        return Decide(context, p.Proposal, record, next);
    }

    /// <summary>Stores the proposal; enacts it when its approvals carry a quorum of the validators in force.</summary>
    private static Outcome Decide(TxContext context, in Hash id, ProposalRecord record, ValidatorSet next)
    {
        var current = context.Validators;
        if (current.IsQuorum(record.Approvals))
        {
            record = record with { EnactedEpoch = next.Epoch };
            Enact(context, record.Proposal, next);
        }
        context.State.Set(ProposalKey(id), Canonical.Encode(record));
        return Outcome.Ok;
    }

    private static void Enact(TxContext context, MembershipProposal p, ValidatorSet next)
    {
        var state = context.State;
        state.Set(EpochKey(next.Epoch), Canonical.Encode(new EpochRecord(context.Tx.Id, next)));
        state.Set(LatestEpochKey, U64(next.Epoch));
        switch (p.Action)
        {
            case MembershipAction.AddOrg:
                state.Set(OrgKey(p.Org), Canonical.Encode(new OrgRecord(p.Name)));
                state.Set(OrgFromKey(p.Org), U64(p.EffectiveHeight));
                foreach (var admin in p.Admins)
                {
                    PutMember(state, p.Org, admin.ToAddress(), Roles.All, p.EffectiveHeight);
                }
                break;
            case MembershipAction.RemoveOrg:
                state.Set(OrgUntilKey(p.Org), U64(p.EffectiveHeight));
                break;
        }
        context.Emit(IdentityEvents.MembershipScheduled,
            new(MembershipEvent.Epoch, Text(next.Epoch)), new(MembershipEvent.From, Text(next.From)),
            new(MembershipEvent.SetHash, next.ComputeHash().ToString()),
            new("action", MembershipProposal.ActionName(p.Action)), new("org", p.Org),
            new("validators", Text((ulong)next.Validators.Count)), new("quorum", Text((ulong)next.Quorum)));
    }

    /// <summary>
    /// The validator set the proposal would schedule after the latest one, or null with the code
    /// saying why it cannot: checked when proposed and again when enacted, since other changes
    /// may have been scheduled in between.
    /// </summary>
    private static ValidatorSet? NextSet(TxContext context, MembershipProposal p, out Outcome invalid)
    {
        var state = context.State;
        var latest = ReadEpoch(state, ReadLatestEpoch(state))!.Set;
        invalid = Outcome.Ok;
        if (p.EffectiveHeight <= context.Height || p.EffectiveHeight <= latest.From)
        {
            invalid = IdentityErrors.EffectiveHeightInvalid;
            return null;
        }
        List<GenesisValidator> validators = [.. latest.Validators];
        switch (p.Action)
        {
            case MembershipAction.AddOrg:
                if (!Identifiers.IsOrgId(p.Org) || p.Name.Length == 0 || !Identifiers.IsText(p.Name, 128) ||
                    p.Admins.Length == 0 || p.Admins.Any(a => !a.IsOnCurve()) || p.Admins.Distinct().Count() != p.Admins.Length ||
                    p.Validator is { } v && !v.IsOnCurve())
                {
                    invalid = ErrorCodes.InvalidArgument;
                    return null;
                }
                if (state.Contains(OrgKey(p.Org)))
                {
                    invalid = IdentityErrors.OrgExists;
                    return null;
                }
                if (p.Admins.Any(a => state.Contains(MemberKey(a.ToAddress()))))
                {
                    invalid = IdentityErrors.MemberExists;
                    return null;
                }
                if (p.Validator is not null)
                {
                    validators.Add(new GenesisValidator(p.Org, p.Validator));
                }
                break;
            case MembershipAction.RemoveOrg:
                if (!Identifiers.IsOrgId(p.Org) || !state.Contains(OrgKey(p.Org)))
                {
                    invalid = IdentityErrors.OrgNotFound;
                    return null;
                }
                if (state.Contains(OrgUntilKey(p.Org)))
                {
                    invalid = IdentityErrors.MembershipInvalid;
                    return null;
                }
                validators.RemoveAll(x => x.Org == p.Org);
                break;
            case MembershipAction.SetQuorum:
                if (p.Quorum == 0)
                {
                    invalid = IdentityErrors.MembershipInvalid;
                    return null;
                }
                break;
            default:
                invalid = ErrorCodes.InvalidArgument;
                return null;
        }
        var quorum = p.Quorum == 0 ? latest.Quorum : p.Quorum > int.MaxValue ? 0 : (int)p.Quorum;
        var next = new ValidatorSet(latest.Epoch + 1, p.EffectiveHeight, validators, quorum);
        if (next.Problem() is not null)
        {
            invalid = IdentityErrors.MembershipInvalid;
            return null;
        }
        return next;
    }

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
