using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Credentials;

namespace ThingLedger.Execution.Tests.Modules.Credentials;

/// <summary>DIDs, schemas, the trust registry and status lists on chain (docs/IDENTITY.md).</summary>
public class CredentialsModuleTests
{
    private const string M = CredentialsNames.ModuleName;

    /// <summary>Organisations a, b, c run validators (quorum 2), d does not.</summary>
    private readonly TestChain _chain = TestChain.Consortium(validatorOrgs: 3, quorum: 2);

    private static DidMethod Method(string fragment, KeyPair key, DidPurposes purposes = DidPurposes.All) => new(fragment, key.PublicKey, purposes);

    private Core.Ledger.Receipt Create(KeyPair key, params DidMethod[] methods) =>
        _chain.Run(_chain.Tx(key, M, CredentialsNames.DidCreate, new DidCreatePayload(methods.Length == 0 ? [Method("key-1", key)] : methods, [], [])));

    private Core.Ledger.Receipt Update(KeyPair signer, Address did, DidMethod[] add, string[] remove, Address[]? controllers = null) =>
        _chain.Run(_chain.Tx(signer, M, CredentialsNames.DidUpdate, new DidUpdatePayload(did, add, remove, false, [], controllers ?? [])));

    private Core.Ledger.Receipt Schema(KeyPair admin, string type = "ResidentCredential") =>
        _chain.Run(_chain.Tx(admin, M, CredentialsNames.Schema, new SchemaPayload(type, "Resident of the county",
            [new SchemaClaim("given_name", true), new SchemaClaim("age_over_18", true), new SchemaClaim("resident_of", false)])));

    [Fact]
    public void A_did_is_created_by_its_key_and_rotation_keeps_the_old_key_with_its_period()
    {
        using var issuer = KeyPair.Generate();
        using var next = KeyPair.Generate();
        Assert.True(Create(issuer).Succeeded);
        var record = CredentialsState.ReadDid(_chain, issuer.Address)!;
        Assert.Equal([issuer.Address], record.Controllers);
        Assert.True(record.Active);

        _chain.Clock += 60_000;
        Assert.True(Update(issuer, issuer.Address, [Method("key-2", next)], ["key-1"]).Succeeded);
        var old = CredentialsState.ReadMethod(_chain, issuer.Address, "key-1")!;
        var current = CredentialsState.ReadMethod(_chain, issuer.Address, "key-2")!;
        Assert.False(old.Current);
        Assert.True(old.ValidAt(old.Added));
        Assert.False(old.ValidAt(old.Removed));
        Assert.True(current.ValidAt(old.Removed));
        Assert.False(current.ValidAt(old.Added));
        Assert.Equal(["key-1", "key-2"], CredentialsState.ReadDid(_chain, issuer.Address)!.Fragments);
        Assert.Equal(2u, CredentialsState.ReadDid(_chain, issuer.Address)!.Version);
    }

    [Fact]
    public void Only_a_current_controller_updates_and_nothing_changes_a_deactivated_did()
    {
        using var issuer = KeyPair.Generate();
        using var stranger = KeyPair.Generate();
        using var next = KeyPair.Generate();
        Assert.True(Create(issuer).Succeeded);
        _chain.AssertRefused(CredentialsErrors.NotController, () => Update(stranger, issuer.Address, [Method("key-2", stranger)], []));
        _chain.AssertRefused(CredentialsErrors.DidExists, () => Create(issuer));
        _chain.AssertRefused(CredentialsErrors.KeyExists, () => Update(issuer, issuer.Address, [Method("key-1", next)], ["key-1"]));
        _chain.AssertRefused(CredentialsErrors.NoKeys, () => Update(issuer, issuer.Address, [], ["key-1"]));
        _chain.AssertRefused(CredentialsErrors.KeyNotFound, () => Update(issuer, issuer.Address, [], ["key-9"]));
        _chain.AssertRefused(CredentialsErrors.DidInvalid, () => Update(issuer, issuer.Address, [Method("key 2", next)], []));
        _chain.AssertRefused(CredentialsErrors.DidInvalid, () => Update(issuer, issuer.Address, [Method("key-2", next, DidPurposes.None)], []));

        // Handing control to another key: the old key is no longer a controller.
        Assert.True(Update(issuer, issuer.Address, [], [], [next.Address]).Succeeded);
        _chain.AssertRefused(CredentialsErrors.NotController, () => Update(issuer, issuer.Address, [Method("key-2", next)], []));
        Assert.True(_chain.Run(_chain.Tx(next, M, CredentialsNames.DidDeactivate, new DidPayload(issuer.Address))).Succeeded);
        Assert.False(CredentialsState.ReadDid(_chain, issuer.Address)!.Active);
        _chain.AssertRefused(CredentialsErrors.DidDeactivated, () => Update(next, issuer.Address, [Method("key-2", next)], []));
        _chain.AssertRefused(CredentialsErrors.DidNotFound, () => Update(stranger, stranger.Address, [], []));
    }

    [Fact]
    public void Schemas_are_registered_once_by_an_admin_with_valid_claims()
    {
        using var stranger = KeyPair.Generate();
        Assert.True(Schema(_chain.Admins[3]).Succeeded);
        Assert.Equal("d", CredentialsState.ReadSchema(_chain, "ResidentCredential")!.Org);
        _chain.AssertRefused(CredentialsErrors.SchemaExists, () => Schema(_chain.Admins[0]));
        _chain.AssertRefused(CredentialsErrors.SchemaInvalid, () => Schema(_chain.Admins[0], "residentCredential"));
        _chain.AssertRefused(CredentialsErrors.SchemaInvalid, () => _chain.Run(_chain.Tx(_chain.Admins[0], M, CredentialsNames.Schema,
            new SchemaPayload("KycCredential", "KYC", [new SchemaClaim("name", true), new SchemaClaim("name", false)]))));
        _chain.AssertRefused(CredentialsErrors.SchemaInvalid, () => _chain.Run(_chain.Tx(_chain.Admins[0], M, CredentialsNames.Schema,
            new SchemaPayload("KycCredential", "KYC", [new SchemaClaim("id", true)]))));
        _chain.AssertRefused(ErrorCodes.Unauthorised, () => Schema(stranger, "KycCredential"));
    }

    [Fact]
    public void Accreditation_takes_the_quorum_and_every_period_is_kept()
    {
        using var issuer = KeyPair.Generate();
        Assert.True(Create(issuer).Succeeded);
        Assert.True(Schema(_chain.Admins[0]).Succeeded);
        var accredit = new AccreditPayload(AccreditAction.Accredit, issuer.Address, "ResidentCredential");

        var propose = _chain.Tx(_chain.Admins[0], M, CredentialsNames.Accredit, accredit);
        Assert.True(_chain.Run(propose).Succeeded);
        Assert.Null(CredentialsState.ReadAccreditation(_chain, issuer.Address, "ResidentCredential"));
        _chain.AssertRefused(CredentialsErrors.AlreadyApproved, () => _chain.Run(_chain.Tx(_chain.Admins[0], M, CredentialsNames.ApproveAccreditation, new ApproveAccreditationPayload(propose.Id))));
        _chain.AssertRefused(ErrorCodes.Unauthorised, () => _chain.Run(_chain.Tx(_chain.Admins[3], M, CredentialsNames.ApproveAccreditation, new ApproveAccreditationPayload(propose.Id))));
        var approved = _chain.Run(_chain.Tx(_chain.Admins[1], M, CredentialsNames.ApproveAccreditation, new ApproveAccreditationPayload(propose.Id)));
        Assert.True(approved.Succeeded);
        Assert.Contains(approved.Events, e => e.Name == "issuer-accredited");
        var from = CredentialsState.ReadAccreditation(_chain, issuer.Address, "ResidentCredential")!.Periods.Single().From;
        _chain.AssertRefused(CredentialsErrors.ProposalClosed, () => _chain.Run(_chain.Tx(_chain.Admins[2], M, CredentialsNames.ApproveAccreditation, new ApproveAccreditationPayload(propose.Id))));
        _chain.AssertRefused(CredentialsErrors.AlreadyAccredited, () => _chain.Run(_chain.Tx(_chain.Admins[2], M, CredentialsNames.Accredit, accredit)));

        _chain.Clock += 3_600_000;
        var withdraw = _chain.Tx(_chain.Admins[2], M, CredentialsNames.Accredit, accredit with { Action = AccreditAction.Withdraw });
        Assert.True(_chain.Run(withdraw).Succeeded);
        Assert.True(_chain.Run(_chain.Tx(_chain.Admins[0], M, CredentialsNames.ApproveAccreditation, new ApproveAccreditationPayload(withdraw.Id))).Succeeded);
        var record = CredentialsState.ReadAccreditation(_chain, issuer.Address, "ResidentCredential")!;
        Assert.False(record.Open);
        Assert.True(record.Covers(from));
        Assert.False(record.Covers(record.Periods[0].Until));
        Assert.False(record.Covers(from - 1));
        _chain.AssertRefused(CredentialsErrors.NotAccredited, () => _chain.Run(_chain.Tx(_chain.Admins[2], M, CredentialsNames.Accredit, accredit with { Action = AccreditAction.Withdraw })));
    }

    [Fact]
    public void Accreditation_needs_a_registered_type_and_an_active_issuer()
    {
        using var issuer = KeyPair.Generate();
        _chain.AssertRefused(CredentialsErrors.SchemaNotFound, () => _chain.Run(_chain.Tx(_chain.Admins[0], M, CredentialsNames.Accredit, new AccreditPayload(AccreditAction.Accredit, issuer.Address, "ResidentCredential"))));
        Assert.True(Schema(_chain.Admins[0]).Succeeded);
        _chain.AssertRefused(CredentialsErrors.DidNotFound, () => _chain.Run(_chain.Tx(_chain.Admins[0], M, CredentialsNames.Accredit, new AccreditPayload(AccreditAction.Accredit, issuer.Address, "ResidentCredential"))));
        Assert.True(Create(issuer).Succeeded);
        Assert.True(_chain.Run(_chain.Tx(issuer, M, CredentialsNames.DidDeactivate, new DidPayload(issuer.Address))).Succeeded);
        _chain.AssertRefused(CredentialsErrors.DidDeactivated, () => _chain.Run(_chain.Tx(_chain.Admins[0], M, CredentialsNames.Accredit, new AccreditPayload(AccreditAction.Accredit, issuer.Address, "ResidentCredential"))));
        _chain.AssertRefused(CredentialsErrors.ActionInvalid, () => _chain.Run(_chain.Tx(_chain.Admins[0], M, CredentialsNames.Accredit, new AccreditPayload((AccreditAction)9, issuer.Address, "ResidentCredential"))));
    }

    [Fact]
    public void Status_lists_set_bits_by_page_revocation_is_final_and_suspension_clears()
    {
        using var issuer = KeyPair.Generate();
        using var stranger = KeyPair.Generate();
        Assert.True(Create(issuer).Succeeded);
        var list = (string name, StatusPurpose purpose, uint size) => _chain.Run(_chain.Tx(issuer, M, CredentialsNames.StatusList, new StatusListPayload(issuer.Address, name, purpose, size)));
        var set = (KeyPair signer, string name, uint[] indices, bool value) => _chain.Run(_chain.Tx(signer, M, CredentialsNames.StatusSet, new StatusSetPayload(issuer.Address, name, indices, value)));
        _chain.AssertRefused(CredentialsErrors.StatusListInvalid, () => list("rev", StatusPurpose.Revocation, 100_000));
        _chain.AssertRefused(CredentialsErrors.StatusListInvalid, () => list("rev", StatusPurpose.Revocation, 131_073));
        _chain.AssertRefused(CredentialsErrors.StatusListInvalid, () => list("Rev", StatusPurpose.Revocation, 131_072));
        Assert.True(list("rev", StatusPurpose.Revocation, 1_048_576).Succeeded);
        Assert.True(list("sus", StatusPurpose.Suspension, 131_072).Succeeded);
        _chain.AssertRefused(CredentialsErrors.StatusListExists, () => list("rev", StatusPurpose.Revocation, 131_072));
        Assert.Null(CredentialsState.ReadStatusPage(_chain, issuer.Address, "rev", 0));

        Assert.True(set(issuer, "rev", [0, 7, 131_072 * 7 + 5], true).Succeeded);
        var first = CredentialsState.ReadStatusPage(_chain, issuer.Address, "rev", 0)!;
        Assert.Equal(0x81, first[0]);
        Assert.True(CredentialRules.IsSet(CredentialsState.ReadStatusPage(_chain, issuer.Address, "rev", 7), 131_072 * 7 + 5));
        Assert.Null(CredentialsState.ReadStatusPage(_chain, issuer.Address, "rev", 3));
        Assert.Equal(3u, CredentialsState.ReadStatusList(_chain, issuer.Address, "rev")!.Set);
        Assert.True(set(issuer, "rev", [7], true).Succeeded);
        Assert.Equal(3u, CredentialsState.ReadStatusList(_chain, issuer.Address, "rev")!.Set);
        _chain.AssertRefused(CredentialsErrors.StatusFinal, () => set(issuer, "rev", [7], false));
        _chain.AssertRefused(CredentialsErrors.StatusIndexInvalid, () => set(issuer, "rev", [1_048_576], true));
        // A change to a page already set, then an index past the end: the whole tx changes nothing.
        _chain.AssertRefused(CredentialsErrors.StatusIndexInvalid, () => set(issuer, "rev", [1, 131_072 * 7 + 6, 1_048_576], true));
        Assert.False(CredentialRules.IsSet(CredentialsState.ReadStatusPage(_chain, issuer.Address, "rev", 0), 1));
        _chain.AssertRefused(CredentialsErrors.StatusIndexInvalid, () => set(issuer, "rev", [], true));
        _chain.AssertRefused(CredentialsErrors.StatusListNotFound, () => set(issuer, "nope", [1], true));
        _chain.AssertRefused(CredentialsErrors.NotController, () => set(stranger, "rev", [1], true));

        Assert.True(set(issuer, "sus", [42], true).Succeeded);
        Assert.True(set(issuer, "sus", [42], false).Succeeded);
        Assert.False(CredentialRules.IsSet(CredentialsState.ReadStatusPage(_chain, issuer.Address, "sus", 0), 42));
        Assert.Equal(0u, CredentialsState.ReadStatusList(_chain, issuer.Address, "sus")!.Set);
    }
}
