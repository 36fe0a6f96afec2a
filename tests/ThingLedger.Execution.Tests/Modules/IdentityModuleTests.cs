using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Identity;

namespace ThingLedger.Execution.Tests.Modules;

public class IdentityModuleTests
{
    [Fact]
    public void Genesis_admins_are_admins_of_their_organisation()
    {
        var chain = new TestChain();
        var member = IdentityModule.ReadMember(chain, chain.AcmeAdmin.Address);
        Assert.Equal("acme", member!.Org);
        Assert.Equal(Roles.All, member.Roles);
    }

    [Fact]
    public void An_admin_adds_changes_and_removes_a_member()
    {
        var chain = new TestChain();
        using var alice = KeyPair.Generate();
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, "identity", "add-member", new MemberRolesPayload("acme", alice.Address, Roles.DeviceManager))).Succeeded);
        Assert.Equal(Roles.DeviceManager, IdentityModule.ReadMember(chain, alice.Address)!.Roles);
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, "identity", "update-member", new MemberRolesPayload("acme", alice.Address, Roles.Operator | Roles.Auditor))).Succeeded);
        Assert.Equal(Roles.Operator | Roles.Auditor, IdentityModule.ReadMember(chain, alice.Address)!.Roles);
        var removed = chain.Run(chain.Tx(chain.AcmeAdmin, "identity", "remove-member", new RemoveMemberPayload("acme", alice.Address)));
        Assert.True(removed.Succeeded);
        Assert.Equal("member-removed", removed.Events[0].Name);
        Assert.Null(IdentityModule.ReadMember(chain, alice.Address));
        Assert.Null(chain.Get(IdentityModule.OrgMemberKey("acme", alice.Address)));
    }

    [Fact]
    public void Only_admins_of_that_organisation_manage_its_members()
    {
        var chain = new TestChain();
        using var alice = KeyPair.Generate();
        using var nobody = KeyPair.Generate();
        Assert.Equal(ErrorCodes.Unauthorised, chain.Run(chain.Tx(chain.GridAdmin, "identity", "add-member", new MemberRolesPayload("acme", alice.Address, Roles.Operator))).ErrorCode);
        Assert.Equal(ErrorCodes.Unauthorised, chain.Run(chain.Tx(nobody, "identity", "add-member", new MemberRolesPayload("acme", alice.Address, Roles.Operator))).ErrorCode);
        Assert.Equal(IdentityErrors.OrgNotFound, chain.Run(chain.Tx(chain.AcmeAdmin, "identity", "add-member", new MemberRolesPayload("nope", alice.Address, Roles.Operator))).ErrorCode);
        Assert.Null(IdentityModule.ReadMember(chain, alice.Address));
    }

    [Fact]
    public void Members_belong_to_one_organisation_and_roles_must_be_known()
    {
        var chain = new TestChain();
        Assert.Equal(IdentityErrors.MemberExists, chain.Run(chain.Tx(chain.GridAdmin, "identity", "add-member", new MemberRolesPayload("grid", chain.AcmeAdmin.Address, Roles.Operator))).ErrorCode);
        using var alice = KeyPair.Generate();
        Assert.Equal(IdentityErrors.InvalidRoles, chain.Run(chain.Tx(chain.AcmeAdmin, "identity", "add-member", new MemberRolesPayload("acme", alice.Address, Roles.None))).ErrorCode);
        Assert.Equal(IdentityErrors.InvalidRoles, chain.Run(chain.Tx(chain.AcmeAdmin, "identity", "add-member", new MemberRolesPayload("acme", alice.Address, (Roles)0x30))).ErrorCode);
        Assert.Equal(IdentityErrors.MemberNotFound, chain.Run(chain.Tx(chain.AcmeAdmin, "identity", "update-member", new MemberRolesPayload("acme", alice.Address, Roles.Operator))).ErrorCode);
    }

    [Fact]
    public void An_admin_cannot_remove_or_demote_themselves()
    {
        var chain = new TestChain();
        Assert.Equal(IdentityErrors.AdminSelfChange, chain.Run(chain.Tx(chain.AcmeAdmin, "identity", "remove-member", new RemoveMemberPayload("acme", chain.AcmeAdmin.Address))).ErrorCode);
        Assert.Equal(IdentityErrors.AdminSelfChange, chain.Run(chain.Tx(chain.AcmeAdmin, "identity", "update-member", new MemberRolesPayload("acme", chain.AcmeAdmin.Address, Roles.Operator))).ErrorCode);
        Assert.Equal(Roles.All, IdentityModule.ReadMember(chain, chain.AcmeAdmin.Address)!.Roles);
    }
}
