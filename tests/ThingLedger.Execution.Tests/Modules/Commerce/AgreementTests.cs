using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Commerce;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;
using static ThingLedger.Execution.Tests.Modules.Commerce.CommerceTestChain;

namespace ThingLedger.Execution.Tests.Modules.Commerce;

/// <summary>Standing agreements, and the device's own key ordering under one within its terms.</summary>
public sealed class AgreementTests
{
    private readonly CommerceTestChain _c = new();

    private DeviceOrderPayload Order(Hash id, uint units = 1, UInt128? price = null, string sku = Sku) => new(id, sku, units, price ?? 300);

    [Fact]
    public void A_proposal_escrows_the_budget_and_the_retailer_countersigns_it()
    {
        var terms = _c.Supply();
        _c.Ok(_c.Owner, CommerceNames.Propose, terms);
        var id = CommerceIds.Agreement(_c.Owner.Address, "grid", "detergent");
        Assert.Equal((UInt128)7_000, _c.Balance(_c.Owner.Address));
        Assert.Equal((UInt128)3_000, _c.Balance(CommerceModule.Escrow));
        Assert.Equal(AgreementStatus.Proposed, _c.Agreement(id).Status);

        _c.Refused(CommerceErrors.AgreementNotActive, _c.Washer, CommerceNames.Order, Order(id));
        _c.Refused(CommerceErrors.NotCounterparty, _c.Stranger, CommerceNames.Countersign, new AgreementPayload(id));
        _c.Refused(CommerceErrors.NotCounterparty, _c.Maker, CommerceNames.Countersign, new AgreementPayload(id));
        _c.Refused(CommerceErrors.AgreementExists, _c.Owner, CommerceNames.Propose, terms);
        _c.Ok(_c.Retailer, CommerceNames.Countersign, new AgreementPayload(id));
        Assert.Equal((AgreementStatus.Active, _c.Retailer.Address), (_c.Agreement(id).Status, _c.Agreement(id).Payee));
        _c.Refused(CommerceErrors.NotProposed, _c.Retailer, CommerceNames.Countersign, new AgreementPayload(id));
        Assert.Equal([id, id], new[] { _c.Washer, _c.Other }.Select(d => CommerceModule.ReadDevice(_c.Chain, d.Address).Entries.Single().Agreement));
    }

    [Fact]
    public void Terms_that_cannot_hold_are_refused_and_nothing_moves()
    {
        _c.Refused(CommerceErrors.AgreementInvalid, _c.Owner, CommerceNames.Propose, _c.Supply(devices: []));
        _c.Refused(CommerceErrors.AgreementInvalid, _c.Owner, CommerceNames.Propose, _c.Supply(devices: [_c.Washer.Address, _c.Washer.Address]));
        _c.Refused(CommerceErrors.AgreementInvalid, _c.Owner, CommerceNames.Propose, _c.Supply(price: 0));
        _c.Refused(CommerceErrors.AgreementInvalid, _c.Owner, CommerceNames.Propose, _c.Supply(budget: 100)); // one order costs more than the budget
        _c.Refused(CommerceErrors.AgreementInvalid, _c.Owner, CommerceNames.Propose, _c.Supply() with { Counterparty = "nobody" });
        _c.Refused(CommerceErrors.AgreementInvalid, _c.Owner, CommerceNames.Propose, _c.Supply() with { Field = "cycles" }); // additive, not a level
        _c.Refused(CommerceErrors.AgreementInvalid, _c.Owner, CommerceNames.Propose, _c.Supply() with { UntilMs = _c.Now });
        _c.Refused(CommerceErrors.AgreementInvalid, _c.Owner, CommerceNames.Propose, _c.Repairs() with { Quantity = 2 });
        _c.Refused(CommerceErrors.AmountOverflow, _c.Owner, CommerceNames.Propose, _c.Supply(price: UInt128.MaxValue, quantity: 2));
        _c.Refused(TokensErrors.TokenNotFound, _c.Owner, CommerceNames.Propose, _c.Supply() with { Token = "NOPE" });
        _c.Refused(TelemetryErrors.SchemaNotFound, _c.Owner, CommerceNames.Propose, _c.Supply() with { SchemaVersion = 9 });
        _c.Refused(CommerceErrors.DeviceNotOwned, _c.Stranger, CommerceNames.Propose, _c.Supply());
        _c.Refused(TokensErrors.InsufficientBalance, _c.Owner, CommerceNames.Propose, _c.Supply(budget: 20_000));
    }

    [Fact]
    public void A_device_orders_with_its_own_key_within_product_price_quantity_frequency_and_budget()
    {
        var id = _c.Agree(_c.Supply(trigger: false, budget: 1_100, maxOrders: 2));
        _c.Refused(CommerceErrors.DeviceNotCovered, _c.Stranger, CommerceNames.Order, Order(id));
        _c.Refused(CommerceErrors.DeviceNotCovered, _c.Owner, CommerceNames.Order, Order(id)); // the owner's key is not a device of the agreement
        _c.Refused(CommerceErrors.SkuMismatch, _c.Washer, CommerceNames.Order, Order(id, sku: "DET-5L"));
        _c.Refused(CommerceErrors.PriceAboveCap, _c.Washer, CommerceNames.Order, Order(id, price: 301));
        _c.Refused(CommerceErrors.QuantityExceeded, _c.Washer, CommerceNames.Order, Order(id, units: 3));
        _c.Refused(CommerceErrors.QuantityExceeded, _c.Washer, CommerceNames.Order, Order(id, units: 0));

        var placed = _c.Ok(_c.Washer, CommerceNames.Order, Order(id, units: 2, price: 280));
        Assert.Equal("560", Events(placed, "order-placed").Single()["amount"]);
        var order = _c.Order(id, 0);
        Assert.Equal((OrderSource.Device, CommerceOrderStatus.Placed, (UInt128)560), (order.Source, order.Status, order.Amount));
        Assert.Equal((UInt128)560, _c.Agreement(id).Reserved);
        _c.Refused(CommerceErrors.OrderOpen, _c.Washer, CommerceNames.Order, Order(id));
        Assert.Equal((UInt128)1_100, _c.Balance(CommerceModule.Escrow)); // reserved, not paid

        _c.Refused(CommerceErrors.BudgetExceeded, _c.Other, CommerceNames.Order, Order(id, units: 2, price: 300)); // 540 left
        _c.Ok(_c.Other, CommerceNames.Order, Order(id, units: 1));
        // Two orders this period: a third waits for the next one, whichever device asks.
        _c.Ok(_c.Owner, CommerceNames.Cancel, new OrderPayload(id, 0));
        _c.Refused(CommerceErrors.FrequencyExceeded, _c.Washer, CommerceNames.Order, Order(id));
        _c.Pass(86_400_000);
        _c.Ok(_c.Washer, CommerceNames.Order, Order(id));
    }

    [Fact]
    public void A_paused_expired_or_closed_agreement_and_a_revoked_device_order_nothing()
    {
        var id = _c.Agree(_c.Supply(trigger: false));
        _c.Refused(CommerceErrors.NotOwner, _c.Washer, CommerceNames.Pause, new AgreementPayload(id));
        _c.Ok(_c.Owner, CommerceNames.Pause, new AgreementPayload(id));
        _c.Refused(CommerceErrors.AgreementPaused, _c.Washer, CommerceNames.Order, Order(id));
        _c.Ok(_c.Owner, CommerceNames.Resume, new AgreementPayload(id));
        _c.Ok(_c.Washer, CommerceNames.Order, Order(id));

        _c.Ok(_c.Maker, DevicesModule.ModuleName, DevicesModule.Revoke, new RevokeDevicePayload(_c.Other.Address, "stolen"));
        _c.Refused(CommerceErrors.DeviceRevoked, _c.Other, CommerceNames.Order, Order(id));

        _c.Pass(366 * 86_400_000UL);
        _c.Refused(CommerceErrors.AgreementExpired, _c.Other, CommerceNames.Order, Order(id));
    }

    [Fact]
    public void Closing_returns_what_no_open_order_reserves_and_a_cancelled_order_after_it_returns_too()
    {
        var id = _c.Agree(_c.Supply(trigger: false));
        _c.Ok(_c.Washer, CommerceNames.Order, Order(id, units: 2)); // 600 reserved
        var closed = _c.Ok(_c.Owner, CommerceNames.Close, new AgreementPayload(id));
        Assert.Equal("2400", Events(closed, "agreement-closed").Single()["returned"]);
        Assert.Equal((UInt128)9_400, _c.Balance(_c.Owner.Address));
        _c.Refused(CommerceErrors.AgreementNotActive, _c.Other, CommerceNames.Order, Order(id));
        _c.Refused(CommerceErrors.AgreementNotActive, _c.Owner, CommerceNames.Close, new AgreementPayload(id));
        _c.Ok(_c.Owner, CommerceNames.Cancel, new OrderPayload(id, 0));
        Assert.Equal((UInt128)10_000, _c.Balance(_c.Owner.Address));
        Assert.Equal(UInt128.Zero, _c.Balance(CommerceModule.Escrow));
        var record = _c.Agreement(id);
        Assert.Equal((UInt128.Zero, UInt128.Zero, (UInt128)3_000), (record.Escrowed, record.Reserved, record.Refunded));
    }
}
