using ThingLedger.Core.Crypto;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Identity;

namespace ThingLedger.Client;

/// <summary>The identity module's operations, ready to sign.</summary>
public static partial class Operations
{
    [Builds(IdentityNames.ModuleName, IdentityNames.AddMember)]
    public static Operation AddMember(string org, Address member, Roles roles) =>
        Operation.Of(IdentityNames.ModuleName, IdentityNames.AddMember, new MemberRolesPayload(org, member, roles));

    [Builds(IdentityNames.ModuleName, IdentityNames.UpdateMember)]
    public static Operation UpdateMember(string org, Address member, Roles roles) =>
        Operation.Of(IdentityNames.ModuleName, IdentityNames.UpdateMember, new MemberRolesPayload(org, member, roles));

    [Builds(IdentityNames.ModuleName, IdentityNames.RemoveMember)]
    public static Operation RemoveMember(string org, Address member) =>
        Operation.Of(IdentityNames.ModuleName, IdentityNames.RemoveMember, new RemoveMemberPayload(org, member));

    /// <summary>Proposes a consortium membership change (docs/CONSORTIUM.md "Membership"); the proposal's id is this tx's id.</summary>
    [Builds(IdentityNames.ModuleName, IdentityNames.ProposeMembership)]
    public static Operation ProposeMembership(MembershipProposal proposal) =>
        Operation.Of(IdentityNames.ModuleName, IdentityNames.ProposeMembership, proposal);

    [Builds(IdentityNames.ModuleName, IdentityNames.ApproveMembership)]
    public static Operation ApproveMembership(Hash proposal) =>
        Operation.Of(IdentityNames.ModuleName, IdentityNames.ApproveMembership, new ApproveMembershipPayload(proposal));
}
