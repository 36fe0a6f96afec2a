using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Commerce;
using ThingLedger.Execution.Modules.Telemetry;
using static ThingLedger.Execution.Tests.Modules.Commerce.CommerceTestChain;

namespace ThingLedger.Execution.Tests.Modules.Commerce;

/// <summary>Repair orders opened by a diagnosed fault, closed by the visit and the device's normal readings.</summary>
public sealed class RepairTests
{
    private readonly CommerceTestChain _c = new();

    private static FaultMapPayload DrumMotor => new("washer", 2, [new(FlagCode.ValueOutOfRange, "drum-motor")]);

    [Fact]
    public void Only_the_schemas_org_maps_flags_to_repair_categories()
    {
        _c.Refused(CommerceErrors.NotSchemaOwner, _c.Retailer, CommerceNames.MapFaults, DrumMotor);
        _c.Refused(CommerceErrors.FaultsInvalid, _c.Maker, CommerceNames.MapFaults, new FaultMapPayload("washer", 2, []));
        _c.Refused(CommerceErrors.FaultsInvalid, _c.Maker, CommerceNames.MapFaults, new FaultMapPayload("washer", 2, [new((FlagCode)99, "drum-motor")]));
        _c.Refused(CommerceErrors.FaultsInvalid, _c.Maker, CommerceNames.MapFaults,
            new FaultMapPayload("washer", 2, [new(FlagCode.ValueOutOfRange, "drum-motor"), new(FlagCode.ValueOutOfRange, "pump")]));
        _c.Refused(TelemetryErrors.SchemaNotFound, _c.Maker, CommerceNames.MapFaults, new FaultMapPayload("washer", 7, DrumMotor.Faults));
        _c.Ok(_c.Maker, CommerceNames.MapFaults, DrumMotor);
        Assert.Equal("drum-motor", CommerceModule.ReadFaults(_c.Chain, "washer@2")!.CategoryOf(FlagCode.ValueOutOfRange));
    }

    [Fact]
    public void A_diagnosed_fault_opens_a_repair_and_the_visit_and_normal_readings_close_and_pay_it()
    {
        _c.Ok(_c.Maker, CommerceNames.MapFaults, DrumMotor);
        var id = _c.Agree(_c.Repairs());
        Assert.Empty(Events(_c.Readings(_c.Washer, last: 500, flag: FlagCode.RateOfChange), "repair-opened")); // not a repair category

        var faulty = _c.Readings(_c.Washer, last: 500, flag: FlagCode.ValueOutOfRange, vibration: 300);
        var opened = Events(faulty, "repair-opened").Single();
        Assert.Equal(("VALUE_OUT_OF_RANGE", "drum-motor", "washer-screen@1"), (opened["flag"], opened["category"], opened["model"]));
        var order = _c.Order(id, 0);
        Assert.Equal((faulty.TxId, FlagCode.ValueOutOfRange, (UInt128)1_200), (order.Trigger.AnchorTx, order.Trigger.Flag, order.Amount));
        Assert.Empty(Events(_c.Readings(_c.Washer, last: 500, flag: FlagCode.ValueOutOfRange), "repair-opened")); // one open repair is enough

        _c.Ok(_c.Retailer, CommerceNames.Accept, new OrderPayload(id, 0));
        _c.Ok(_c.Retailer, CommerceNames.Ship, new ShipPayload(id, 0, "technician T-12"));
        _c.Refused(CommerceErrors.OrderState, _c.Owner, CommerceNames.Cancel, new OrderPayload(id, 0)); // dispatched
        _c.Refused(CommerceErrors.NotConfirmer, _c.Owner, CommerceNames.Confirm, new OrderPayload(id, 0)); // the visit is the service org's to record
        _c.Ok(_c.Retailer, CommerceNames.Confirm, new OrderPayload(id, 0));
        Assert.Equal(CommerceOrderStatus.Visited, _c.Order(id, 0).Status);
        // Still faulty after the visit: not paid.
        _c.Readings(_c.Washer, last: 500, flag: FlagCode.ValueOutOfRange);
        Assert.Equal(CommerceOrderStatus.Visited, _c.Order(id, 0).Status);
        var normal = _c.Readings(_c.Washer, last: 480);
        Assert.Equal("readings", Events(normal, "order-delivered").Single()["by"]);
        Assert.Equal("1200", Events(normal, "payment-released").Single()["amount"]);
        Assert.Equal((UInt128)1_200, _c.Balance(_c.Retailer.Address));
    }

    [Fact]
    public void The_owner_opens_a_repair_only_for_a_recorded_fault_and_may_cancel_it_before_dispatch()
    {
        _c.Ok(_c.Maker, CommerceNames.MapFaults, DrumMotor);
        var id = _c.Agree(_c.Repairs());
        var today = DeviceSummary.DayOf(_c.Now);
        _c.Refused(CommerceErrors.NoFault, _c.Owner, CommerceNames.Repair, new RepairPayload(id, _c.Washer.Address, today, "drum-motor"));
        _c.Readings(_c.Washer, last: 500, flag: FlagCode.RateOfChange);
        _c.Refused(CommerceErrors.NoFault, _c.Owner, CommerceNames.Repair, new RepairPayload(id, _c.Washer.Address, today, "drum-motor"));
        _c.Refused(CommerceErrors.DeviceNotCovered, _c.Owner, CommerceNames.Repair, new RepairPayload(id, _c.Other.Address, today, "drum-motor"));

        // A fault recorded while the agreement was paused opened nothing; the owner opens the repair for it.
        _c.Ok(_c.Owner, CommerceNames.Pause, new AgreementPayload(id));
        Assert.Equal(CommerceErrors.AgreementPaused, Events(_c.Readings(_c.Washer, last: 500, flag: FlagCode.ValueOutOfRange), "order-skipped").Single()["code"]);
        _c.Ok(_c.Owner, CommerceNames.Resume, new AgreementPayload(id));
        _c.Refused(CommerceErrors.NotOwner, _c.Washer, CommerceNames.Repair, new RepairPayload(id, _c.Washer.Address, today, "drum-motor"));
        var opened = _c.Ok(_c.Owner, CommerceNames.Repair, new RepairPayload(id, _c.Washer.Address, today, "drum-motor"));
        Assert.Equal("owner", Events(opened, "order-placed").Single()["source"]);
        _c.Ok(_c.Owner, CommerceNames.Cancel, new OrderPayload(id, 0));
        Assert.Equal(UInt128.Zero, _c.Agreement(id).Reserved);
        _c.Refused(CommerceErrors.WrongKind, _c.Washer, CommerceNames.Order, new DeviceOrderPayload(id, Sku, 1, 1));
    }
}
