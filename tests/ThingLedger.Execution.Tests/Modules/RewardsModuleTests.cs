using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Rewards;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Tests.Modules;

/// <summary>
/// acme pays PTS: 5 per km of clean ev distance (distance_km at scale 3, so per 1,000) and 1 per
/// clean summary, capped at 100 per account per day, from a budget of 1,000. Sums of the ev
/// schema, in order: energy, co2, distance (m), harsh braking, crashes.
/// </summary>
public sealed class RewardsModuleTests
{
    private readonly TestChain _chain = new();
    private readonly KeyPair _owner = KeyPair.Generate();
    private readonly KeyPair _car = KeyPair.Generate();
    private readonly uint _day = DeviceSummary.DayOf(1_700_000_000_000);
    private ulong _sequence;

    private static readonly Programme Drive = new("drive", "PTS", 1_000, 1, 100, "ev", 1, "distance_km", 1_000, 5, 1, 0, 0);

    public RewardsModuleTests()
    {
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, BuiltInSchemas.Ev)).Succeeded);
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TokensModule.ModuleName, TokensModule.Create, new CreateTokenPayload("PTS", "Points", 0, Roles.Admin, 0))).Succeeded);
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TokensModule.ModuleName, TokensModule.Mint, new TokenAmountPayload("PTS", _chain.AcmeAdmin.Address, 5_000))).Succeeded);
        Assert.True(Register(_car).Succeeded);
    }

    private Receipt Register(KeyPair device, KeyPair? owner = null) =>
        _chain.Run(_chain.Tx(_chain.AcmeAdmin, DevicesModule.ModuleName, DevicesModule.Register,
            new RegisterDevicePayload(device.PublicKey, "EV", "SN-" + device.Address.ToString()[2..10], (owner ?? _owner).Address, [],
                TestChain.Possession(device, "acme", "SN-" + device.Address.ToString()[2..10]))));

    private Receipt Create(Programme p, KeyPair? signer = null) =>
        _chain.Run(_chain.Tx(signer ?? _chain.AcmeAdmin, RewardsModule.ModuleName, RewardsModule.CreateOp, p));

    private Receipt Rewards(KeyPair signer, string operation, Core.Codec.ICanonical payload) =>
        _chain.Run(_chain.Tx(signer, RewardsModule.ModuleName, operation, payload));

    private Receipt Anchor(long metres, long flaggedMetres = 0, FlagCode? flag = null, KeyPair? device = null)
    {
        var first = _sequence + 1;
        _sequence += 4;
        var summary = new DeviceSummary((device ?? _car).Address, "ev", 1, 4, first, _sequence, [0, 0, metres, 0, 0]) { Day = _day };
        if (flag is { } code)
        {
            summary = summary with { Model = "ev-screen@1", Flagged = 1, FlaggedSums = [0, 0, flaggedMetres, 0, 0], Flags = [new(code, 1, 900)] };
        }
        return _chain.Anchor(summary);
    }

    private UInt128 Points(KeyPair who) => TokensModule.ReadBalance(_chain, "PTS", who.Address);

    private void Enrol(KeyPair device, KeyPair? owner = null) =>
        Assert.True(Rewards(owner ?? _owner, RewardsModule.Enrol, new ProgrammeDevicePayload("drive", device.Address)).Succeeded);

    private void RegisterScreeningModel() =>
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterModel,
            new ModelRegistration("ev-screen", 1, "ev", 1, Hash.Sha256([7])))).Succeeded);

    [Fact]
    public void Anchored_clean_data_of_enrolled_devices_pays_their_owners_in_the_anchor_tx_carrying_part_units_over()
    {
        Assert.True(Create(Drive).Succeeded);
        Assert.Equal((UInt128)1_000, TokensModule.ReadBalance(_chain, "PTS", RewardsModule.Escrow("drive")));
        Assert.True(Anchor(2_500).Succeeded);
        Assert.Equal(UInt128.Zero, Points(_owner)); // not enrolled: not shared, not paid

        Enrol(_car);
        var anchor = Anchor(2_500);
        // 2 km × 5 + 1 clean summary; 500 m carried.
        Assert.Equal((UInt128)11, Points(_owner));
        var paid = Assert.Single(anchor.Events, e => e.Module == "rewards" && e.Name == "paid");
        Assert.Contains(paid.Attributes, a => a.Key == "device" && a.Value == _car.Address.ToString());
        // Named under "symbol", where the activity index and the explorer read every module's token, so the payout is in PTS's history.
        Assert.Equal("PTS", paid["symbol"]);
        Assert.Null(paid["token"]);
        Assert.True(Anchor(600).Succeeded); // 1,100 m: 1 km, 100 m carried
        Assert.Equal((UInt128)17, Points(_owner));
        Assert.Equal((UInt128)17, RewardsModule.ReadProgramme(_chain, "drive")!.Paid);
        Assert.Equal((UInt128)(1_000 - 17), TokensModule.ReadBalance(_chain, "PTS", RewardsModule.Escrow("drive")));
    }

    [Fact]
    public void Flagged_data_duplicate_devices_and_revoked_devices_earn_nothing()
    {
        RegisterScreeningModel();
        Assert.True(Create(Drive).Succeeded);
        Enrol(_car);
        // 3 km of which 2 flagged for speed: 1 km, and no clean-summary point.
        Assert.True(Anchor(3_000, 2_000, FlagCode.SpeedImplausible).Succeeded);
        Assert.Equal((UInt128)5, Points(_owner));
        // A duplicate stream condemns the whole summary.
        var duplicate = Anchor(9_000, 1_000, FlagCode.DuplicateStream);
        Assert.True(duplicate.Succeeded);
        Assert.Equal((UInt128)5, Points(_owner));
        Assert.Contains(duplicate.Events, e => e.Name == "skipped" && e.Attributes.Any(a => a.Value == "device-flagged"));

        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, DevicesModule.ModuleName, DevicesModule.Revoke, new RevokeDevicePayload(_car.Address, "cloned"))).Succeeded);
        Assert.True(Anchor(9_000).Succeeded);
        Assert.Equal((UInt128)5, Points(_owner));
    }

    [Fact]
    public void Rewards_stop_at_the_cap_per_account_and_period_and_at_the_budget()
    {
        Assert.True(Create(Drive with { Budget = 150 }).Succeeded);
        Enrol(_car);
        var capped = Anchor(30_000); // 151 due, 100 allowed today
        Assert.Equal((UInt128)100, Points(_owner));
        Assert.Contains(capped.Events, e => e.Name == "skipped" && e.Attributes.Any(a => a.Key == "reason" && a.Value == "cap"));
        Assert.True(Anchor(30_000).Succeeded);
        Assert.Equal((UInt128)100, Points(_owner));

        // The next day the cap resets; the budget has 50 left.
        _chain.Clock += DeviceSummary.DayMs;
        var exhausted = Anchor(30_000);
        Assert.Equal((UInt128)150, Points(_owner));
        Assert.Contains(exhausted.Events, e => e.Name == "skipped" && e.Attributes.Any(a => a.Key == "reason" && a.Value == "budget"));
        Assert.Equal(UInt128.Zero, TokensModule.ReadBalance(_chain, "PTS", RewardsModule.Escrow("drive")));
    }

    [Fact]
    public void Onboarding_pays_a_device_owner_once_within_cap_and_budget()
    {
        Assert.True(Create(Drive with { Onboarding = 60, Budget = 100 }).Succeeded);
        var claim = () => Rewards(_owner, RewardsModule.ClaimOnboarding, new ProgrammeDevicePayload("drive", _car.Address));
        _chain.AssertRefused(DevicesErrors.NotDeviceOwner, () => Rewards(_chain.GridAdmin, RewardsModule.ClaimOnboarding, new ProgrammeDevicePayload("drive", _car.Address)));
        Assert.True(claim().Succeeded);
        Assert.Equal((UInt128)60, Points(_owner));
        _chain.AssertRefused(RewardsErrors.RewardAlreadyPaid, claim);

        var second = KeyPair.Generate();
        Assert.True(Register(second).Succeeded);
        // 60 + 60 would pass the cap of 100 per day.
        _chain.AssertRefused(RewardsErrors.RewardCapReached, () => Rewards(_owner, RewardsModule.ClaimOnboarding, new ProgrammeDevicePayload("drive", second.Address)));
        _chain.Clock += DeviceSummary.DayMs;
        // The next day the cap allows it, but only 40 of the budget is left.
        _chain.AssertRefused(RewardsErrors.ProgrammeBudgetExhausted, () => Rewards(_owner, RewardsModule.ClaimOnboarding, new ProgrammeDevicePayload("drive", second.Address)));

        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, DevicesModule.ModuleName, DevicesModule.Revoke, new RevokeDevicePayload(second.Address, "stolen"))).Succeeded);
        _chain.AssertRefused(DevicesErrors.DeviceRevoked, () => Rewards(_owner, RewardsModule.ClaimOnboarding, new ProgrammeDevicePayload("drive", second.Address)));
    }

    [Fact]
    public void A_referral_pays_the_referrer_once_per_new_owner_and_never_for_referring_oneself()
    {
        Assert.True(Create(Drive with { Referral = 25 }).Succeeded);
        var newOwner = KeyPair.Generate();
        var newCar = KeyPair.Generate();
        Assert.True(Register(newCar, newOwner).Succeeded);

        _chain.AssertRefused(RewardsErrors.SelfReferral, () => Rewards(newOwner, RewardsModule.Refer, new ReferPayload("drive", newOwner.Address, newCar.Address)));
        _chain.AssertRefused(DevicesErrors.NotDeviceOwner, () => Rewards(newOwner, RewardsModule.Refer, new ReferPayload("drive", _owner.Address, _car.Address)));
        Assert.True(Rewards(newOwner, RewardsModule.Refer, new ReferPayload("drive", _owner.Address, newCar.Address)).Succeeded);
        Assert.Equal((UInt128)25, Points(_owner));
        _chain.AssertRefused(RewardsErrors.RewardAlreadyPaid, () => Rewards(newOwner, RewardsModule.Refer, new ReferPayload("drive", _chain.GridAdmin.Address, newCar.Address)));
        _chain.AssertRefused(RewardsErrors.ProgrammeNotFound, () => Rewards(newOwner, RewardsModule.Refer, new ReferPayload("nope", _owner.Address, newCar.Address)));
        _chain.AssertRefused(RewardsErrors.RewardNotOffered, () => Rewards(_owner, RewardsModule.ClaimOnboarding, new ProgrammeDevicePayload("drive", _car.Address)));
    }

    [Fact]
    public void A_programme_is_created_once_by_an_admin_paying_its_own_organisations_token_from_a_budget_it_holds()
    {
        _chain.AssertRefused(ErrorCodes.Unauthorised, () => Create(Drive, _owner));
        _chain.AssertRefused(RewardsErrors.ProgrammeInvalid, () => Create(Drive, _chain.GridAdmin));
        _chain.AssertRefused(RewardsErrors.ProgrammeInvalid, () => Create(Drive with { UnitField = "speed_kmh" }));
        _chain.AssertRefused(RewardsErrors.ProgrammeInvalid, () => Create(Drive with { PerUnit = 0, PerCleanSummary = 0 }));
        _chain.AssertRefused(RewardsErrors.ProgrammeInvalid, () => Create(Drive with { CapPerPeriod = 0 }));
        _chain.AssertRefused(TokensErrors.InsufficientBalance, () => Create(Drive with { Budget = 5_001 }));
        Assert.True(Create(Drive).Succeeded);
        _chain.AssertRefused(RewardsErrors.ProgrammeExists, () => Create(Drive));
        Enrol(_car);
        _chain.AssertRefused(RewardsErrors.AlreadyEnrolled, () => Rewards(_owner, RewardsModule.Enrol, new ProgrammeDevicePayload("drive", _car.Address)));
        _chain.AssertRefused(DevicesErrors.NotDeviceOwner, () => Rewards(_chain.GridAdmin, RewardsModule.Enrol, new ProgrammeDevicePayload("drive", _car.Address)));
    }
}
