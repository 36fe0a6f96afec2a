using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Identity;

namespace ThingLedger.Execution.Tests.Modules;

public class DevicesModuleTests
{
    private static (TestChain Chain, KeyPair Manager, KeyPair Owner) Setup()
    {
        var chain = new TestChain();
        var manager = KeyPair.Generate();
        var owner = KeyPair.Generate();
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, "identity", "add-member", new MemberRolesPayload("acme", manager.Address, Roles.DeviceManager))).Succeeded);
        return (chain, manager, owner);
    }

    private static RegisterDevicePayload Device(KeyPair device, Address owner, string serial = "SN-001") =>
        new(device.PublicKey, "EV-7", serial, owner, [new MetadataEntry("firmware", "2.4.1"), new MetadataEntry("region", "KR")], TestChain.Possession(device, "acme", serial));

    [Fact]
    public void A_device_manager_registers_a_device_that_is_queryable_by_id_owner_and_org()
    {
        var (chain, manager, owner) = Setup();
        using var device = KeyPair.Generate();
        var receipt = chain.Run(chain.Tx(manager, "devices", "register", Device(device, owner.Address)));
        Assert.True(receipt.Succeeded);
        Assert.Equal(device.Address.ToString(), receipt.Events[0]["device"]);
        var record = DevicesModule.ReadDevice(chain, device.Address)!;
        Assert.Equal(("acme", "EV-7", "SN-001", owner.Address, DeviceStatus.Active), (record.Org, record.Model, record.Serial, record.Owner, record.Status));
        Assert.NotNull(chain.Get(DevicesModule.ByOwnerPrefix(owner.Address) + device.Address));
        Assert.NotNull(chain.Get(DevicesModule.ByOrgPrefix("acme") + device.Address));
    }

    [Fact]
    public void Duplicate_keys_and_serials_are_rejected()
    {
        var (chain, manager, owner) = Setup();
        using var device = KeyPair.Generate();
        using var second = KeyPair.Generate();
        Assert.True(chain.Run(chain.Tx(manager, "devices", "register", Device(device, owner.Address))).Succeeded);
        Assert.Equal(DevicesErrors.DeviceKeyExists, chain.Run(chain.Tx(manager, "devices", "register", Device(device, owner.Address, "SN-002"))).ErrorCode);
        Assert.Equal(DevicesErrors.DeviceSerialExists, chain.Run(chain.Tx(manager, "devices", "register", Device(second, owner.Address))).ErrorCode);
        Assert.Null(DevicesModule.ReadDevice(chain, second.Address));
    }

    [Fact]
    public void Registering_needs_the_device_manager_role_and_valid_fields()
    {
        var (chain, _, owner) = Setup();
        using var device = KeyPair.Generate();
        Assert.Equal(ErrorCodes.Unauthorised, chain.Run(chain.Tx(owner, "devices", "register", Device(device, owner.Address))).ErrorCode);
        var (chain2, manager, _) = Setup();
        Assert.Equal(ErrorCodes.InvalidArgument, chain2.Run(chain2.Tx(manager, "devices", "register", Device(device, owner.Address, "bad serial/1"))).ErrorCode);
    }

    [Fact]
    public void A_key_is_registered_only_with_its_proof_of_possession_for_this_chain_org_and_serial()
    {
        var (chain, manager, owner) = Setup();
        using var device = KeyPair.Generate();
        using var other = KeyPair.Generate();
        RegisterDevicePayload With(byte[]? possession) => Device(device, owner.Address) with { Possession = possession };
        var refusals = new[]
        {
            With(null),                                                     // squatting: no proof
            With(TestChain.Possession(other, "acme", "SN-001")),            // signed by another key
            With(TestChain.Possession(device, "grid", "SN-001")),           // for another organisation
            With(TestChain.Possession(device, "acme", "SN-002")),           // for another serial
            With(DeviceRegistration.Prove(device, "other-chain", "acme", "SN-001")),
            With(device.Sign(Core.Crypto.Hash.Sha256([1]))),                // a signature of something else
        };
        foreach (var payload in refusals)
        {
            chain.AssertRefused(DevicesErrors.DevicePossessionInvalid, () => chain.Run(chain.Tx(manager, "devices", "register", payload)));
        }
        // Nor can anyone claim the validator's key, which they do not hold.
        var validator = Device(device, owner.Address) with { PublicKey = chain.AcmeAdmin.PublicKey, Possession = TestChain.Possession(device, "acme", "SN-001") };
        chain.AssertRefused(DevicesErrors.DevicePossessionInvalid, () => chain.Run(chain.Tx(manager, "devices", "register", validator)));
        Assert.True(chain.Run(chain.Tx(manager, "devices", "register", With(TestChain.Possession(device, "acme", "SN-001")))).Succeeded);
    }

    [Fact]
    public void The_possession_digest_matches_its_fixed_vector() =>
        Assert.Equal("d9e596850853d4adb5218ed05f74ce342726eb12e03959a5f446149fc792e1d7", DeviceRegistration.Digest("vector-chain", "acme", "SN-1").ToString());

    [Fact]
    public void A_version_1_registration_needs_no_proof_and_may_not_carry_one()
    {
        var (chain, manager, owner) = Setup();
        using var device = KeyPair.Generate();
        var bare = Core.Codec.Canonical.Encode(Device(device, owner.Address) with { Possession = null });
        var proven = Core.Codec.Canonical.Encode(Device(device, owner.Address));
        var nonce = StateMachine.LastNonce(chain, manager.Address);
        var withProof = Core.Ledger.Transaction.CreateUnmetered(TestChain.ChainId, "devices", "register", proven, manager, nonce + 1, ulong.MaxValue);
        Assert.Equal(ErrorCodes.PayloadMalformed, chain.Run(withProof).ErrorCode);
        Assert.True(chain.Run(Core.Ledger.Transaction.CreateUnmetered(TestChain.ChainId, "devices", "register", bare, manager, nonce + 2, ulong.MaxValue)).Succeeded);
    }

    [Fact]
    public void Unsorted_metadata_is_a_malformed_payload()
    {
        var (chain, manager, owner) = Setup();
        using var device = KeyPair.Generate();
        var payload = new RegisterDevicePayload(device.PublicKey, "EV-7", "SN-9", owner.Address, [new MetadataEntry("z", "1"), new MetadataEntry("a", "2")], TestChain.Possession(device, "acme", "SN-9"));
        Assert.Equal(ErrorCodes.PayloadMalformed, chain.Run(chain.Tx(manager, "devices", "register", payload)).ErrorCode);
    }

    [Fact]
    public void Only_the_owner_transfers_and_indexes_follow_the_owner()
    {
        var (chain, manager, owner) = Setup();
        using var device = KeyPair.Generate();
        using var buyer = KeyPair.Generate();
        Assert.True(chain.Run(chain.Tx(manager, "devices", "register", Device(device, owner.Address))).Succeeded);
        Assert.Equal(DevicesErrors.NotDeviceOwner, chain.Run(chain.Tx(manager, "devices", "transfer", new TransferDevicePayload(device.Address, buyer.Address))).ErrorCode);
        Assert.True(chain.Run(chain.Tx(owner, "devices", "transfer", new TransferDevicePayload(device.Address, buyer.Address))).Succeeded);
        Assert.Equal(buyer.Address, DevicesModule.ReadDevice(chain, device.Address)!.Owner);
        Assert.Null(chain.Get(DevicesModule.ByOwnerPrefix(owner.Address) + device.Address));
        Assert.NotNull(chain.Get(DevicesModule.ByOwnerPrefix(buyer.Address) + device.Address));
    }

    [Fact]
    public void The_organisation_revokes_and_a_revoked_device_cannot_move()
    {
        var (chain, manager, owner) = Setup();
        using var device = KeyPair.Generate();
        using var buyer = KeyPair.Generate();
        Assert.True(chain.Run(chain.Tx(manager, "devices", "register", Device(device, owner.Address))).Succeeded);
        Assert.Equal(ErrorCodes.Unauthorised, chain.Run(chain.Tx(chain.GridAdmin, "devices", "revoke", new RevokeDevicePayload(device.Address, "x"))).ErrorCode);
        Assert.True(chain.Run(chain.Tx(manager, "devices", "revoke", new RevokeDevicePayload(device.Address, "key leaked"))).Succeeded);
        var record = DevicesModule.ReadDevice(chain, device.Address)!;
        Assert.Equal((DeviceStatus.Revoked, "key leaked"), (record.Status, record.RevokeReason));
        Assert.Equal(DevicesErrors.DeviceRevoked, chain.Run(chain.Tx(owner, "devices", "transfer", new TransferDevicePayload(device.Address, buyer.Address))).ErrorCode);
        Assert.Equal(DevicesErrors.DeviceRevoked, chain.Run(chain.Tx(manager, "devices", "revoke", new RevokeDevicePayload(device.Address, "again"))).ErrorCode);
        Assert.Equal(DevicesErrors.DeviceNotFound, chain.Run(chain.Tx(manager, "devices", "revoke", new RevokeDevicePayload(buyer.Address, "x"))).ErrorCode);
    }
}
