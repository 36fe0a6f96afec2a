using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Commerce;
using static ThingLedger.Execution.Tests.Modules.Commerce.CommerceTestChain;

namespace ThingLedger.Execution.Tests.Modules.Commerce;

/// <summary>Acceptance, shipment, confirmation, release, refunds at the deadline, and disputes.</summary>
public sealed class FulfilmentTests
{
    private readonly CommerceTestChain _c = new();

    private (Hash Id, OrderPayload Order) Ordered(ulong hold = 0, string courier = "", string arbiter = "")
    {
        var id = _c.Agree(_c.Supply(trigger: false, hold: hold, courier: courier, arbiter: arbiter));
        _c.Ok(_c.Washer, CommerceNames.Order, new DeviceOrderPayload(id, Sku, 1, 300));
        return (id, new OrderPayload(id, 0));
    }

    private void Shipped(OrderPayload order)
    {
        _c.Ok(_c.Retailer, CommerceNames.Accept, order);
        _c.Ok(_c.Retailer, CommerceNames.Ship, new ShipPayload(order.Agreement, order.Order, "PARCEL-7"));
    }

    [Fact]
    public void Only_the_retailer_accepts_and_ships_and_only_the_courier_owner_or_device_confirm()
    {
        var (id, order) = Ordered(courier: "acme");
        _c.Refused(CommerceErrors.NotCounterparty, _c.Stranger, CommerceNames.Accept, order);
        _c.Refused(CommerceErrors.NotCounterparty, _c.Maker, CommerceNames.Accept, order);
        _c.Refused(CommerceErrors.OrderState, _c.Retailer, CommerceNames.Ship, new ShipPayload(id, 0, ""));
        _c.Ok(_c.Retailer, CommerceNames.Accept, order);
        _c.Refused(CommerceErrors.NotCounterparty, _c.Owner, CommerceNames.Ship, new ShipPayload(id, 0, ""));
        _c.Refused(CommerceErrors.OrderState, _c.Owner, CommerceNames.Confirm, order);
        _c.Ok(_c.Retailer, CommerceNames.Ship, new ShipPayload(id, 0, "PARCEL-7"));
        _c.Refused(CommerceErrors.NotConfirmer, _c.Stranger, CommerceNames.Confirm, order);
        _c.Refused(CommerceErrors.NotConfirmer, _c.Retailer, CommerceNames.Confirm, order);
        _c.Refused(CommerceErrors.NotConfirmer, _c.Other, CommerceNames.Confirm, order); // another of the owner's devices
        _c.Refused(CommerceErrors.OrderNotFound, _c.Owner, CommerceNames.Confirm, new OrderPayload(id, 5));

        var scanned = _c.Ok(_c.Maker, CommerceNames.Confirm, order); // acme is the courier
        Assert.Equal("courier", Events(scanned, "order-delivered").Single()["by"]);
        Assert.Equal((UInt128)300, _c.Balance(_c.Retailer.Address));
        _c.Refused(CommerceErrors.OrderState, _c.Owner, CommerceNames.Release, order);
    }

    [Fact]
    public void Payment_waits_for_the_hold_is_released_once_and_cannot_be_disputed_after()
    {
        var (_, order) = Ordered(hold: 86_400_000);
        Shipped(order);
        _c.Ok(_c.Washer, CommerceNames.Confirm, order); // the device says it was refilled
        Assert.Equal(UInt128.Zero, _c.Balance(_c.Retailer.Address));
        _c.Refused(CommerceErrors.NotDue, _c.Retailer, CommerceNames.Release, order);
        _c.Pass(86_400_000);
        _c.Ok(_c.Stranger, CommerceNames.Release, order); // anyone may send it once due
        Assert.Equal((UInt128)300, _c.Balance(_c.Retailer.Address));
        _c.Refused(CommerceErrors.OrderState, _c.Retailer, CommerceNames.Release, order);
        _c.Refused(CommerceErrors.OrderState, _c.Owner, CommerceNames.Dispute, order);
        _c.Refused(CommerceErrors.OrderState, _c.Owner, CommerceNames.Refund, order);
    }

    [Fact]
    public void A_missed_deadline_refunds_the_owner_and_a_refund_happens_once()
    {
        var (id, order) = Ordered();
        Shipped(order);
        _c.Refused(CommerceErrors.NotDue, _c.Owner, CommerceNames.Refund, order);
        _c.Pass(7 * 86_400_000UL + 1);
        var refunded = _c.Ok(_c.Stranger, CommerceNames.Refund, order);
        Assert.Equal("300", Events(refunded, "order-refunded").Single()["amount"]);
        Assert.Equal((UInt128)7_300, _c.Balance(_c.Owner.Address));
        _c.Refused(CommerceErrors.OrderState, _c.Owner, CommerceNames.Refund, order);
        _c.Refused(CommerceErrors.OrderState, _c.Owner, CommerceNames.Confirm, order);
        var record = _c.Agreement(id);
        Assert.Equal(((UInt128)2_700, UInt128.Zero, (UInt128)300), (record.Escrowed, record.Reserved, record.Refunded));
        // The device may order again.
        _c.Ok(_c.Washer, CommerceNames.Order, new DeviceOrderPayload(id, Sku, 1, 300));
    }

    [Fact]
    public void A_dispute_freezes_payment_until_both_parties_agree_a_split()
    {
        var (_, order) = Ordered(hold: 86_400_000);
        Shipped(order);
        _c.Refused(CommerceErrors.NotOwner, _c.Retailer, CommerceNames.Dispute, order);
        _c.Ok(_c.Owner, CommerceNames.Dispute, order);
        _c.Pass(30 * 86_400_000UL);
        _c.Refused(CommerceErrors.OrderState, _c.Owner, CommerceNames.Refund, order);
        _c.Refused(CommerceErrors.OrderState, _c.Owner, CommerceNames.Release, order);
        _c.Refused(CommerceErrors.NotParty, _c.Stranger, CommerceNames.Resolve, new ResolvePayload(order.Agreement, 0, 5_000));
        _c.Refused(CommerceErrors.ShareInvalid, _c.Owner, CommerceNames.Resolve, new ResolvePayload(order.Agreement, 0, 10_001));

        _c.Ok(_c.Owner, CommerceNames.Resolve, new ResolvePayload(order.Agreement, 0, 10_000));
        var counter = _c.Ok(_c.Retailer, CommerceNames.Resolve, new ResolvePayload(order.Agreement, 0, 5_000));
        Assert.Single(Events(counter, "resolution-proposed"));
        var agreed = _c.Ok(_c.Owner, CommerceNames.Resolve, new ResolvePayload(order.Agreement, 0, 5_000));
        var resolved = Events(agreed, "order-resolved").Single();
        Assert.Equal(("150", "150", "parties"), (resolved["owner-amount"], resolved["payee-amount"], resolved["by"]));
        Assert.Equal((UInt128)150, _c.Balance(_c.Retailer.Address));
        Assert.Equal((UInt128)7_150, _c.Balance(_c.Owner.Address));
        _c.Refused(CommerceErrors.OrderState, _c.Owner, CommerceNames.Resolve, new ResolvePayload(order.Agreement, 0, 5_000));
    }

    [Fact]
    public void A_named_arbiter_decides_a_dispute_alone()
    {
        var (_, order) = Ordered(arbiter: "acme");
        Shipped(order);
        _c.Ok(_c.Owner, CommerceNames.Dispute, order);
        _c.Ok(_c.Owner, CommerceNames.Resolve, new ResolvePayload(order.Agreement, 0, 10_000));
        var decided = _c.Ok(_c.Maker, CommerceNames.Resolve, new ResolvePayload(order.Agreement, 0, 2_500));
        Assert.Equal(("75", "225", "arbiter"), (Events(decided, "order-resolved").Single()["owner-amount"],
            Events(decided, "order-resolved").Single()["payee-amount"], Events(decided, "order-resolved").Single()["by"]));
        Assert.DoesNotContain(_c.Chain.State.Keys, k => k.StartsWith("commerce/resolution/", StringComparison.Ordinal));
    }
}
