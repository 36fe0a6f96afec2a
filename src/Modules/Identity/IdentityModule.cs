using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using F = ThingLedger.Execution.PayloadField;

namespace ThingLedger.Execution.Modules.Identity;

/// <summary>
/// Organisations (from genesis) and their members with roles. Org admins add, change and
/// remove members; an admin cannot remove or demote themselves, so every organisation keeps
/// at least one admin. Membership of the consortium itself changes by proposal and approval
/// (MembershipGovernance.cs).
/// </summary>
public sealed partial class IdentityModule : IModule, IMembershipDirectory
{
    public const string ModuleName = IdentityNames.ModuleName;
    public const string AddMember = IdentityNames.AddMember;
    public const string UpdateMember = IdentityNames.UpdateMember;
    public const string RemoveMember = IdentityNames.RemoveMember;

    public string Name => ModuleName;

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(IdentityErrors));

    public IReadOnlyList<EventType> Events => IdentityEvents.All;

    public IReadOnlyList<StateRecordType> StateRecords { get; } =
    [
        StateRecordType.Of(OrgsPrefix, "organisation", OrgRecord.Read),
        StateRecordType.Of("identity/member/", "member", MemberRecord.Read),
        StateRecordType.Marker("identity/org-member/", "index entry: a member of its organisation"),
        StateRecordType.Of(ProposalsPrefix, "membership proposal", ProposalRecord.Read),
        StateRecordType.Of("identity/epoch/", "validator set", EpochRecord.Read),
        StateRecordType.Number(LatestEpochKey, "latest validator epoch"),
    ];

    public OperationTable Operations => _operations ??= new OperationTable()
        .Add(AddMember, MemberRolesPayload.Read, Add, DescribeRoles, Access.Members)
        .Add(UpdateMember, MemberRolesPayload.Read, Update, DescribeRoles, Access.Members)
        .Add(RemoveMember, RemoveMemberPayload.Read, Remove, static p => [F.Org(p.Org), F.Account("member", p.Member)], Access.Members)
        .Add(ProposeMembership, MembershipProposal.Read, Propose, static p =>
            [F.Text("action", MembershipProposal.ActionName(p.Action)), F.Org(p.Org), F.Number("quorum", p.Quorum),
             F.Block("effective height", p.EffectiveHeight),
             F.Text("admins", p.Admins.Length == 0 ? "none" : string.Join(", ", p.Admins.Select(a => a.ToAddress().ToString())))], Access.Members)
        .Add(ApproveMembership, ApproveMembershipPayload.Read, Approve, static p => [F.Tx("proposal", p.Proposal)], Access.Members);

    private static F[] DescribeRoles(MemberRolesPayload p) => [F.Org(p.Org), F.Account("member", p.Member), F.Text("roles", RoleNames.Format(p.Roles))];

    private OperationTable? _operations;

    public static string OrgKey(string org) => $"identity/org/{org}";
    public static string MemberKey(Address member) => $"identity/member/{member}";
    public static string OrgMembersPrefix(string org) => $"identity/org-member/{org}/";
    public static string OrgMemberKey(string org, Address member) => OrgMembersPrefix(org) + member;
    public const string OrgsPrefix = "identity/org/";

    public bool OrgExists(Core.State.IStateReader state, string org) => state.Get(OrgKey(org)) is not null;

    public Membership? Find(StateView state, Address address, ulong height)
    {
        var record = ReadMember(state, address);
        return record is null || !IsActive(state, record.Org, height) ? null : new Membership(record.Org, record.Roles);
    }

    public static MemberRecord? ReadMember(Core.State.IStateReader state, Address address)
    {
        var bytes = state.Get(MemberKey(address));
        return bytes is not null && Payload.TryDecode(bytes, MemberRecord.Read, out var record) ? record : null;
    }

    public void InitGenesis(Genesis genesis, StateView state)
    {
        foreach (var org in genesis.Orgs)
        {
            state.Set(OrgKey(org.Id), Canonical.Encode(new OrgRecord(org.Name)));
            foreach (var admin in org.Admins)
            {
                PutMember(state, org.Id, admin.ToAddress(), Roles.All, 0);
            }
        }
        InitEpochs(genesis, state);
    }


    private static Outcome Add(TxContext context, MemberRolesPayload p)
    {
        var check = CheckAdmin(context, p.Org);
        if (!check.Succeeded)
        {
            return check;
        }
        if (!IsValid(p.Roles))
        {
            return IdentityErrors.InvalidRoles;
        }
        if (context.State.Contains(MemberKey(p.Member)))
        {
            return IdentityErrors.MemberExists;
        }
        PutMember(context.State, p.Org, p.Member, p.Roles, context.Height);
        context.Emit(IdentityEvents.MemberAdded, new("org", p.Org), new("member", p.Member.ToString()), new("roles", RoleNames.Format(p.Roles)));
        return Outcome.Ok;
    }

    private static Outcome Update(TxContext context, MemberRolesPayload p)
    {
        var check = CheckAdmin(context, p.Org);
        if (!check.Succeeded)
        {
            return check;
        }
        if (!IsValid(p.Roles))
        {
            return IdentityErrors.InvalidRoles;
        }
        var existing = ReadMember(context.State, p.Member);
        if (existing is null || existing.Org != p.Org)
        {
            return IdentityErrors.MemberNotFound;
        }
        if (p.Member == context.Signer && (p.Roles & Roles.Admin) == 0)
        {
            return IdentityErrors.AdminSelfChange;
        }
        PutMember(context.State, p.Org, p.Member, p.Roles, existing.Since);
        context.Emit(IdentityEvents.MemberUpdated, new("org", p.Org), new("member", p.Member.ToString()), new("roles", RoleNames.Format(p.Roles)));
        return Outcome.Ok;
    }

    private static Outcome Remove(TxContext context, RemoveMemberPayload p)
    {
        var check = CheckAdmin(context, p.Org);
        if (!check.Succeeded)
        {
            return check;
        }
        var existing = ReadMember(context.State, p.Member);
        if (existing is null || existing.Org != p.Org)
        {
            return IdentityErrors.MemberNotFound;
        }
        if (p.Member == context.Signer)
        {
            return IdentityErrors.AdminSelfChange;
        }
        context.State.Delete(MemberKey(p.Member));
        context.State.Delete(OrgMemberKey(p.Org, p.Member));
        context.Emit(IdentityEvents.MemberRemoved, new("org", p.Org), new("member", p.Member.ToString()));
        return Outcome.Ok;
    }

    private static Outcome CheckAdmin(TxContext context, string org)
    {
        if (!Identifiers.IsOrgId(org) || !IsActive(context.State, org, context.Height))
        {
            return IdentityErrors.OrgNotFound;
        }
        var signer = context.SignerMembership;
        return signer is { } m && m.Org == org && m.Has(Roles.Admin) ? Outcome.Ok : ErrorCodes.Unauthorised;
    }

    /// <summary>At least one role, and only known ones.</summary>
    private static bool IsValid(Roles roles) => roles != Roles.None && (roles & ~Roles.All) == 0;

    private static void PutMember(StateView state, string org, Address member, Roles roles, ulong since)
    {
        state.Set(MemberKey(member), Canonical.Encode(new MemberRecord(org, roles, since)));
        state.Set(OrgMemberKey(org, member), []);
    }
}
