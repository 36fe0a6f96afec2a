using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Execution.Tests.Modules;

public sealed class TelemetryModuleTests
{
    private readonly TestChain _chain = new();
    private readonly KeyPair _device = KeyPair.Generate();

    public TelemetryModuleTests()
    {
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, BuiltInSchemas.Ev)).Succeeded);
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, DevicesModule.ModuleName, DevicesModule.Register,
            new RegisterDevicePayload(_device.PublicKey, "EV", "SN-1", _chain.AcmeAdmin.Address, [], TestChain.Possession(_device, "acme", "SN-1")))).Succeeded);
    }

    private DeviceSummary Summary(ulong first, ulong last, uint count, long distance = 100) =>
        new(_device.Address, "ev", 1, count, first, last, [10, 20, distance, 0, 0]);

    private static AnchorPayload Anchor(ulong firstIngest, params DeviceSummary[] summaries)
    {
        ulong count = 0;
        foreach (var s in summaries)
        {
            count += s.Count;
        }
        return new AnchorPayload(Hash.Sha256([1]), count, 1, 2, firstIngest, firstIngest + count - 1, summaries);
    }

    private Receipt AnchorBy(KeyPair signer, AnchorPayload anchor) =>
        _chain.Run(_chain.Tx(signer, TelemetryModule.ModuleName, TelemetryModule.Anchor, anchor));

    private Receipt RegisterModel(KeyPair signer, ModelRegistration model) =>
        _chain.Run(_chain.Tx(signer, TelemetryModule.ModuleName, TelemetryModule.RegisterModel, model));

    private static readonly ModelRegistration EvScreen = new("ev-screen", 1, "ev", 1, Hash.Sha256([7]));

    [Fact]
    public void A_screening_model_is_registered_once_by_an_admin_for_a_registered_schema()
    {
        Assert.True(RegisterModel(_chain.AcmeAdmin, EvScreen).Succeeded);
        var record = TelemetryModule.ReadModel(_chain, "ev-screen@1")!;
        Assert.Equal((EvScreen.ParametersHash, "ev"), (record.Model.ParametersHash, record.Model.Schema));
        Assert.NotEmpty(record.Org);

        Assert.Equal(TelemetryErrors.ModelExists, RegisterModel(_chain.GridAdmin, EvScreen with { ParametersHash = Hash.Sha256([8]) }).ErrorCode);
        Assert.Equal(EvScreen.ParametersHash, TelemetryModule.ReadModel(_chain, "ev-screen@1")!.Model.ParametersHash);
        Assert.Equal(TelemetryErrors.SchemaNotFound, RegisterModel(_chain.AcmeAdmin, EvScreen with { Id = "meter-screen", Schema = "smart-meter" }).ErrorCode);
        Assert.Equal(TelemetryErrors.ModelInvalid, RegisterModel(_chain.AcmeAdmin, EvScreen with { Id = "Bad Id" }).ErrorCode);
        Assert.Equal(TelemetryErrors.ModelInvalid, RegisterModel(_chain.AcmeAdmin, EvScreen with { Id = "v2", Version = 0 }).ErrorCode);
        using var stranger = KeyPair.Generate();
        Assert.Equal(ErrorCodes.Unauthorised, RegisterModel(stranger, EvScreen with { Id = "other" }).ErrorCode);
        Assert.Null(TelemetryModule.ReadModel(_chain, "other@1"));
    }

    private static ScreeningModelConfig EvModel(ushort version = 1, params ScreeningRule[] rules) =>
        new("ev-watch", version, "ev", 1, rules.Length > 0 ? rules : [new RangeRule(FlagCode.ValueOutOfRange, "speed_kmh", 0, 2_000)]);

    private string Refusal(Receipt receipt) => receipt.Events.Single(e => e.Name == "model-refused")["reason"]!;

    [Fact]
    public void A_model_registered_with_its_parameters_screens_its_schema_and_its_next_versions_are_its_owners()
    {
        var first = RegisterModel(_chain.AcmeAdmin, EvModel().Registration());
        Assert.True(first.Succeeded);
        Assert.Equal(EvModel(), TelemetryModule.ReadModelParameters(_chain, "ev-watch@1"));
        Assert.Equal("ev-watch@1", TelemetryModule.ReadActiveModel(_chain, "ev@1")!.Model);
        Assert.Contains(first.Events, e => e.Name == "screening-changed" && e["model"] == "ev-watch@1");

        // Another org may register its own model for the schema, but it does not take over the schema's screening.
        var rival = EvModel() with { Id = "grid-watch" };
        Assert.True(RegisterModel(_chain.GridAdmin, rival.Registration()).Succeeded);
        Assert.Equal("ev-watch@1", TelemetryModule.ReadActiveModel(_chain, "ev@1")!.Model);

        // Nor may it register the next version of a model it does not own; versions follow one another.
        var taken = RegisterModel(_chain.GridAdmin, EvModel(2).Registration());
        Assert.Equal(TelemetryErrors.ModelNotOwner, taken.ErrorCode);
        Assert.Contains("acme", Refusal(taken));
        Assert.Equal(TelemetryErrors.ModelVersionGap, RegisterModel(_chain.AcmeAdmin, EvModel(3).Registration()).ErrorCode);
        Assert.Null(TelemetryModule.ReadModel(_chain, "ev-watch@2"));

        // The owner's next version takes over at once.
        Assert.True(RegisterModel(_chain.AcmeAdmin, EvModel(2, new CeilingRule(FlagCode.SpeedImplausible, "speed_kmh", 1_800)).Registration()).Succeeded);
        Assert.Equal("ev-watch@2", TelemetryModule.ReadActiveModel(_chain, "ev@1")!.Model);
    }

    [Fact]
    public void Parameters_that_do_not_fit_the_schema_or_are_out_of_range_are_refused_with_the_reason_and_change_nothing()
    {
        (ScreeningModelConfig Model, string Why)[] cases =
        [
            (EvModel(1, new RangeRule(FlagCode.ValueOutOfRange, "velocity", 0, 10)), "has no field 'velocity'"),
            (EvModel(1, new WindowedGaussianRule(FlagCode.Outlier, "speed_kmh", -5, 30, 10)), "window -5 must be 2–4,096"),
            (EvModel(1, new SeasonalZRule(FlagCode.Outlier, "speed_kmh", 60, 0, Seasonality.HourOfDay, 6, 100, 12)), "deviation floor 0 must be above 0"),
            (EvModel(1, new CusumRule(FlagCode.LevelShift, "speed_kmh", 5, 0, 10, Seasonality.None, 48, 10)), "limit h 0 must be above 0"),
            (EvModel(1, new StuckRule(FlagCode.StuckValue, "speed_kmh", 1)), "must be 2–100,000"),
            (EvModel(1, new RangeRule((FlagCode)99, "speed_kmh", 0, 10)), "unknown flag code 99"),
            (EvModel(1, new RangeRule(FlagCode.ValueOutOfRange, "speed_kmh", 10, 0)), "range [10, 0] is empty"),
        ];
        foreach (var (model, why) in cases)
        {
            var receipt = RegisterModel(_chain.AcmeAdmin, model.Registration());
            Assert.Equal(TelemetryErrors.ModelInvalid, receipt.ErrorCode);
            Assert.Contains(why, Refusal(receipt));
        }
        var good = EvModel().Registration();
        Assert.Contains("hash to", Refusal(RegisterModel(_chain.AcmeAdmin, good with { ParametersHash = Hash.Sha256([1]) })));
        Assert.Contains("not a screening model's canonical bytes", Refusal(RegisterModel(_chain.AcmeAdmin, good with { Parameters = [1, 2, 3], ParametersHash = Hash.Sha256([1, 2, 3]) })));
        Assert.Contains("not ev-other@1", Refusal(RegisterModel(_chain.AcmeAdmin, good with { Id = "ev-other" })));
        Assert.Null(TelemetryModule.ReadModel(_chain, "ev-watch@1"));
        Assert.Null(TelemetryModule.ReadActiveModel(_chain, "ev@1"));
    }

    [Fact]
    public void An_anchors_historic_ranges_must_lie_in_it_and_the_chain_records_whether_their_operator_is_the_custodians()
    {
        var anchor = Anchor(1, Summary(1, 3, 3));
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, anchor with { Historic = [new HistoricImport(2, 4, _chain.AcmeAdmin.Address)] }).ErrorCode);
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, anchor with
        {
            Historic = [new HistoricImport(1, 2, _chain.AcmeAdmin.Address), new HistoricImport(2, 3, _chain.AcmeAdmin.Address)],
        }).ErrorCode);
        Assert.Null(TelemetryModule.ReadDevice(_chain, _device.Address));

        // The node checked the operator when the readings came in; the chain says what it sees now, and never refuses for it.
        using var stranger = KeyPair.Generate();
        var good = AnchorBy(_chain.AcmeAdmin, anchor with { Historic = [new HistoricImport(1, 1, stranger.Address), new HistoricImport(2, 3, _chain.AcmeAdmin.Address)] });
        Assert.True(good.Succeeded);
        Assert.Equal(["1 no", "2 yes"], good.Events.Where(e => e.Name == "historic-import").Select(e => $"{e["readings"]} {e["authorised"]}"));
        Assert.Equal(stranger.Address.ToString(), good.Events.First(e => e.Name == "historic-import")["operator"]);
        var decoded = Payload.TryDecode(Canonical.Encode(anchor with { Historic = [new HistoricImport(2, 3, _chain.AcmeAdmin.Address)] }), AnchorPayload.Read, out var back);
        Assert.True(decoded && back.Historic.Single() == new HistoricImport(2, 3, _chain.AcmeAdmin.Address));
    }

    [Fact]
    public void A_summary_naming_an_unregistered_model_or_one_for_another_schema_is_refused()
    {
        var day = DeviceSummary.DayOf(1_700_000_000_000);
        Assert.Equal(TelemetryErrors.ModelNotFound, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 2, 2) with { Day = day, Model = "ev-screen@1" })).ErrorCode);
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, BuiltInSchemas.SmartMeter)).Succeeded);
        Assert.True(RegisterModel(_chain.AcmeAdmin, new ModelRegistration("meter-screen", 1, "smart-meter", 1, Hash.Sha256([9]))).Succeeded);
        Assert.Equal(TelemetryErrors.ModelNotFound, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 2, 2) with { Day = day, Model = "meter-screen@1" })).ErrorCode);
        Assert.Null(TelemetryModule.ReadDevice(_chain, _device.Address));

        Assert.True(RegisterModel(_chain.AcmeAdmin, EvScreen).Succeeded);
        Assert.True(AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 2, 2) with { Day = day, Model = "ev-screen@1" })).Succeeded);
    }

    [Fact]
    public void An_anchor_records_counts_sequences_and_running_sums()
    {
        Assert.True(AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 5, 5))).Succeeded);
        Assert.True(AnchorBy(_chain.AcmeAdmin, Anchor(6, Summary(7, 9, 2, distance: 50))).Succeeded);
        var device = TelemetryModule.ReadDevice(_chain, _device.Address)!;
        Assert.Equal((7ul, 9ul), (device.Count, device.LastSequence));
        Assert.Equal(150, TelemetryModule.ReadTotals(_chain, _device.Address, "ev@1")!.Sums[2]);
        var custodian = TelemetryModule.ReadCustodian(_chain, _chain.AcmeAdmin.Address)!;
        Assert.Equal((7ul, 2ul), (custodian.LastIngest, custodian.Anchors));
    }

    [Fact]
    public void Anchors_add_up_per_device_and_day_with_flagged_readings_kept_apart()
    {
        var day = DeviceSummary.DayOf(1_700_000_000_000);
        Assert.True(RegisterModel(_chain.AcmeAdmin, EvScreen).Succeeded);
        Assert.True(AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 5, 5) with { Day = day })).Succeeded);
        Assert.True(AnchorBy(_chain.AcmeAdmin, Anchor(6, Summary(6, 9, 4, distance: 40) with
        {
            Day = day,
            Model = "ev-screen@1",
            Flagged = 1,
            FlaggedSums = [0, 0, 10, 0, 0],
            Flags = [new(FlagCode.SpeedImplausible, 1, 900)],
        })).Succeeded);
        Assert.True(AnchorBy(_chain.AcmeAdmin, Anchor(10, Summary(10, 10, 1, distance: 7) with { Day = day - 1 })).Succeeded);

        var totals = TelemetryModule.ReadDay(_chain, _device.Address, "ev@1", day)!;
        Assert.Equal((9ul, 1ul), (totals.Count, totals.Flagged));
        Assert.Equal(140, totals.Sums[2]);
        Assert.Equal(130, totals.CleanSum(2));
        Assert.Equal([new FlagTally(FlagCode.SpeedImplausible, 1, 900)], totals.Flags);
        Assert.False(totals.HasDeviceLevelFlag());
        Assert.Equal(7, TelemetryModule.ReadDay(_chain, _device.Address, "ev@1", day - 1)!.CleanSum(2));
    }

    [Fact]
    public void Summaries_with_inconsistent_flags_or_a_future_day_are_refused()
    {
        var day = DeviceSummary.DayOf(1_700_000_000_000);
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 2, 2) with { Day = day, Flagged = 1 })).ErrorCode);
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 2, 2) with
        {
            Day = day,
            Model = "m@1",
            Flagged = 1,
            FlaggedSums = [0, 0, 1, 0, 0],
            Flags = [new((FlagCode)42, 1, 1)],
        })).ErrorCode);
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 2, 2) with { Day = day + 2 })).ErrorCode);
        // Levels: one per level field of ev@1 (odometer, speed, state of charge), within range, and only over unflagged readings.
        var levels = new SummaryLevels([5_000, 0, 500], [5_010, 300, 480 + 20]);
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 2, 2) with { Day = day, Levels = levels with { Min = [5_000, 0], Last = [5_010, 300] } })).ErrorCode);
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 2, 2) with { Day = day, Levels = levels with { Last = [5_010, 3_001, 500] } })).ErrorCode);
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 2, 2) with
        {
            Day = day,
            Model = "m@1",
            Flagged = 2,
            FlaggedSums = [10, 20, 2, 0, 0],
            Flags = [new(FlagCode.SpeedImplausible, 2, 900)],
            Levels = levels,
        })).ErrorCode);
        Assert.Null(TelemetryModule.ReadDevice(_chain, _device.Address));
        Assert.True(AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 2, 2) with { Day = day + 1 })).Succeeded);
    }

    [Fact]
    public void Only_a_custodian_anchors()
    {
        Assert.Equal(TelemetryErrors.NotCustodian, AnchorBy(_chain.GridAdmin, Anchor(1, Summary(1, 1, 1))).ErrorCode);
    }

    [Fact]
    public void A_device_sequence_is_never_anchored_twice()
    {
        Assert.True(AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 5, 5))).Succeeded);
        Assert.Equal(TelemetryErrors.AnchorSequenceReplayed, AnchorBy(_chain.AcmeAdmin, Anchor(6, Summary(5, 6, 2))).ErrorCode);
        Assert.Equal(5ul, TelemetryModule.ReadDevice(_chain, _device.Address)!.Count);
    }

    [Fact]
    public void Ingest_ranges_continue_without_gap_or_overlap()
    {
        Assert.True(AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 2, 2))).Succeeded);
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(2, Summary(3, 3, 1))).ErrorCode);
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(5, Summary(3, 3, 1))).ErrorCode);
        Assert.True(AnchorBy(_chain.AcmeAdmin, Anchor(3, Summary(3, 3, 1))).Succeeded);
    }

    [Fact]
    public void Inconsistent_summaries_are_refused()
    {
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(5, 3, 1))).ErrorCode);
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 2, 3))).ErrorCode);
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 2, 2) with { Sums = [1] })).ErrorCode);
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(3, 4, 2), Summary(1, 2, 2))).ErrorCode);
        Assert.Equal(TelemetryErrors.SchemaNotFound, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 1, 1) with { Schema = "nope" })).ErrorCode);
        Assert.Equal(DevicesErrors.DeviceNotFound, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 1, 1) with { Device = KeyPair.Generate().Address })).ErrorCode);
        Assert.Null(TelemetryModule.ReadDevice(_chain, _device.Address));
    }

    [Fact]
    public void Schemas_are_registered_once_by_an_organisation_and_must_be_valid()
    {
        var again = _chain.Run(_chain.Tx(_chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, BuiltInSchemas.Ev));
        Assert.Equal(TelemetryErrors.SchemaExists, again.ErrorCode);
        using var stranger = KeyPair.Generate();
        Assert.Equal(ErrorCodes.Unauthorised, _chain.Run(_chain.Tx(stranger, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, BuiltInSchemas.Washer)).ErrorCode);
        var invalid = new TelemetrySchema("bad", 1, [new SchemaField("x", "u", 0, 5, 1, false)]);
        Assert.Equal(TelemetryErrors.SchemaInvalid, _chain.Run(_chain.Tx(_chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, invalid)).ErrorCode);
        var duplicateFields = new TelemetrySchema("dup", 1, [new SchemaField("x", "u", 0, 0, 1, false), new SchemaField("x", "u", 0, 0, 1, false)]);
        Assert.Equal(TelemetryErrors.SchemaInvalid, _chain.Run(_chain.Tx(_chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, duplicateFields)).ErrorCode);
        Assert.Equal("acme", TelemetryModule.ReadSchema(_chain, "ev", 1)!.Org);
    }

    [Fact]
    public void A_schema_with_a_summary_period_keeps_it_on_chain_and_its_summaries_must_each_name_one_of_its_periods()
    {
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, BuiltInSchemas.SmartMeter2)).Succeeded);
        Assert.Equal(15, TelemetryModule.ReadSchema(_chain, "smart-meter", 2)!.Schema.SummaryMinutes);
        var odd = new TelemetrySchema("odd", 1, [new SchemaField("x", "u", 0, 0, 1, true)]) { SummaryMinutes = 7 };
        Assert.Equal(TelemetryErrors.SchemaInvalid, _chain.Run(_chain.Tx(_chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, odd)).ErrorCode);

        var day = DeviceSummary.DayOf(1_700_000_000_000);
        DeviceSummary Meter(ulong first, SummaryPeriod? period) => new DeviceSummary(_device.Address, "smart-meter", 2, 1, first, first, [0, 100]) { Day = day, Period = period };
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(1, Meter(1, null))).ErrorCode);
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(1, Meter(1, new SummaryPeriod(720, 30)))).ErrorCode);
        Assert.Equal(TelemetryErrors.AnchorInvalid, AnchorBy(_chain.AcmeAdmin, Anchor(1, Summary(1, 1, 1) with { Period = new SummaryPeriod(720, 15) })).ErrorCode);
        Assert.True(AnchorBy(_chain.AcmeAdmin, Anchor(1, Meter(1, new SummaryPeriod(720, 15)), Meter(2, new SummaryPeriod(735, 15)))).Succeeded);
    }
}
