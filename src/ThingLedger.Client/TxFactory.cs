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

    /// <summary>Submitted by nodes themselves (a custodian's anchors), so no CLI command submits it.</summary>
    public bool ByNode { get; init; }
}

/// <summary>The built-in modules' operations, ready to sign.</summary>
public static class Operations
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
    [Builds(DevicesNames.ModuleName, DevicesNames.Register)]
    public static Operation RegisterDevice(PublicKey deviceKey, byte[] possession, string model, string serial, Address owner, IEnumerable<KeyValuePair<string, string>>? metadata = null) =>
        Operation.Of(DevicesNames.ModuleName, DevicesNames.Register, new RegisterDevicePayload(deviceKey, model, serial, owner,
            [.. (metadata ?? []).OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => new MetadataEntry(m.Key, m.Value))], possession));

    [Builds(DevicesNames.ModuleName, DevicesNames.Transfer)]
    public static Operation TransferDevice(Address device, Address newOwner) =>
        Operation.Of(DevicesNames.ModuleName, DevicesNames.Transfer, new TransferDevicePayload(device, newOwner));

    [Builds(DevicesNames.ModuleName, DevicesNames.Revoke)]
    public static Operation RevokeDevice(Address device, string reason) =>
        Operation.Of(DevicesNames.ModuleName, DevicesNames.Revoke, new RevokeDevicePayload(device, reason));

    [Builds(TelemetryNames.ModuleName, TelemetryNames.RegisterSchema)]
    public static Operation RegisterSchema(TelemetrySchema schema) =>
        Operation.Of(TelemetryNames.ModuleName, TelemetryNames.RegisterSchema, schema);

    /// <summary>A custodian's anchor of the readings it ingested (a node builds and submits these itself).</summary>
    [Builds(TelemetryNames.ModuleName, TelemetryNames.Anchor, ByNode = true)]
    public static Operation Anchor(AnchorPayload anchor) =>
        Operation.Of(TelemetryNames.ModuleName, TelemetryNames.Anchor, anchor);

    [Builds(TelemetryNames.ModuleName, TelemetryNames.RegisterModel)]
    public static Operation RegisterModel(ModelRegistration model) =>
        Operation.Of(TelemetryNames.ModuleName, TelemetryNames.RegisterModel, model);

    [Builds(TokensNames.ModuleName, TokensNames.Create)]
    public static Operation CreateToken(string symbol, string name, byte decimals, Roles mintRoles, UInt128 cap) =>
        Operation.Of(TokensNames.ModuleName, TokensNames.Create, new CreateTokenPayload(symbol, name, decimals, mintRoles, cap));

    [Builds(TokensNames.ModuleName, TokensNames.Mint)]
    public static Operation Mint(string symbol, Address to, UInt128 amount) =>
        Operation.Of(TokensNames.ModuleName, TokensNames.Mint, new TokenAmountPayload(symbol, to, amount));

    [Builds(TokensNames.ModuleName, TokensNames.TransferOp)]
    public static Operation Transfer(string symbol, Address to, UInt128 amount) =>
        Operation.Of(TokensNames.ModuleName, TokensNames.TransferOp, new TokenAmountPayload(symbol, to, amount));

    [Builds(TokensNames.ModuleName, TokensNames.Burn)]
    public static Operation Burn(string symbol, UInt128 amount) =>
        Operation.Of(TokensNames.ModuleName, TokensNames.Burn, new BurnPayload(symbol, amount));

    [Builds(CarbonNames.ModuleName, CarbonNames.RegisterMethodology)]
    public static Operation RegisterMethodology(Methodology methodology) =>
        Operation.Of(CarbonNames.ModuleName, CarbonNames.RegisterMethodology, methodology);

    [Builds(CarbonNames.ModuleName, CarbonNames.Claim)]
    public static Operation ClaimCredits(string methodology, Address vehicle, ushort period) =>
        Operation.Of(CarbonNames.ModuleName, CarbonNames.Claim, new ClaimPayload(methodology, vehicle, period, string.Empty));

    /// <summary>The verifier's co-signature: issues the claimed credits.</summary>
    [Builds(CarbonNames.ModuleName, CarbonNames.Verify)]
    public static Operation VerifyClaim(string methodology, Address vehicle, ushort period, string note) =>
        Operation.Of(CarbonNames.ModuleName, CarbonNames.Verify, new ClaimPayload(methodology, vehicle, period, note));

    [Builds(CarbonNames.ModuleName, CarbonNames.Reject)]
    public static Operation RejectClaim(string methodology, Address vehicle, ushort period, string reason) =>
        Operation.Of(CarbonNames.ModuleName, CarbonNames.Reject, new ClaimPayload(methodology, vehicle, period, reason));

    [Builds(CarbonNames.ModuleName, CarbonNames.Retire)]
    public static Operation RetireCredits(string symbol, UInt128 grams, string beneficiary, string reason) =>
        Operation.Of(CarbonNames.ModuleName, CarbonNames.Retire, new RetirePayload(symbol, grams, beneficiary, reason));

    /// <summary>A limit order; price in quote units per base unit, amount in base units (both above zero).</summary>
    [Builds(MarketNames.ModuleName, MarketNames.Place)]
    public static Operation PlaceOrder(string @base, string quote, OrderSide side, long price, long amount) =>
        Operation.Of(MarketNames.ModuleName, MarketNames.Place, new PlaceOrderPayload(@base, quote, side, price, amount));

    [Builds(MarketNames.ModuleName, MarketNames.Cancel)]
    public static Operation CancelOrder(ulong order) =>
        Operation.Of(MarketNames.ModuleName, MarketNames.Cancel, new CancelOrderPayload(order));

    [Builds(RewardsNames.ModuleName, RewardsNames.CreateOp)]
    public static Operation CreateProgramme(Programme programme) =>
        Operation.Of(RewardsNames.ModuleName, RewardsNames.CreateOp, programme);

    /// <summary>The device's owner shares its data with a programme, which pays them for it.</summary>
    [Builds(RewardsNames.ModuleName, RewardsNames.Enrol)]
    public static Operation Enrol(string programme, Address device) =>
        Operation.Of(RewardsNames.ModuleName, RewardsNames.Enrol, new ProgrammeDevicePayload(programme, device));

    [Builds(RewardsNames.ModuleName, RewardsNames.ClaimOnboarding)]
    public static Operation ClaimOnboarding(string programme, Address device) =>
        Operation.Of(RewardsNames.ModuleName, RewardsNames.ClaimOnboarding, new ProgrammeDevicePayload(programme, device));

    /// <summary>The signer, owner of <paramref name="device"/>, names who referred them.</summary>
    [Builds(RewardsNames.ModuleName, RewardsNames.Refer)]
    public static Operation Refer(string programme, Address referrer, Address device) =>
        Operation.Of(RewardsNames.ModuleName, RewardsNames.Refer, new ReferPayload(programme, referrer, device));

    /// <summary>Signs an operation into a transaction that may use at most <paramref name="gasLimit"/> (docs/WIRE-FORMAT.md "Gas").</summary>
    public static Transaction Sign(this Operation operation, string chainId, KeyPair signer, ulong nonce, ulong expiryHeight = ulong.MaxValue, ulong gasLimit = Gas.DefaultTxLimit) =>
        Transaction.Create(chainId, operation.Module, operation.Name, operation.Payload, signer, nonce, expiryHeight, gasLimit);
}
