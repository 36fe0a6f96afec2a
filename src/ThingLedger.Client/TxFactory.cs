using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Carbon;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Identity;
using ThingLedger.Execution.Modules.Market;
using ThingLedger.Execution.Modules.Rewards;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Client;

/// <summary>An unsigned operation: which module, which operation, the canonical payload.</summary>
public sealed record Operation(string Module, string Name, byte[] Payload)
{
    public static Operation Of<T>(string module, string name, T payload) where T : ICanonical => new(module, name, Canonical.Encode(payload));
}

/// <summary>Marks the SDK method that builds an operation's payload (a test checks every registered operation has one).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BuildsAttribute(string module, string operation) : Attribute
{
    public string Module { get; } = module;

    public string Operation { get; } = operation;
}

/// <summary>The built-in modules' operations, ready to sign.</summary>
public static class Operations
{
    [Builds(IdentityModule.ModuleName, IdentityModule.AddMember)]
    public static Operation AddMember(string org, Address member, Roles roles) =>
        Operation.Of(IdentityModule.ModuleName, IdentityModule.AddMember, new MemberRolesPayload(org, member, roles));

    [Builds(IdentityModule.ModuleName, IdentityModule.UpdateMember)]
    public static Operation UpdateMember(string org, Address member, Roles roles) =>
        Operation.Of(IdentityModule.ModuleName, IdentityModule.UpdateMember, new MemberRolesPayload(org, member, roles));

    [Builds(IdentityModule.ModuleName, IdentityModule.RemoveMember)]
    public static Operation RemoveMember(string org, Address member) =>
        Operation.Of(IdentityModule.ModuleName, IdentityModule.RemoveMember, new RemoveMemberPayload(org, member));

    /// <summary>Proposes a consortium membership change (docs/CONSORTIUM.md "Membership"); the proposal's id is this tx's id.</summary>
    [Builds(IdentityModule.ModuleName, IdentityModule.ProposeMembership)]
    public static Operation ProposeMembership(MembershipProposal proposal) =>
        Operation.Of(IdentityModule.ModuleName, IdentityModule.ProposeMembership, proposal);

    [Builds(IdentityModule.ModuleName, IdentityModule.ApproveMembership)]
    public static Operation ApproveMembership(Hash proposal) =>
        Operation.Of(IdentityModule.ModuleName, IdentityModule.ApproveMembership, new ApproveMembershipPayload(proposal));

    /// <summary>
    /// Registers a device for organisation <paramref name="org"/>, signing its proof of possession with
    /// the device key; metadata keys are sorted here so the payload is canonical.
    /// </summary>
    public static Operation RegisterDevice(KeyPair device, string chainId, string org, string model, string serial, Address owner, IEnumerable<KeyValuePair<string, string>>? metadata = null) =>
        RegisterDevice(device.PublicKey, DeviceRegistration.Prove(device, chainId, org, serial), model, serial, owner, metadata);

    /// <summary>
    /// Registers a device whose key signed <paramref name="possession"/> itself (a secure element:
    /// <see cref="DeviceRegistration.Digest"/> over chain, organisation and serial).
    /// </summary>
    [Builds(DevicesModule.ModuleName, DevicesModule.Register)]
    public static Operation RegisterDevice(PublicKey deviceKey, byte[] possession, string model, string serial, Address owner, IEnumerable<KeyValuePair<string, string>>? metadata = null) =>
        Operation.Of(DevicesModule.ModuleName, DevicesModule.Register, new RegisterDevicePayload(deviceKey, model, serial, owner,
            [.. (metadata ?? []).OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => new MetadataEntry(m.Key, m.Value))], possession));

    [Builds(DevicesModule.ModuleName, DevicesModule.Transfer)]
    public static Operation TransferDevice(Address device, Address newOwner) =>
        Operation.Of(DevicesModule.ModuleName, DevicesModule.Transfer, new TransferDevicePayload(device, newOwner));

    [Builds(DevicesModule.ModuleName, DevicesModule.Revoke)]
    public static Operation RevokeDevice(Address device, string reason) =>
        Operation.Of(DevicesModule.ModuleName, DevicesModule.Revoke, new RevokeDevicePayload(device, reason));

    [Builds(TelemetryModule.ModuleName, TelemetryModule.RegisterSchema)]
    public static Operation RegisterSchema(TelemetrySchema schema) =>
        Operation.Of(TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, schema);

    /// <summary>A custodian's anchor of the readings it ingested (a node builds and submits these itself).</summary>
    [Builds(TelemetryModule.ModuleName, TelemetryModule.Anchor)]
    public static Operation Anchor(AnchorPayload anchor) =>
        Operation.Of(TelemetryModule.ModuleName, TelemetryModule.Anchor, anchor);

    [Builds(TelemetryModule.ModuleName, TelemetryModule.RegisterModel)]
    public static Operation RegisterModel(ModelRegistration model) =>
        Operation.Of(TelemetryModule.ModuleName, TelemetryModule.RegisterModel, model);

    [Builds(TokensModule.ModuleName, TokensModule.Create)]
    public static Operation CreateToken(string symbol, string name, byte decimals, Roles mintRoles, UInt128 cap) =>
        Operation.Of(TokensModule.ModuleName, TokensModule.Create, new CreateTokenPayload(symbol, name, decimals, mintRoles, cap));

    [Builds(TokensModule.ModuleName, TokensModule.Mint)]
    public static Operation Mint(string symbol, Address to, UInt128 amount) =>
        Operation.Of(TokensModule.ModuleName, TokensModule.Mint, new TokenAmountPayload(symbol, to, amount));

    [Builds(TokensModule.ModuleName, TokensModule.TransferOp)]
    public static Operation Transfer(string symbol, Address to, UInt128 amount) =>
        Operation.Of(TokensModule.ModuleName, TokensModule.TransferOp, new TokenAmountPayload(symbol, to, amount));

    [Builds(TokensModule.ModuleName, TokensModule.Burn)]
    public static Operation Burn(string symbol, UInt128 amount) =>
        Operation.Of(TokensModule.ModuleName, TokensModule.Burn, new BurnPayload(symbol, amount));

    [Builds(CarbonModule.ModuleName, CarbonModule.RegisterMethodology)]
    public static Operation RegisterMethodology(Methodology methodology) =>
        Operation.Of(CarbonModule.ModuleName, CarbonModule.RegisterMethodology, methodology);

    [Builds(CarbonModule.ModuleName, CarbonModule.Claim)]
    public static Operation ClaimCredits(string methodology, Address vehicle, ushort period) =>
        Operation.Of(CarbonModule.ModuleName, CarbonModule.Claim, new ClaimPayload(methodology, vehicle, period, string.Empty));

    /// <summary>The verifier's co-signature: issues the claimed credits.</summary>
    [Builds(CarbonModule.ModuleName, CarbonModule.Verify)]
    public static Operation VerifyClaim(string methodology, Address vehicle, ushort period, string note) =>
        Operation.Of(CarbonModule.ModuleName, CarbonModule.Verify, new ClaimPayload(methodology, vehicle, period, note));

    [Builds(CarbonModule.ModuleName, CarbonModule.Reject)]
    public static Operation RejectClaim(string methodology, Address vehicle, ushort period, string reason) =>
        Operation.Of(CarbonModule.ModuleName, CarbonModule.Reject, new ClaimPayload(methodology, vehicle, period, reason));

    [Builds(CarbonModule.ModuleName, CarbonModule.Retire)]
    public static Operation RetireCredits(string symbol, UInt128 grams, string beneficiary, string reason) =>
        Operation.Of(CarbonModule.ModuleName, CarbonModule.Retire, new RetirePayload(symbol, grams, beneficiary, reason));

    /// <summary>A limit order; price in quote units per base unit, amount in base units (both above zero).</summary>
    [Builds(MarketModule.ModuleName, MarketModule.Place)]
    public static Operation PlaceOrder(string @base, string quote, OrderSide side, long price, long amount) =>
        Operation.Of(MarketModule.ModuleName, MarketModule.Place, new PlaceOrderPayload(@base, quote, side, price, amount));

    [Builds(MarketModule.ModuleName, MarketModule.Cancel)]
    public static Operation CancelOrder(ulong order) =>
        Operation.Of(MarketModule.ModuleName, MarketModule.Cancel, new CancelOrderPayload(order));

    [Builds(RewardsModule.ModuleName, RewardsModule.CreateOp)]
    public static Operation CreateProgramme(Programme programme) =>
        Operation.Of(RewardsModule.ModuleName, RewardsModule.CreateOp, programme);

    /// <summary>The device's owner shares its data with a programme, which pays them for it.</summary>
    [Builds(RewardsModule.ModuleName, RewardsModule.Enrol)]
    public static Operation Enrol(string programme, Address device) =>
        Operation.Of(RewardsModule.ModuleName, RewardsModule.Enrol, new ProgrammeDevicePayload(programme, device));

    [Builds(RewardsModule.ModuleName, RewardsModule.ClaimOnboarding)]
    public static Operation ClaimOnboarding(string programme, Address device) =>
        Operation.Of(RewardsModule.ModuleName, RewardsModule.ClaimOnboarding, new ProgrammeDevicePayload(programme, device));

    /// <summary>The signer, owner of <paramref name="device"/>, names who referred them.</summary>
    [Builds(RewardsModule.ModuleName, RewardsModule.Refer)]
    public static Operation Refer(string programme, Address referrer, Address device) =>
        Operation.Of(RewardsModule.ModuleName, RewardsModule.Refer, new ReferPayload(programme, referrer, device));

    /// <summary>Signs an operation into a transaction that may use at most <paramref name="gasLimit"/> (docs/WIRE-FORMAT.md "Gas").</summary>
    public static Transaction Sign(this Operation operation, string chainId, KeyPair signer, ulong nonce, ulong expiryHeight = ulong.MaxValue, ulong gasLimit = Gas.DefaultTxLimit) =>
        Transaction.Create(chainId, operation.Module, operation.Name, operation.Payload, signer, nonce, expiryHeight, gasLimit);
}
