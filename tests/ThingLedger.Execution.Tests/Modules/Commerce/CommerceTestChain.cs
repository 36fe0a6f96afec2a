using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Commerce;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Tests.Modules.Commerce;

/// <summary>
/// A chain where acme makes washing machines (and owns the washer schemas), grid is the retailer
/// and service organisation, and a household owns two washers and pays in PTS.
/// </summary>
internal sealed class CommerceTestChain
{
    public const string Pts = "PTS";
    public const string Sku = "DET-2L";
    public const long Threshold = 150; // 15.0 %
    public const long Rise = 500; // 50.0 % per bottle

    /// <summary>A washer with a drum vibration gauge (the repair examples' schema).</summary>
    public static TelemetrySchema Washer2 { get; } = new("washer", 2,
    [
        new("detergent_pct", "%", 1, 0, 1_000, false),
        new("cycles", "cycles", 0, 0, 100, true),
        new("drum_vibration_mg", "mg", 0, 0, 20_000, false),
    ]);

    public TestChain Chain { get; } = new();
    public KeyPair Owner { get; } = KeyPair.Generate();
    public KeyPair Washer { get; } = KeyPair.Generate();
    public KeyPair Other { get; } = KeyPair.Generate();
    public KeyPair Stranger { get; } = KeyPair.Generate();
    public KeyPair Retailer => Chain.GridAdmin;
    public KeyPair Maker => Chain.AcmeAdmin;
    private readonly Dictionary<Address, ulong> _sequences = [];

    public CommerceTestChain()
    {
        Assert.True(Chain.Run(Chain.Tx(Maker, TokensModule.ModuleName, TokensModule.Create, new CreateTokenPayload(Pts, "Points", 0, Roles.Admin, 0))).Succeeded);
        Fund(Owner, 10_000);
        Ok(Maker, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, Washer2);
        Ok(Maker, TelemetryModule.ModuleName, TelemetryModule.RegisterModel, new ModelRegistration("washer-screen", 1, "washer", 2, Hash.Sha256([9])));
        foreach (var (device, serial) in new[] { (Washer, "W-1"), (Other, "W-2") })
        {
            Ok(Maker, DevicesModule.ModuleName, DevicesModule.Register,
                new RegisterDevicePayload(device.PublicKey, "WASHER", serial, Owner.Address, [], TestChain.Possession(device, "acme", serial)));
        }
    }

    public ulong Now => Chain.Clock + Chain.Height;

    public void Fund(KeyPair who, UInt128 amount) => Ok(Maker, TokensModule.ModuleName, TokensModule.Mint, new TokenAmountPayload(Pts, who.Address, amount));

    public UInt128 Balance(Address who) => TokensModule.ReadBalance(Chain, Pts, who);

    public Receipt Ok<T>(KeyPair signer, string module, string operation, T payload) where T : ICanonical
    {
        var receipt = Chain.Run(Chain.Tx(signer, module, operation, payload));
        Assert.True(receipt.Succeeded, $"{module}/{operation}: {receipt.ErrorCode}");
        return receipt;
    }

    public Receipt Run(KeyPair signer, string operation, ICanonical payload) => Chain.Run(Chain.Tx(signer, CommerceNames.ModuleName, operation, payload));

    public Receipt Ok(KeyPair signer, string operation, ICanonical payload) => Ok(signer, CommerceNames.ModuleName, operation, payload);

    public void Refused(string code, KeyPair signer, string operation, ICanonical payload) => Chain.AssertRefused(code, () => Run(signer, operation, payload));

    public AgreementTerms Supply(string reference = "detergent", uint maxOrders = 2, UInt128? budget = null, ulong hold = 0, string courier = "", bool trigger = true,
        Address[]? devices = null, UInt128? price = null, uint quantity = 2, string arbiter = "") =>
        new(reference, AgreementKind.Supply, "grid", devices ?? [Washer.Address, Other.Address], Sku, [], price ?? 300, quantity, maxOrders, 86_400_000,
            budget ?? 3_000, Pts, 7 * 86_400_000, hold, arbiter, courier, trigger ? "washer" : "", trigger ? (ushort)2 : (ushort)0,
            trigger ? "detergent_pct" : "", trigger ? Threshold : 0, trigger ? Rise : 0, Now + (365 * 86_400_000UL));

    public AgreementTerms Repairs(string reference = "repairs", UInt128? budget = null) =>
        new(reference, AgreementKind.Repair, "grid", [Washer.Address], "", ["drum-motor"], 1_200, 1, 1, 30 * 86_400_000UL, budget ?? 2_400, Pts,
            3 * 86_400_000UL, 0, "", "", "washer", 2, "", 0, 0, Now + (365 * 86_400_000UL));

    /// <summary>Proposes and countersigns <paramref name="terms"/>; returns the agreement id.</summary>
    public Hash Agree(AgreementTerms terms)
    {
        Ok(Owner, CommerceNames.Propose, terms);
        var id = CommerceIds.Agreement(Owner.Address, terms.Counterparty, terms.Reference);
        Ok(Retailer, CommerceNames.Countersign, new AgreementPayload(id));
        return id;
    }

    public AgreementRecord Agreement(Hash id) => CommerceModule.ReadAgreement(Chain, id)!;

    public CommerceOrderRecord Order(Hash id, uint n) => CommerceModule.ReadOrder(Chain, id, n)!;

    /// <summary>
    /// Anchors ten readings of <paramref name="device"/> whose unflagged detergent levels end at
    /// <paramref name="last"/> (lowest <paramref name="min"/>); with <paramref name="flag"/>, some are flagged,
    /// and with <paramref name="allFlagged"/> all of them (so the summary has no levels).
    /// </summary>
    public Receipt Readings(KeyPair device, long last, long? min = null, FlagCode? flag = null, bool allFlagged = false, long vibration = 300)
    {
        var first = _sequences.GetValueOrDefault(device.Address) + 1;
        _sequences[device.Address] = first + 9;
        var summary = new DeviceSummary(device.Address, "washer", 2, 10, first, first + 9, [3]) { Day = DeviceSummary.DayOf(Now), Model = "washer-screen@1" };
        if (flag is { } code)
        {
            var flagged = allFlagged ? 10u : 2u;
            summary = summary with { Flagged = flagged, FlaggedSums = [allFlagged ? 3 : 1], Flags = [new(code, flagged, 900)] };
        }
        if (!allFlagged)
        {
            summary = summary with { Levels = new SummaryLevels([min ?? last, vibration], [last, vibration]) };
        }
        var receipt = Chain.Anchor(summary);
        Assert.True(receipt.Succeeded, receipt.ErrorCode);
        return receipt;
    }

    public void Pass(ulong ms) => Chain.Clock += ms;

    public static IEnumerable<LedgerEvent> Events(Receipt receipt, string name) => receipt.Events.Where(e => e.Module == CommerceNames.ModuleName && e.Name == name);
}
