using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Commerce;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;
using static ThingLedger.Execution.Tests.Modules.Commerce.CommerceTestChain;

namespace ThingLedger.Execution.Tests.Modules.Commerce;

/// <summary>Orders placed by anchored readings, and deliveries the device's own readings show.</summary>
public sealed class ReadingsTests
{
    private readonly CommerceTestChain _c = new();

    [Fact]
    public void A_level_below_the_threshold_orders_in_the_anchor_itself_once_per_open_order()
    {
        var id = _c.Agree(_c.Supply());
        _c.Readings(_c.Washer, last: 400);
        Assert.Equal(0u, _c.Agreement(id).Orders);

        var anchor = _c.Readings(_c.Washer, last: 120, min: 120);
        var placed = Events(anchor, "order-placed").Single();
        Assert.Equal(("readings", "2", "600"), (placed["source"], placed["units"], placed["amount"]));
        var order = _c.Order(id, 0);
        Assert.Equal((OrderSource.Readings, anchor.TxId, 120L), (order.Source, order.Trigger.AnchorTx, order.Trigger.Level));
        Assert.Equal((11ul, 20ul, "washer-screen@1"), (order.Trigger.FirstSequence, order.Trigger.LastSequence, order.Trigger.Model));

        // Still low at the next anchor: the open order is enough.
        Assert.Empty(Events(_c.Readings(_c.Washer, last: 90), "order-placed"));
        Assert.Equal(1u, _c.Agreement(id).Orders);
        // The other washer has its own order.
        Assert.Single(Events(_c.Readings(_c.Other, last: 10), "order-placed"));
    }

    [Fact]
    public void Readings_screening_flagged_order_nothing_and_neither_does_a_cloned_stream()
    {
        var id = _c.Agree(_c.Supply());
        // A sensor fault: every reading of the summary flagged, so it has no level at all.
        _c.Readings(_c.Washer, last: 0, flag: FlagCode.RateOfChange, allFlagged: true);
        // Some readings flagged: the unflagged ones are at 40 %.
        _c.Readings(_c.Washer, last: 400, flag: FlagCode.RateOfChange);
        // A duplicate stream condemns the whole summary, levels or not.
        _c.Readings(_c.Washer, last: 50, flag: FlagCode.DuplicateStream);
        Assert.Equal(0u, _c.Agreement(id).Orders);
    }

    [Fact]
    public void An_order_the_readings_cannot_place_is_an_event_and_the_anchor_still_commits()
    {
        var id = _c.Agree(_c.Supply(maxOrders: 1));
        _c.Ok(_c.Owner, CommerceNames.Pause, new AgreementPayload(id));
        var anchor = _c.Readings(_c.Washer, last: 100);
        Assert.True(anchor.Succeeded);
        Assert.Equal(CommerceErrors.AgreementPaused, Events(anchor, "order-skipped").Single()["code"]);
        _c.Ok(_c.Owner, CommerceNames.Resume, new AgreementPayload(id));
        Assert.Single(Events(_c.Readings(_c.Washer, last: 100), "order-placed"));
        Assert.Equal(CommerceErrors.FrequencyExceeded, Events(_c.Readings(_c.Other, last: 100), "order-skipped").Single()["code"]);
    }

    [Fact]
    public void The_same_triggering_readings_cannot_be_anchored_twice()
    {
        var id = _c.Agree(_c.Supply());
        _c.Readings(_c.Washer, last: 100);
        var order = _c.Order(id, 0);
        var replay = new DeviceSummary(_c.Washer.Address, "washer", 2, 10, order.Trigger.FirstSequence, order.Trigger.LastSequence, [3])
        {
            Day = order.Trigger.Day,
            Model = "washer-screen@1",
            Levels = new SummaryLevels([100, 300], [100, 300]),
        };
        _c.Ok(_c.Owner, CommerceNames.Cancel, new OrderPayload(id, 0));
        _c.Chain.AssertRefused(TelemetryErrors.AnchorSequenceReplayed, () => _c.Chain.Anchor(replay));
        Assert.Equal(1u, _c.Agreement(id).Orders);
    }

    [Fact]
    public void A_refill_the_device_measured_after_shipment_confirms_delivery_and_pays_the_retailer()
    {
        var id = _c.Agree(_c.Supply(quantity: 1));
        _c.Readings(_c.Washer, last: 100);
        _c.Ok(_c.Retailer, CommerceNames.Accept, new OrderPayload(id, 0));
        _c.Ok(_c.Retailer, CommerceNames.Ship, new ShipPayload(id, 0, "PARCEL-1"));
        // Down to 8 %, then a rise of 40 points: less than one bottle's 50.
        _c.Readings(_c.Washer, last: 80);
        _c.Readings(_c.Washer, last: 480, min: 90);
        Assert.Equal(CommerceOrderStatus.Shipped, _c.Order(id, 0).Status);
        Assert.Equal(80L, _c.Order(id, 0).LowSince);
        var refill = _c.Readings(_c.Washer, last: 900, min: 470);
        Assert.Equal("readings", Events(refill, "order-delivered").Single()["by"]);
        Assert.Single(Events(refill, "payment-released"));
        var order = _c.Order(id, 0);
        Assert.Equal((CommerceOrderStatus.Released, Confirmation.Readings, 40ul), (order.Status, order.DeliveredBy, order.EvidenceSequence));
        Assert.Equal((UInt128)300, _c.Balance(_c.Retailer.Address));
        Assert.Equal(CommerceLimits.NoOrder, CommerceModule.ReadDevice(_c.Chain, _c.Washer.Address).Entries.Single().OpenOrder);
        // The tank is full: nothing more is ordered, until it runs low again.
        Assert.Empty(Events(_c.Readings(_c.Washer, last: 850), "order-placed"));
        Assert.Single(Events(_c.Readings(_c.Washer, last: 140), "order-placed"));
    }

    [Fact]
    public void Two_agreements_of_one_device_both_order_from_the_same_summary()
    {
        var detergent = _c.Agree(_c.Supply(devices: [_c.Washer.Address]));
        var softener = _c.Agree(_c.Supply("softener", devices: [_c.Washer.Address]) with { Sku = "SOFT-1L", Threshold = 200 });
        var anchor = _c.Readings(_c.Washer, last: 100);
        Assert.Equal(2, Events(anchor, "order-placed").Count());
        var entries = CommerceModule.ReadDevice(_c.Chain, _c.Washer.Address).Entries;
        Assert.Equal([(detergent, 0u, 10ul), (softener, 0u, 10ul)], entries.Select(e => (e.Agreement, e.OpenOrder, e.LastTrigger)));
        Assert.Empty(Events(_c.Readings(_c.Washer, last: 90), "order-placed"));
    }

    [Fact]
    public void An_order_past_its_deadline_is_refunded_when_the_device_is_next_anchored()
    {
        var id = _c.Agree(_c.Supply(quantity: 1));
        _c.Readings(_c.Washer, last: 100);
        _c.Ok(_c.Retailer, CommerceNames.Accept, new OrderPayload(id, 0));
        _c.Ok(_c.Retailer, CommerceNames.Ship, new ShipPayload(id, 0, "LOST-1"));
        _c.Pass(7 * 86_400_000UL + 1);
        var next = _c.Readings(_c.Washer, last: 60);
        Assert.Equal("300", Events(next, "order-refunded").Single()["amount"]);
        Assert.Equal(CommerceOrderStatus.Refunded, _c.Order(id, 0).Status);
        Assert.Equal((UInt128)7_300, _c.Balance(_c.Owner.Address));
        // The tank is still low: the next anchor orders again.
        Assert.Single(Events(_c.Readings(_c.Washer, last: 50), "order-placed"));
    }

    [Fact]
    public void An_air_purifier_orders_its_filters_under_the_same_rules()
    {
        var purifier = KeyPair.Generate();
        _c.Ok(_c.Maker, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, BuiltInSchemas.AirPurifier);
        _c.Ok(_c.Maker, DevicesModule.ModuleName, DevicesModule.Register,
            new RegisterDevicePayload(purifier.PublicKey, "PURIFIER", "P-1", _c.Owner.Address, [], TestChain.Possession(purifier, "acme", "P-1")));
        var id = _c.Agree(_c.Supply("filters", devices: [purifier.Address], quantity: 1) with
        {
            Sku = "HEPA-13",
            Schema = "air-purifier",
            SchemaVersion = 1,
            Field = "filter_life_pct",
            Threshold = 50,
            RisePerUnit = 900,
        });
        var summary = new DeviceSummary(purifier.Address, "air-purifier", 1, 24, 1, 24, [1_200]) { Day = DeviceSummary.DayOf(_c.Now) };
        Assert.Empty(Events(_c.Chain.Anchor(summary with { Levels = new SummaryLevels([80, 12], [80, 14]) }), "order-placed"));
        var low = _c.Chain.Anchor(summary with { FirstSequence = 25, LastSequence = 48, Levels = new SummaryLevels([40, 30], [40, 31]) });
        Assert.Equal("readings", Events(low, "order-placed").Single()["source"]);
        _c.Ok(_c.Retailer, CommerceNames.Accept, new OrderPayload(id, 0));
        _c.Ok(_c.Retailer, CommerceNames.Ship, new ShipPayload(id, 0, ""));
        var fitted = _c.Chain.Anchor(summary with { FirstSequence = 49, LastSequence = 72, Levels = new SummaryLevels([20, 8], [1_000, 8]) });
        Assert.Single(Events(fitted, "payment-released"));
    }
}
