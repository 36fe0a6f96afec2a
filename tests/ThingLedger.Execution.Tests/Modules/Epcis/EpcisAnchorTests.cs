using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Epcis;
using static ThingLedger.Execution.Tests.Modules.Epcis.EpcisTestChain;

namespace ThingLedger.Execution.Tests.Modules.Epcis;

/// <summary>Anchored events keep each item's state: commissioned, container, owner, end of life; a rule an anchored event breaks flags its items.</summary>
public sealed class EpcisAnchorTests
{
    private readonly EpcisTestChain _e = new();

    [Fact]
    public void Items_are_commissioned_packed_shipped_and_unpacked()
    {
        _e.AnchorOk(Document(_e.Commission(Item1, Item2)));
        Assert.Equal(ItemStatus.Active, _e.Item(Item1)!.Status);
        Assert.Equal("acme", _e.Item(Item1)!.CommissionedBy);
        var packed = _e.AnchorOk(Document(_e.Aggregate("ADD", Pallet1, Item1, Item2)));
        Assert.Equal(Id(Pallet1), _e.Item(Item2)!.Container);
        Assert.Equal(ItemStatus.Active, _e.Item(Pallet1)!.Status);
        Assert.Contains(packed.Events, e => e.Name == "events-anchored");
        _e.AnchorOk(Document(_e.Object("OBSERVE", "shipping", Pallet1)));
        _e.AnchorOk(Document(_e.Aggregate("DELETE", Pallet1)));
        Assert.Equal(string.Empty, _e.Item(Item1)!.Container);
        Assert.Empty(_e.Flags(Item1));

    }

    [Fact]
    public void An_uncommissioned_serial_is_flagged_publicly_with_the_reason()
    {
        _e.AnchorOk(Document(_e.Object("OBSERVE", "receiving", Item1)));
        var flag = Assert.Single(_e.Flags(Item1));
        Assert.Equal(EpcisErrors.NotCommissioned, flag.Code);
        Assert.Contains("never commissioned", flag.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_commissioning_of_a_serial_is_a_clone()
    {
        _e.AnchorOk(Document(_e.Commission(Item1)));
        _e.AnchorOk(Document(_e.Commission(Item1)));
        Assert.Equal(EpcisErrors.AlreadyCommissioned, Assert.Single(_e.Flags(Item1)).Code);
    }

    [Fact]
    public void An_item_in_one_container_cannot_be_packed_into_another()
    {
        _e.AnchorOk(Document(_e.Commission(Item1)));
        _e.AnchorOk(Document(_e.Aggregate("ADD", Pallet1, Item1)));
        _e.AnchorOk(Document(_e.Aggregate("ADD", Pallet2, Item1)));
        Assert.Equal(EpcisErrors.InAnotherContainer, Assert.Single(_e.Flags(Item1)).Code);
        Assert.Equal(Id(Pallet1), _e.Item(Item1)!.Container);
    }

    [Fact]
    public void A_pack_dispensed_twice_and_an_item_seen_after_decommissioning_are_flagged()
    {
        _e.AnchorOk(Document(_e.Commission(Item1, Item2)));
        _e.AnchorOk(Document(_e.Object("OBSERVE", "dispensing", Item1)));
        Assert.Equal(ItemStatus.Dispensed, _e.Item(Item1)!.Status);
        _e.AnchorOk(Document(_e.Object("OBSERVE", "dispensing", Item1)));
        Assert.Equal(EpcisErrors.AlreadyDispensed, Assert.Single(_e.Flags(Item1)).Code);
        _e.AnchorOk(Document(_e.Object("OBSERVE", "decommissioning", Item2)));
        _e.AnchorOk(Document(_e.Object("OBSERVE", "receiving", Item2)));
        Assert.Equal(EpcisErrors.ItemInactive, Assert.Single(_e.Flags(Item2)).Code);
    }

    [Fact]
    public void The_same_event_anchored_twice_counts_once()
    {
        var document = Document(_e.Commission(Item1));
        _e.AnchorOk(document);
        _e.AnchorOk(document);
        Assert.Empty(_e.Flags(Item1));
        Assert.Equal(1u, _e.Item(Item1)!.Events);
    }

    [Fact]
    public void Only_a_validator_anchors_and_only_records_their_capturer_signed()
    {
        var document = Document(_e.Commission(Item1));
        _e.Chain.AssertRefused(EpcisErrors.NotCustodian, () => _e.Anchor(document, node: _e.Chain.GridAdmin));
        _e.Chain.AssertRefused(EpcisErrors.NotMember, () => _e.Anchor(document, capturer: KeyPair.Generate()));
        _e.Chain.AssertRefused(EpcisErrors.AnchorInvalid, () => _e.Anchor(document, tamper: p => p with { Root = Hash.Sha256([9]) }));
        _e.Chain.AssertRefused(EpcisErrors.AnchorInvalid, () => _e.Anchor(document, tamper: p => p with { First = 5, Last = 5 }));
        // The node cannot change what the capturer signed, nor sign in a member's name.
        _e.Chain.AssertRefused(EpcisErrors.SignatureInvalid, () => _e.Anchor(document, tamper: p =>
        {
            var records = p.Records.Select(r => r with { BizStep = "shipping" }).ToArray();
            return p with { Records = records, Root = EpcisAnchorPayload.RootOf(records) };
        }));
        _e.Chain.AssertRefused(EpcisErrors.SignatureInvalid, () => _e.Anchor(document, tamper: p =>
            p with { Captures = [p.Captures[0] with { Capturer = _e.Chain.GridAdmin.PublicKey }] }));
        Assert.Null(_e.Item(Item1));
    }

    [Fact]
    public void A_member_of_another_organisation_captures_through_this_node_under_its_own_name()
    {
        _e.Anchor(Document(_e.Commission(Item1)), capturer: _e.Chain.GridAdmin);
        Assert.Equal("grid", _e.Item(Item1)!.CommissionedBy);
    }

    [Fact]
    public void An_organisation_without_the_capture_role_cannot_have_events_anchored()
    {
        Assert.True(_e.Chain.Run(_e.Chain.Tx(_e.Chain.AcmeAdmin, EpcisModule.ModuleName, EpcisModule.Role, new EpcisRolePayload("acme", EpcisRole.Capture, Grant: false))).Succeeded);
        Assert.Equal(EpcisRole.None, EpcisModule.ReadRoles(_e.Chain, "acme"));
        _e.Chain.AssertRefused(EpcisErrors.RoleMissing, () => _e.Anchor(Document(_e.Commission(Item1))));
    }

    [Fact]
    public void A_role_takes_effect_when_a_quorum_of_validating_organisations_approved_it()
    {
        var chain = TestChain.Consortium(validatorOrgs: 3, quorum: 2);
        EpcisRolePayload Customs(string org) => new(org, EpcisRole.Customs, Grant: true);
        chain.AssertRefused(EpcisErrors.NotGovernor, () => chain.Run(chain.Tx(chain.Admins[3], EpcisModule.ModuleName, EpcisModule.Role, Customs("d"))));
        chain.AssertRefused(EpcisErrors.RoleInvalid, () => chain.Run(chain.Tx(chain.Admins[0], EpcisModule.ModuleName, EpcisModule.Role, new EpcisRolePayload("d", EpcisRole.All, true))));
        chain.AssertRefused(EpcisErrors.OrgUnknown, () => chain.Run(chain.Tx(chain.Admins[0], EpcisModule.ModuleName, EpcisModule.Role, Customs("nobody"))));
        Assert.True(chain.Run(chain.Tx(chain.Admins[0], EpcisModule.ModuleName, EpcisModule.Role, Customs("d"))).Succeeded);
        Assert.Equal(EpcisRole.Capture, EpcisModule.ReadRoles(chain, "d")); // every organisation captures until revoked
        Assert.True(chain.Run(chain.Tx(chain.Admins[1], EpcisModule.ModuleName, EpcisModule.Role, Customs("d"))).Succeeded);
        Assert.Equal(EpcisRole.Capture | EpcisRole.Customs, EpcisModule.ReadRoles(chain, "d"));
        chain.AssertRefused(EpcisErrors.RoleUnchanged, () => chain.Run(chain.Tx(chain.Admins[2], EpcisModule.ModuleName, EpcisModule.Role, Customs("d"))));

    }
}
