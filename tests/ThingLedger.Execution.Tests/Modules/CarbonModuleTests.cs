using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Carbon;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Identity;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Tests.Modules;

/// <summary>
/// acme runs the chain's validator, so it is the custodian of the vehicle's data; grid is the
/// methodology's verifier. Sums of the ev schema, in order: energy (Wh), co2 (g), distance (m),
/// harsh braking, crashes.
/// </summary>
public sealed class CarbonModuleTests
{
    private const uint CarGramsPerKm = 120;
    private const uint NorthGramsPerKwh = 300;

    private readonly TestChain _chain = new();
    private readonly KeyPair _vehicle = KeyPair.Generate();
    private readonly KeyPair _owner = KeyPair.Generate();
    private readonly uint _day = DeviceSummary.DayOf(1_700_000_000_000);
    private ulong _sequence;

    public CarbonModuleTests()
    {
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, BuiltInSchemas.Ev)).Succeeded);
        Assert.True(Register(_vehicle, "SN-1", ("class", "car"), ("region", "north")).Succeeded);
        Assert.True(Methodology(_chain.AcmeAdmin, Evlc).Succeeded);
    }

    private Methodology Evlc => new("EVLC", "Low-carbon EV driving", "ev", 1,
        [new("car", CarGramsPerKm), new("van", 200)], [new("north", 0, NorthGramsPerKwh), new("north", 2, 100), new("south", 0, 500)],
        _day, 7, 4, "grid");

    private Receipt Register(KeyPair device, string serial, params (string Key, string Value)[] metadata) =>
        _chain.Run(_chain.Tx(_chain.AcmeAdmin, DevicesModule.ModuleName, DevicesModule.Register, new RegisterDevicePayload(
            device.PublicKey, "EV", serial, _owner.Address, [.. metadata.Select(m => new MetadataEntry(m.Key, m.Value))], TestChain.Possession(device, "acme", serial))));

    private Receipt Methodology(KeyPair signer, Methodology m) =>
        _chain.Run(_chain.Tx(signer, CarbonModule.ModuleName, CarbonModule.RegisterMethodology, m));

    private Receipt Carbon(KeyPair signer, string operation, ICanonical payload) =>
        _chain.Run(_chain.Tx(signer, CarbonModule.ModuleName, operation, payload));

    private Receipt ClaimBy(KeyPair signer, ushort period = 0, KeyPair? vehicle = null) =>
        Carbon(signer, CarbonModule.Claim, new ClaimPayload("EVLC", (vehicle ?? _vehicle).Address, period, string.Empty));

    private Receipt VerifyBy(KeyPair signer, ushort period = 0) =>
        Carbon(signer, CarbonModule.Verify, new ClaimPayload("EVLC", _vehicle.Address, period, "checked against the anchors"));

    /// <summary>Anchors one summary of <paramref name="count"/> readings of the vehicle on <paramref name="day"/>.</summary>
    private Receipt Drive(uint day, long metres, long energyWh, uint count = 10, KeyPair? vehicle = null, DeviceSummary? flagged = null)
    {
        var first = _sequence + 1;
        _sequence += count;
        var summary = new DeviceSummary((vehicle ?? _vehicle).Address, "ev", 1, count, first, _sequence, [energyWh, 0, metres, 0, 0]) { Day = day };
        if (flagged is not null)
        {
            summary = summary with { Model = "ev-screen@1", Flagged = flagged.Flagged, FlaggedSums = flagged.FlaggedSums, Flags = flagged.Flags };
        }
        return _chain.Anchor(summary);
    }

    private void RegisterScreeningModel() =>
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterModel,
            new ModelRegistration("ev-screen", 1, "ev", 1, Hash.Sha256([7])))).Succeeded);

    /// <summary>Block time moves to just after period <paramref name="period"/> settled (or just before, when <paramref name="over"/> is false).</summary>
    private void EndPeriod(ushort period, bool over = true) =>
        _chain.Clock = Evlc.EndMs(period) + CarbonModule.SettlementMs - (over ? 0ul : 60_000ul) - _chain.Height - 1;

    private void AssertRefused(string code, Func<Receipt> act) => _chain.AssertRefused(code, act);

    private KeyPair Member(string org, KeyPair admin, Roles roles)
    {
        var member = KeyPair.Generate();
        Assert.True(_chain.Run(_chain.Tx(admin, IdentityModule.ModuleName, IdentityModule.AddMember, new MemberRolesPayload(org, member.Address, roles))).Succeeded);
        return member;
    }

    [Fact]
    public void Credits_are_computed_from_clean_data_claimed_by_the_custodian_and_minted_to_the_owner_once_the_verifier_co_signs()
    {
        RegisterScreeningModel();
        EndPeriod(0);
        Assert.True(Drive(_day, 50_000, 8_000).Succeeded);
        // 10 km and 2 kWh of day 3 were flagged (reading-level): they earn nothing.
        Assert.True(Drive(_day + 3, 30_000, 5_000, flagged: new DeviceSummary(default, "ev", 1, 0, 0, 0, [])
        {
            Flagged = 2,
            FlaggedSums = [2_000, 0, 10_000, 0, 0],
            Flags = [new(FlagCode.SpeedImplausible, 2, 900)],
        }).Succeeded);
        Assert.True(Drive(_day + 7, 99_000, 1_000).Succeeded); // the next period's

        Assert.True(ClaimBy(_chain.AcmeAdmin).Succeeded);
        var claim = CarbonModule.ReadClaim(_chain, "EVLC", _vehicle.Address, 0)!;
        Assert.Equal(ClaimStatus.Pending, claim.Status);
        Assert.Equal((20ul, 2ul, 70_000L, 11_000L), (claim.Readings, claim.FlaggedReadings, claim.Metres, claim.EnergyWh));
        // 120 g/km × 70 km − 300 g/kWh × 11 kWh = 8,400 g − 3,300 g.
        Assert.Equal(5_100ul, claim.Grams);
        Assert.Equal(("acme", _owner.Address), (claim.CustodianOrg, claim.Owner));
        Assert.Null(TokensModule.ReadToken(_chain, "CEVLC0"));

        Assert.True(VerifyBy(_chain.GridAdmin).Succeeded);
        Assert.Equal(ClaimStatus.Issued, CarbonModule.ReadClaim(_chain, "EVLC", _vehicle.Address, 0)!.Status);
        Assert.Equal((UInt128)5_100, TokensModule.ReadBalance(_chain, "CEVLC0", _owner.Address));
        var token = TokensModule.ReadToken(_chain, "CEVLC0")!;
        Assert.True(token.IsModuleIssued);
        Assert.Equal((UInt128)5_100, token.Supply);
        Assert.Equal(CarbonModule.CreditDecimals, token.Decimals);
        Assert.Equal(new CreditRecord("EVLC", 0, 5_100, 0), CarbonModule.ReadCredit(_chain, "CEVLC0"));

        // Holders transfer credits like any token, and retire them here.
        var buyer = KeyPair.Generate();
        Assert.True(_chain.Run(_chain.Tx(_owner, TokensModule.ModuleName, TokensModule.TransferOp, new TokenAmountPayload("CEVLC0", buyer.Address, 2_000))).Succeeded);
        var retire = _chain.Run(_chain.Tx(buyer, CarbonModule.ModuleName, CarbonModule.Retire, new RetirePayload("CEVLC0", 1_500, "Acme Logistics", "2026 fleet emissions")));
        Assert.True(retire.Succeeded);
        var record = CarbonModule.ReadRetirement(_chain, 1)!;
        Assert.Equal((1ul, "CEVLC0", (UInt128)1_500, buyer.Address, "Acme Logistics"), (record.Number, record.Symbol, record.Amount, record.Holder, record.Beneficiary));
        Assert.Equal(1ul, CarbonModule.RetirementCount(_chain));
        Assert.Equal((UInt128)500, TokensModule.ReadBalance(_chain, "CEVLC0", buyer.Address));
        Assert.Equal((UInt128)3_600, TokensModule.ReadToken(_chain, "CEVLC0")!.Supply);
        Assert.Equal((UInt128)1_500, CarbonModule.ReadCredit(_chain, "CEVLC0")!.Retired);
        Assert.Contains(retire.Events, e => e.Module == "carbon" && e.Name == "retired");
    }

    [Fact]
    public void A_claim_for_a_period_that_is_not_over_is_refused()
    {
        EndPeriod(0, over: false);
        Assert.True(Drive(_day, 50_000, 8_000).Succeeded);
        AssertRefused(CarbonErrors.CarbonPeriodOpen, () => ClaimBy(_chain.AcmeAdmin));
        AssertRefused(CarbonErrors.CarbonPeriodInvalid, () => ClaimBy(_chain.AcmeAdmin, period: 4));
        EndPeriod(0);
        Assert.True(ClaimBy(_chain.AcmeAdmin).Succeeded);
    }

    [Fact]
    public void A_vehicle_period_is_claimed_once_ever_pending_issued_or_rejected()
    {
        EndPeriod(1);
        Assert.True(Drive(_day, 50_000, 8_000).Succeeded);
        Assert.True(Drive(_day + 8, 50_000, 8_000).Succeeded);
        Assert.True(ClaimBy(_chain.AcmeAdmin).Succeeded);
        AssertRefused(CarbonErrors.CarbonAlreadyClaimed, () => ClaimBy(_chain.AcmeAdmin));
        Assert.True(VerifyBy(_chain.GridAdmin).Succeeded);
        AssertRefused(CarbonErrors.CarbonAlreadyClaimed, () => ClaimBy(_chain.AcmeAdmin));
        AssertRefused(CarbonErrors.CarbonClaimDecided, () => VerifyBy(_chain.GridAdmin));

        Assert.True(ClaimBy(_chain.AcmeAdmin, period: 1).Succeeded);
        AssertRefused(ErrorCodes.InvalidArgument, () => Carbon(_chain.GridAdmin, CarbonModule.Reject, new ClaimPayload("EVLC", _vehicle.Address, 1, string.Empty)));
        Assert.True(Carbon(_chain.GridAdmin, CarbonModule.Reject, new ClaimPayload("EVLC", _vehicle.Address, 1, "odometer photo does not match")).Succeeded);
        Assert.Equal(ClaimStatus.Rejected, CarbonModule.ReadClaim(_chain, "EVLC", _vehicle.Address, 1)!.Status);
        Assert.Null(TokensModule.ReadToken(_chain, "CEVLC1"));
        AssertRefused(CarbonErrors.CarbonClaimDecided, () => VerifyBy(_chain.GridAdmin, period: 1));
        AssertRefused(CarbonErrors.CarbonAlreadyClaimed, () => ClaimBy(_chain.AcmeAdmin, period: 1));
        AssertRefused(CarbonErrors.CarbonClaimNotFound, () => VerifyBy(_chain.GridAdmin, period: 2));
    }

    [Fact]
    public void Only_the_custodian_claims_and_only_an_auditor_of_the_verifier_organisation_co_signs()
    {
        EndPeriod(0);
        Assert.True(Drive(_day, 50_000, 8_000).Succeeded);
        var acmeAuditor = Member("acme", _chain.AcmeAdmin, Roles.Auditor);
        var gridOperator = Member("grid", _chain.GridAdmin, Roles.Operator);
        AssertRefused(CarbonErrors.CarbonNotCustodian, () => ClaimBy(_chain.GridAdmin));
        AssertRefused(CarbonErrors.CarbonNotCustodian, () => ClaimBy(acmeAuditor));
        AssertRefused(CarbonErrors.CarbonNotCustodian, () => ClaimBy(_owner));
        Assert.True(ClaimBy(Member("acme", _chain.AcmeAdmin, Roles.Operator)).Succeeded);

        AssertRefused(CarbonErrors.CarbonNotVerifier, () => VerifyBy(_chain.AcmeAdmin));
        AssertRefused(CarbonErrors.CarbonNotVerifier, () => VerifyBy(acmeAuditor));
        AssertRefused(CarbonErrors.CarbonNotVerifier, () => VerifyBy(gridOperator));
        AssertRefused(CarbonErrors.CarbonNotVerifier, () => VerifyBy(_owner));
        Assert.True(VerifyBy(Member("grid", _chain.GridAdmin, Roles.Auditor)).Succeeded);
    }

    [Fact]
    public void Credits_from_flagged_data_are_refused()
    {
        RegisterScreeningModel();
        EndPeriod(0);
        var cloned = KeyPair.Generate();
        Assert.True(Register(cloned, "SN-2", ("class", "car"), ("region", "north")).Succeeded);
        Assert.True(Drive(_day, 50_000, 8_000).Succeeded);
        // A duplicate stream on one day condemns the whole period: the data may be copied.
        Assert.True(Drive(_day + 2, 40_000, 6_000, flagged: new DeviceSummary(default, "ev", 1, 0, 0, 0, [])
        {
            Flagged = 1,
            FlaggedSums = [600, 0, 4_000, 0, 0],
            Flags = [new(FlagCode.DuplicateStream, 1, 1_000)],
        }).Succeeded);
        AssertRefused(CarbonErrors.CarbonDataFlagged, () => ClaimBy(_chain.AcmeAdmin));

        // Every reading flagged, each only for itself: nothing clean to credit.
        Assert.True(Drive(_day + 1, 40_000, 6_000, count: 3, vehicle: cloned, flagged: new DeviceSummary(default, "ev", 1, 0, 0, 0, [])
        {
            Flagged = 3,
            FlaggedSums = [6_000, 0, 40_000, 0, 0],
            Flags = [new(FlagCode.SpeedImplausible, 3, 800)],
        }).Succeeded);
        AssertRefused(CarbonErrors.CarbonDataFlagged, () => ClaimBy(_chain.AcmeAdmin, vehicle: cloned));
    }

    [Fact]
    public void Vehicles_without_a_baseline_class_or_grid_region_or_without_savings_earn_nothing()
    {
        EndPeriod(0);
        var truck = KeyPair.Generate();
        var wasteful = KeyPair.Generate();
        var idle = KeyPair.Generate();
        Assert.True(Register(truck, "SN-T", ("class", "truck"), ("region", "north")).Succeeded);
        Assert.True(Register(wasteful, "SN-W", ("class", "car"), ("region", "south")).Succeeded);
        Assert.True(Register(idle, "SN-I", ("class", "car"), ("region", "north")).Succeeded);
        Assert.True(Drive(_day, 50_000, 8_000, vehicle: truck).Succeeded);
        // 120 g/km × 50 km = 6,000 g; 500 g/kWh × 12 kWh = 6,000 g: no saving.
        Assert.True(Drive(_day, 50_000, 12_000, vehicle: wasteful).Succeeded);

        AssertRefused(CarbonErrors.CarbonNotEligible, () => ClaimBy(_chain.AcmeAdmin, vehicle: truck));
        AssertRefused(CarbonErrors.CarbonNothingToCredit, () => ClaimBy(_chain.AcmeAdmin, vehicle: wasteful));
        AssertRefused(CarbonErrors.CarbonNothingToCredit, () => ClaimBy(_chain.AcmeAdmin, vehicle: idle));
        AssertRefused(DevicesErrors.DeviceNotFound, () => ClaimBy(_chain.AcmeAdmin, vehicle: KeyPair.Generate()));
        AssertRefused(CarbonErrors.CarbonMethodologyNotFound, () => Carbon(_chain.AcmeAdmin, CarbonModule.Claim, new ClaimPayload("NOPE", _vehicle.Address, 0, string.Empty)));
    }

    [Fact]
    public void The_grid_factor_in_force_is_the_latest_entry_for_the_region_that_has_started()
    {
        Assert.Equal(NorthGramsPerKwh, Evlc.GridFactorFor("north", 1));
        Assert.Equal(100u, Evlc.GridFactorFor("north", 3));
        Assert.Null(Evlc.GridFactorFor("east", 0));
        Assert.Equal(200u, Evlc.BaselineFor("van"));
        Assert.Equal(0ul, CarbonModule.Credit(100, 1_000, 1_000, 1_000));
        Assert.Equal(0ul, CarbonModule.Credit(100, 9, 0, 0));
        Assert.Equal(1ul, CarbonModule.Credit(100, 19, 0, 0));
    }

    [Fact]
    public void Retiring_more_than_held_or_something_that_is_not_a_credit_is_refused()
    {
        EndPeriod(0);
        Assert.True(Drive(_day, 50_000, 8_000).Succeeded);
        Assert.True(ClaimBy(_chain.AcmeAdmin).Succeeded);
        Assert.True(VerifyBy(_chain.GridAdmin).Succeeded);
        var held = TokensModule.ReadBalance(_chain, "CEVLC0", _owner.Address);
        Assert.Equal((UInt128)3_600, held);

        AssertRefused(CarbonErrors.RetireExceedsBalance, () => Carbon(_owner, CarbonModule.Retire, new RetirePayload("CEVLC0", held + 1, "Someone", "too much")));
        AssertRefused(CarbonErrors.RetireExceedsBalance, () => Carbon(_chain.GridAdmin, CarbonModule.Retire, new RetirePayload("CEVLC0", 1, "Someone", "holds none")));
        AssertRefused(TokensErrors.AmountZero, () => Carbon(_owner, CarbonModule.Retire, new RetirePayload("CEVLC0", 0, "Someone", "nothing")));
        AssertRefused(ErrorCodes.InvalidArgument, () => Carbon(_owner, CarbonModule.Retire, new RetirePayload("CEVLC0", 1, string.Empty, "no beneficiary")));
        AssertRefused(CarbonErrors.CarbonNotACredit, () => Carbon(_owner, CarbonModule.Retire, new RetirePayload("CEVLC9", 1, "Someone", "no such vintage")));
        Assert.True(Carbon(_owner, CarbonModule.Retire, new RetirePayload("CEVLC0", held, "Someone", "all of it")).Succeeded);
        Assert.Equal(UInt128.Zero, TokensModule.ReadToken(_chain, "CEVLC0")!.Supply);
    }

    [Fact]
    public void A_methodology_is_registered_once_by_an_admin_with_another_existing_organisation_as_verifier()
    {
        AssertRefused(CarbonErrors.CarbonMethodologyExists, () => Methodology(_chain.GridAdmin, Evlc with { VerifierOrg = "acme" }));
        AssertRefused(CarbonErrors.CarbonMethodologyInvalid, () => Methodology(_chain.AcmeAdmin, Evlc with { Id = "EV2", VerifierOrg = "acme" }));
        AssertRefused(CarbonErrors.CarbonMethodologyInvalid, () => Methodology(_chain.AcmeAdmin, Evlc with { Id = "EVB", VerifierOrg = "nobody" }));
        AssertRefused(CarbonErrors.CarbonMethodologyInvalid, () => Methodology(_chain.AcmeAdmin, Evlc with { Id = "Evb" }));
        AssertRefused(CarbonErrors.CarbonMethodologyInvalid, () => Methodology(_chain.AcmeAdmin, Evlc with { Id = "EVB", Baselines = [new("van", 200), new("car", 120)] }));
        AssertRefused(CarbonErrors.CarbonMethodologyInvalid, () => Methodology(_chain.AcmeAdmin, Evlc with { Id = "EVB", GridFactors = [new("north", 9, 300)] }));
        AssertRefused(CarbonErrors.CarbonMethodologyInvalid, () => Methodology(_chain.AcmeAdmin, Evlc with { Id = "EVB", PeriodDays = 0 }));
        AssertRefused(TelemetryErrors.SchemaNotFound, () => Methodology(_chain.AcmeAdmin, Evlc with { Id = "EVB", Schema = "smart-meter" }));
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, BuiltInSchemas.Washer)).Succeeded);
        AssertRefused(CarbonErrors.CarbonMethodologyInvalid, () => Methodology(_chain.AcmeAdmin, Evlc with { Id = "EVB", Schema = "washer" }));
        AssertRefused(ErrorCodes.Unauthorised, () => Methodology(_owner, Evlc with { Id = "EVB" }));
        Assert.Equal("acme", CarbonModule.ReadMethodology(_chain, "EVLC")!.Org);
    }
}
