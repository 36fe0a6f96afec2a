using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Identity;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Execution.Tests.Modules;

/// <summary>
/// Consortium membership changes: organisations a, b, c run validators (quorum 2), d does not.
/// </summary>
public class MembershipGovernanceTests
{
    private readonly TestChain _chain = TestChain.Consortium(validatorOrgs: 3, quorum: 2);

    private KeyPair A => _chain.Admins[0];
    private KeyPair B => _chain.Admins[1];
    private KeyPair C => _chain.Admins[2];
    private KeyPair D => _chain.Admins[3];

    private Transaction Propose(KeyPair admin, MembershipProposal proposal) =>
        _chain.Tx(admin, IdentityModule.ModuleName, IdentityModule.ProposeMembership, proposal);

    private Receipt Approve(KeyPair admin, Hash proposal) =>
        _chain.Run(_chain.Tx(admin, IdentityModule.ModuleName, IdentityModule.ApproveMembership, new ApproveMembershipPayload(proposal)));

    private static MembershipProposal SetQuorum(uint quorum, ulong at) => new(MembershipAction.SetQuorum, string.Empty, string.Empty, [], null, quorum, at);

    private static MembershipProposal RemoveOrg(string org, ulong at, uint quorum = 0) => new(MembershipAction.RemoveOrg, org, string.Empty, [], null, quorum, at);

    private static MembershipProposal AddOrg(string org, PublicKey admin, PublicKey? validator, ulong at, uint quorum = 0) =>
        new(MembershipAction.AddOrg, org, $"Org {org}", [admin], validator, quorum, at);

    private ValidatorSet SetAt(ulong height) => IdentityModule.ReadValidatorsAt(_chain, height);

    private void RunUntil(ulong height)
    {
        while (_chain.Height < height)
        {
            _chain.Block();
        }
    }

    [Fact]
    public void Genesis_validators_are_epoch_zero()
    {
        var set = SetAt(1);
        Assert.Equal(0ul, set.Epoch);
        Assert.Equal(2, set.Quorum);
        Assert.Equal(["a", "b", "c"], set.Validators.Select(v => v.Org).Order());
        Assert.Equal(0ul, IdentityModule.ReadLatestEpoch(_chain));
    }

    [Fact]
    public void A_change_is_enacted_when_a_quorum_approves_and_takes_effect_at_its_height()
    {
        var propose = Propose(A, SetQuorum(3, 10));
        var proposed = _chain.Run(propose);
        Assert.True(proposed.Succeeded);
        Assert.Equal(0ul, IdentityModule.ReadLatestEpoch(_chain));
        Assert.False(IdentityModule.ReadProposal(_chain, propose.Id)!.Enacted);

        var approved = Approve(B, propose.Id);
        Assert.True(approved.Succeeded);
        var scheduled = Array.Find(approved.Events, e => e.Name == MembershipEvent.Name)!;
        Assert.Equal("1", scheduled[MembershipEvent.Epoch]);
        Assert.Equal("10", scheduled[MembershipEvent.From]);
        var epoch = IdentityModule.ReadEpoch(_chain, 1)!;
        Assert.Equal(epoch.Set.ComputeHash().ToString(), scheduled[MembershipEvent.SetHash]);
        Assert.Equal(approved.TxId, epoch.ScheduledBy);
        Assert.True(IdentityModule.ReadProposal(_chain, propose.Id)!.Enacted);

        Assert.Equal(2, SetAt(9).Quorum);
        Assert.Equal(3, SetAt(10).Quorum);
        Assert.Equal(1ul, SetAt(10).Epoch);
    }

    [Fact]
    public void Removing_an_organisation_ends_its_validator_and_its_admins_authority_at_the_height()
    {
        var propose = Propose(A, RemoveOrg("c", 8));
        Assert.True(_chain.Run(propose).Succeeded);
        Assert.True(Approve(C, propose.Id).Succeeded);
        Assert.Equal(["a", "b"], SetAt(8).Validators.Select(v => v.Org).Order());
        Assert.Equal(2, SetAt(8).Quorum);

        using var member = KeyPair.Generate();
        Assert.True(_chain.Run(_chain.Tx(C, "identity", "add-member", new MemberRolesPayload("c", member.Address, Roles.Operator))).Succeeded);
        RunUntil(7);
        Assert.Equal(8ul, _chain.Height + 1);
        using var late = KeyPair.Generate();
        Assert.Equal(IdentityErrors.OrgNotFound, _chain.Run(_chain.Tx(C, "identity", "add-member", new MemberRolesPayload("c", late.Address, Roles.Operator))).ErrorCode);
        // Its former admin no longer takes part in governance either.
        Assert.Equal(ErrorCodes.Unauthorised, _chain.Run(Propose(C, SetQuorum(1, 50))).ErrorCode);
    }

    [Fact]
    public void An_added_organisation_gets_its_admins_and_validator_from_the_height()
    {
        using var admin = KeyPair.Generate();
        using var validator = KeyPair.Generate();
        var propose = Propose(B, AddOrg("e", admin.PublicKey, validator.PublicKey, 6, quorum: 3));
        Assert.True(_chain.Run(propose).Succeeded);
        Assert.True(Approve(A, propose.Id).Succeeded);
        Assert.Equal(4, SetAt(6).Validators.Count);
        Assert.Equal("e", SetAt(6).OrgOf(validator.PublicKey));
        Assert.Null(SetAt(5).OrgOf(validator.PublicKey));

        using var member = KeyPair.Generate();
        // Before the height the new organisation's admin has no authority.
        Assert.Equal(IdentityErrors.OrgNotFound, _chain.Run(_chain.Tx(admin, "identity", "add-member", new MemberRolesPayload("e", member.Address, Roles.Operator))).ErrorCode);
        RunUntil(5);
        Assert.True(_chain.Run(_chain.Tx(admin, "identity", "add-member", new MemberRolesPayload("e", member.Address, Roles.Operator))).Succeeded);
    }

    [Fact]
    public void An_added_validator_becomes_a_custodian_and_a_removed_one_stops()
    {
        using var admin = KeyPair.Generate();
        using var validator = KeyPair.Generate();
        var add = Propose(A, AddOrg("e", admin.PublicKey, validator.PublicKey, 7));
        Assert.True(_chain.Run(add).Succeeded);
        Assert.True(Approve(B, add.Id).Succeeded);
        var remove = Propose(A, RemoveOrg("b", 10));
        Assert.True(_chain.Run(remove).Succeeded);
        Assert.True(Approve(C, remove.Id).Succeeded);

        // An empty anchor: a custodian gets ANCHOR_INVALID, anyone else NOT_CUSTODIAN first.
        var anchor = new AnchorPayload(Hash.Sha256([1]), 0, 1, 2, 1, 0, []);
        var byNew = _chain.Tx(validator, TelemetryModule.ModuleName, TelemetryModule.Anchor, anchor);
        Assert.Equal(TelemetryErrors.NotCustodian, _chain.Run(byNew).ErrorCode);
        RunUntil(6);
        Assert.Equal(TelemetryErrors.AnchorInvalid, _chain.Run(_chain.Tx(validator, TelemetryModule.ModuleName, TelemetryModule.Anchor, anchor)).ErrorCode);
        Assert.Equal(TelemetryErrors.AnchorInvalid, _chain.Run(_chain.Tx(_chain.Validators[1], TelemetryModule.ModuleName, TelemetryModule.Anchor, anchor)).ErrorCode);
        // From height 10, b's validator is no longer a custodian.
        RunUntil(9);
        var byRemoved = _chain.Tx(_chain.Validators[1], TelemetryModule.ModuleName, TelemetryModule.Anchor, anchor);
        Assert.Equal(TelemetryErrors.NotCustodian, _chain.Run(byRemoved).ErrorCode);
    }

    [Fact]
    public void Only_admins_of_validating_organisations_propose_and_approve_once_each()
    {
        var propose = Propose(A, SetQuorum(3, 20));
        using var stranger = KeyPair.Generate();
        Assert.Equal(ErrorCodes.Unauthorised, _chain.Run(Propose(D, SetQuorum(3, 20))).ErrorCode);
        Assert.Equal(ErrorCodes.Unauthorised, _chain.Run(Propose(stranger, SetQuorum(3, 20))).ErrorCode);
        Assert.True(_chain.Run(propose).Succeeded);
        Assert.Equal(IdentityErrors.AlreadyApproved, Approve(A, propose.Id).ErrorCode);
        Assert.Equal(ErrorCodes.Unauthorised, Approve(D, propose.Id).ErrorCode);
        Assert.Equal(IdentityErrors.ProposalNotFound, Approve(B, Hash.Sha256([1])).ErrorCode);
        Assert.Equal(["a"], IdentityModule.ReadProposal(_chain, propose.Id)!.Approvals);
        Assert.Equal(0ul, IdentityModule.ReadLatestEpoch(_chain));
        Assert.True(Approve(B, propose.Id).Succeeded);
        Assert.Equal(IdentityErrors.ProposalClosed, Approve(C, propose.Id).ErrorCode);
    }

    [Fact]
    public void Invalid_changes_are_refused_and_change_nothing()
    {
        RunUntil(2);
        using var key = KeyPair.Generate();
        Assert.Equal(IdentityErrors.EffectiveHeightInvalid, _chain.Run(Propose(A, SetQuorum(3, 2))).ErrorCode);
        Assert.Equal(IdentityErrors.EffectiveHeightInvalid, _chain.Run(Propose(A, SetQuorum(3, 4))).ErrorCode);
        Assert.Equal(IdentityErrors.MembershipInvalid, _chain.Run(Propose(A, SetQuorum(4, 20))).ErrorCode);
        Assert.Equal(IdentityErrors.MembershipInvalid, _chain.Run(Propose(A, SetQuorum(0, 20))).ErrorCode);
        Assert.Equal(IdentityErrors.OrgExists, _chain.Run(Propose(A, AddOrg("d", key.PublicKey, null, 20))).ErrorCode);
        Assert.Equal(IdentityErrors.MemberExists, _chain.Run(Propose(A, AddOrg("e", D.PublicKey, null, 20))).ErrorCode);
        Assert.Equal(IdentityErrors.MembershipInvalid, _chain.Run(Propose(A, AddOrg("e", key.PublicKey, _chain.Validators[1].PublicKey, 20))).ErrorCode);
        Assert.Equal(ErrorCodes.InvalidArgument, _chain.Run(Propose(A, AddOrg("Not An Id", key.PublicKey, null, 20))).ErrorCode);
        Assert.Equal(IdentityErrors.OrgNotFound, _chain.Run(Propose(A, RemoveOrg("zz", 20))).ErrorCode);
        // Removing c leaves two validators, fewer than a quorum of 3.
        Assert.Equal(IdentityErrors.MembershipInvalid, _chain.Run(Propose(A, RemoveOrg("c", 20, quorum: 3))).ErrorCode);
        Assert.Equal(ErrorCodes.PayloadMalformed, _chain.Run(_chain.Tx(A, "identity", IdentityModule.ProposeMembership, new ApproveMembershipPayload(Hash.Zero))).ErrorCode);
        Assert.Equal(0ul, IdentityModule.ReadLatestEpoch(_chain));
        Assert.DoesNotContain(_chain.State.Keys, k => k.StartsWith("identity/proposal/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_proposal_expires_at_its_height_and_a_stale_one_is_rechecked_when_enacted()
    {
        var late = Propose(A, SetQuorum(3, 4));
        Assert.True(_chain.Run(late).Succeeded);
        RunUntil(4);
        Assert.Equal(IdentityErrors.ProposalClosed, Approve(B, late.Id).ErrorCode);

        // Two proposals for the same height: the first enacted wins, the second can no longer be.
        var first = Propose(A, SetQuorum(1, 30));
        var second = Propose(B, SetQuorum(3, 30));
        Assert.True(_chain.Run(first).Succeeded);
        Assert.True(_chain.Run(second).Succeeded);
        Assert.True(Approve(C, first.Id).Succeeded);
        Assert.Equal(IdentityErrors.EffectiveHeightInvalid, Approve(C, second.Id).ErrorCode);
        Assert.Equal(1, SetAt(30).Quorum);
    }
}
