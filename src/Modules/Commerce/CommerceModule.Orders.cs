using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Modules.Commerce;

/// <summary>Orders and their fulfilment (docs/COMMERCE.md "Orders", "Fulfilment and payment").</summary>
public sealed partial class CommerceModule
{
    /// <summary>
    /// Places an order under <paramref name="agreement"/> for <paramref name="device"/> after every
    /// check of docs/COMMERCE.md "Orders"; writes nothing when one fails.
    /// </summary>
    private Outcome Place(TxContext context, AgreementRecord agreement, Address device, OrderSource source, uint units, UInt128 unitPrice,
        OrderTrigger trigger, out CommerceOrderRecord order, DeviceAgreementsRecord? covering = null)
    {
        order = null!;
        var terms = agreement.Terms;
        if (agreement.Status != AgreementStatus.Active)
        {
            return CommerceErrors.AgreementNotActive;
        }
        if (agreement.Paused)
        {
            return CommerceErrors.AgreementPaused;
        }
        if (context.Timestamp >= terms.UntilMs)
        {
            return CommerceErrors.AgreementExpired;
        }
        covering ??= ReadDevice(context.State, device);
        var index = Array.FindIndex(covering.Entries, e => e.Agreement == agreement.Id);
        if (index < 0)
        {
            return CommerceErrors.DeviceNotCovered;
        }
        if (devices.Find(context.State, device) is not { Status: DeviceStatus.Active })
        {
            return CommerceErrors.DeviceRevoked;
        }
        if (units == 0 || units > terms.Quantity)
        {
            return CommerceErrors.QuantityExceeded;
        }
        if (unitPrice > terms.Price)
        {
            return CommerceErrors.PriceAboveCap;
        }
        if (!Multiply(unitPrice, units, out var amount))
        {
            return CommerceErrors.AmountOverflow;
        }
        if (covering.Entries[index].OpenOrder != CommerceLimits.NoOrder)
        {
            return CommerceErrors.OrderOpen;
        }
        var period = (context.Timestamp - agreement.StartMs) / terms.PeriodMs;
        var placedInPeriod = period == agreement.Period ? agreement.PeriodOrders : 0;
        if (placedInPeriod >= terms.MaxOrders)
        {
            return CommerceErrors.FrequencyExceeded;
        }
        if (amount > agreement.Available)
        {
            return CommerceErrors.BudgetExceeded;
        }
        var id = agreement.Id.ToString();
        var deadline = context.Timestamp > ulong.MaxValue - terms.DeadlineMs ? ulong.MaxValue : context.Timestamp + terms.DeadlineMs;
        order = new CommerceOrderRecord(agreement.Orders, device, source, units, unitPrice, amount, CommerceOrderStatus.Placed,
            context.Timestamp, deadline, context.Tx.Id, context.Height, trigger, string.Empty, 0, long.MaxValue, 0, 0, Confirmation.None, default, 0, 0, UInt128.Zero);
        context.State.Set($"commerce/order/{id}/{order.Number:D6}", Core.Codec.Canonical.Encode(order));
        context.State.Set(AgreementsPrefix + id, Core.Codec.Canonical.Encode(agreement with
        {
            Orders = agreement.Orders + 1,
            Period = period,
            PeriodOrders = placedInPeriod + 1,
            Reserved = agreement.Reserved + amount,
        }));
        var entries = covering.Entries.ToArray();
        entries[index] = entries[index] with
        {
            OpenOrder = order.Number,
            LastTrigger = source == OrderSource.Readings ? trigger.LastSequence : entries[index].LastTrigger,
        };
        context.State.Set(DeviceKey(device), Core.Codec.Canonical.Encode(new DeviceAgreementsRecord(entries)));
        context.Emit(CommerceEvents.Placed, new("agreement", id), new("order", Text(order.Number)), new("device", device.ToString()),
            new("source", SourceText(source)), new("units", Text(units)), new("amount", TokensModule.Text(amount)));
        return Outcome.Ok;
    }

    private Outcome DoDeviceOrder(TxContext context, DeviceOrderPayload p)
    {
        var found = Find(context, p.Agreement, out var agreement);
        if (!found.Succeeded)
        {
            return found;
        }
        if (agreement.Terms.Kind != AgreementKind.Supply)
        {
            return CommerceErrors.WrongKind;
        }
        if (!agreement.Terms.Devices.Contains(context.Signer))
        {
            return CommerceErrors.DeviceNotCovered;
        }
        if (p.Sku != agreement.Terms.Sku)
        {
            return CommerceErrors.SkuMismatch;
        }
        return Place(context, agreement, context.Signer, OrderSource.Device, p.Units, p.UnitPrice, OrderTrigger.None, out _);
    }

    /// <summary>Finds the order <paramref name="number"/> of the agreement <paramref name="id"/>.</summary>
    private static Outcome FindOrder(TxContext context, Hash id, uint number, out AgreementRecord agreement, out CommerceOrderRecord order)
    {
        order = null!;
        var found = Find(context, id, out agreement);
        if (!found.Succeeded)
        {
            return found;
        }
        return (order = ReadOrder(context.State, id, number)!) is null ? CommerceErrors.OrderNotFound : Outcome.Ok;
    }

    /// <summary>The order, for a step only a member acting for the counterparty signs.</summary>
    private static Outcome CounterpartysOrder(TxContext context, Hash id, uint number, out AgreementRecord agreement, out CommerceOrderRecord order)
    {
        var found = FindOrder(context, id, number, out agreement, out order);
        return !found.Succeeded ? found : ActsFor(context, agreement.Terms.Counterparty) ? Outcome.Ok : CommerceErrors.NotCounterparty;
    }

    /// <summary>The order, for a step only the agreement's owner signs.</summary>
    private static Outcome OwnersOrder(TxContext context, Hash id, uint number, out AgreementRecord agreement, out CommerceOrderRecord order)
    {
        var found = FindOrder(context, id, number, out agreement, out order);
        return !found.Succeeded ? found : agreement.Owner == context.Signer ? Outcome.Ok : CommerceErrors.NotOwner;
    }

    private Outcome DoAccept(TxContext context, OrderPayload p)
    {
        var found = CounterpartysOrder(context, p.Agreement, p.Order, out var agreement, out var order);
        if (!found.Succeeded)
        {
            return found;
        }
        if (order.Status != CommerceOrderStatus.Placed)
        {
            return CommerceErrors.OrderState;
        }
        Write(context, agreement.Id, order with { Status = CommerceOrderStatus.Accepted });
        context.Emit(CommerceEvents.Accepted, new("agreement", agreement.Id.ToString()), new("order", Text(order.Number)), new("by", context.Signer.ToString()));
        return Outcome.Ok;
    }

    private Outcome DoShip(TxContext context, ShipPayload p)
    {
        var found = CounterpartysOrder(context, p.Agreement, p.Order, out var agreement, out var order);
        if (!found.Succeeded)
        {
            return found;
        }
        if (!Core.Ledger.Identifiers.IsText(p.Tracking, CommerceLimits.MaxTrackingBytes))
        {
            return CommerceErrors.AgreementInvalid;
        }
        if (order.Status != CommerceOrderStatus.Accepted)
        {
            return CommerceErrors.OrderState;
        }
        Write(context, agreement.Id, order with { Status = CommerceOrderStatus.Shipped, ShippedMs = context.Timestamp, Tracking = p.Tracking });
        context.Emit(CommerceEvents.Shipped, new("agreement", agreement.Id.ToString()), new("order", Text(order.Number)), new("by", context.Signer.ToString()),
            new("tracking", p.Tracking));
        return Outcome.Ok;
    }

    /// <summary>
    /// A supply's delivery confirmed by the courier's scan, the owner or the device; a repair's
    /// visit recorded by the service organisation (its payment waits for normal readings).
    /// </summary>
    private Outcome DoConfirm(TxContext context, OrderPayload p)
    {
        var found = FindOrder(context, p.Agreement, p.Order, out var agreement, out var order);
        if (!found.Succeeded)
        {
            return found;
        }
        var terms = agreement.Terms;
        if (terms.Kind == AgreementKind.Repair)
        {
            if (!ActsFor(context, terms.Counterparty))
            {
                return CommerceErrors.NotConfirmer;
            }
            if (order.Status != CommerceOrderStatus.Shipped)
            {
                return CommerceErrors.OrderState;
            }
            Write(context, agreement.Id, order with { Status = CommerceOrderStatus.Visited, VisitedMs = context.Timestamp, Confirmer = context.Signer });
            context.Emit(CommerceEvents.Visited, new("agreement", agreement.Id.ToString()), new("order", Text(order.Number)), new("by", context.Signer.ToString()));
            return Outcome.Ok;
        }
        var by = context.Signer == order.Device ? Confirmation.Device
            : context.Signer == agreement.Owner ? Confirmation.Owner
            : ActsFor(context, terms.Courier) ? Confirmation.Courier
            : Confirmation.None;
        if (by == Confirmation.None)
        {
            return CommerceErrors.NotConfirmer;
        }
        return order.Status != CommerceOrderStatus.Shipped ? CommerceErrors.OrderState : Deliver(context, agreement, order, by, context.Signer, 0);
    }

    /// <summary>Records the delivery; with no hold the payment is released in the same tx.</summary>
    private Outcome Deliver(TxContext context, AgreementRecord agreement, CommerceOrderRecord order, Confirmation by, Address confirmer, ulong evidence)
    {
        order = order with { Status = CommerceOrderStatus.Delivered, DeliveredMs = context.Timestamp, DeliveredBy = by, Confirmer = confirmer, EvidenceSequence = evidence };
        Write(context, agreement.Id, order);
        context.Emit(CommerceEvents.Delivered, new("agreement", agreement.Id.ToString()), new("order", Text(order.Number)), new("by", ConfirmationText(by)),
            new("confirmer", confirmer.ToString()));
        return agreement.Terms.HoldMs == 0 ? Pay(context, agreement, order) : Outcome.Ok;
    }

    private Outcome DoRelease(TxContext context, OrderPayload p)
    {
        var found = FindOrder(context, p.Agreement, p.Order, out var agreement, out var order);
        if (!found.Succeeded)
        {
            return found;
        }
        if (order.Status != CommerceOrderStatus.Delivered)
        {
            return CommerceErrors.OrderState;
        }
        return context.Timestamp < order.DeliveredMs + agreement.Terms.HoldMs ? CommerceErrors.NotDue : Pay(context, agreement, order);
    }

    /// <summary>Moves a delivered order's amount from escrow to the payee.</summary>
    private Outcome Pay(TxContext context, AgreementRecord agreement, CommerceOrderRecord order)
    {
        var moved = tokens.Move(context, agreement.Terms.Token, Escrow, agreement.Payee, order.Amount);
        if (!moved.Succeeded)
        {
            return moved;
        }
        Write(context, agreement with
        {
            Escrowed = agreement.Escrowed - order.Amount,
            Reserved = agreement.Reserved - order.Amount,
            Paid = agreement.Paid + order.Amount,
        });
        Finish(context, agreement.Id, order with { Status = CommerceOrderStatus.Released, ClosedMs = context.Timestamp });
        context.Emit(CommerceEvents.Released, new("agreement", agreement.Id.ToString()), new("order", Text(order.Number)),
            new("payee", agreement.Payee.ToString()), new("amount", TokensModule.Text(order.Amount)));
        return Outcome.Ok;
    }

    private Outcome DoRefund(TxContext context, OrderPayload p)
    {
        var found = FindOrder(context, p.Agreement, p.Order, out var agreement, out var order);
        if (!found.Succeeded)
        {
            return found;
        }
        if (!Refundable(order))
        {
            return CommerceErrors.OrderState;
        }
        return context.Timestamp <= order.DeadlineMs ? CommerceErrors.NotDue : Refund(context, agreement, order);
    }

    /// <summary>Still waiting for delivery (or the visit's result): refunded once its deadline has passed.</summary>
    private static bool Refundable(CommerceOrderRecord order) =>
        order.Status is CommerceOrderStatus.Placed or CommerceOrderStatus.Accepted or CommerceOrderStatus.Shipped or CommerceOrderStatus.Visited;

    /// <summary>Moves an overdue order's amount from escrow back to the owner.</summary>
    private Outcome Refund(TxContext context, AgreementRecord agreement, CommerceOrderRecord order)
    {
        var moved = tokens.Move(context, agreement.Terms.Token, Escrow, agreement.Owner, order.Amount);
        if (!moved.Succeeded)
        {
            return moved;
        }
        Write(context, agreement with
        {
            Escrowed = agreement.Escrowed - order.Amount,
            Reserved = agreement.Reserved - order.Amount,
            Refunded = agreement.Refunded + order.Amount,
        });
        Finish(context, agreement.Id, order with { Status = CommerceOrderStatus.Refunded, ClosedMs = context.Timestamp, OwnerAmount = order.Amount });
        context.Emit(CommerceEvents.Refunded, new("agreement", agreement.Id.ToString()), new("order", Text(order.Number)),
            new("owner", agreement.Owner.ToString()), new("amount", TokensModule.Text(order.Amount)));
        return Outcome.Ok;
    }

    /// <summary>The owner withdraws an order not yet shipped (a repair not yet dispatched): its reservation returns to the budget, or to the owner once the agreement is closed.</summary>
    private Outcome DoCancel(TxContext context, OrderPayload p)
    {
        var found = OwnersOrder(context, p.Agreement, p.Order, out var agreement, out var order);
        if (!found.Succeeded)
        {
            return found;
        }
        if (order.Status is not (CommerceOrderStatus.Placed or CommerceOrderStatus.Accepted))
        {
            return CommerceErrors.OrderState;
        }
        var updated = agreement with { Reserved = agreement.Reserved - order.Amount };
        if (agreement.Status == AgreementStatus.Closed)
        {
            var moved = tokens.Move(context, agreement.Terms.Token, Escrow, agreement.Owner, order.Amount);
            if (!moved.Succeeded)
            {
                return moved;
            }
            updated = updated with { Escrowed = agreement.Escrowed - order.Amount, Refunded = agreement.Refunded + order.Amount };
        }
        Write(context, updated);
        Finish(context, agreement.Id, order with { Status = CommerceOrderStatus.Cancelled, ClosedMs = context.Timestamp });
        context.Emit(CommerceEvents.Cancelled, new("agreement", agreement.Id.ToString()), new("order", Text(order.Number)), new("owner", agreement.Owner.ToString()));
        return Outcome.Ok;
    }

    private Outcome DoDispute(TxContext context, OrderPayload p)
    {
        var found = OwnersOrder(context, p.Agreement, p.Order, out var agreement, out var order);
        if (!found.Succeeded)
        {
            return found;
        }
        if (order.Status is not (CommerceOrderStatus.Shipped or CommerceOrderStatus.Visited or CommerceOrderStatus.Delivered))
        {
            return CommerceErrors.OrderState;
        }
        Write(context, agreement.Id, order with { Status = CommerceOrderStatus.Disputed });
        context.Emit(CommerceEvents.Disputed, new("agreement", agreement.Id.ToString()), new("order", Text(order.Number)), new("owner", agreement.Owner.ToString()));
        return Outcome.Ok;
    }

    /// <summary>The arbiter decides a dispute alone; the owner and the counterparty decide it together by proposing the same split.</summary>
    private Outcome DoResolve(TxContext context, ResolvePayload p)
    {
        var found = FindOrder(context, p.Agreement, p.Order, out var agreement, out var order);
        if (!found.Succeeded)
        {
            return found;
        }
        if (order.Status != CommerceOrderStatus.Disputed)
        {
            return CommerceErrors.OrderState;
        }
        if (p.OwnerShareBps > CommerceLimits.WholeBps)
        {
            return CommerceErrors.ShareInvalid;
        }
        if (ActsFor(context, agreement.Terms.Arbiter))
        {
            return Settle(context, agreement, order, p.OwnerShareBps, "arbiter");
        }
        var party = context.Signer == agreement.Owner ? "owner" : ActsFor(context, agreement.Terms.Counterparty) ? "counterparty" : null;
        if (party is null)
        {
            return CommerceErrors.NotParty;
        }
        var other = Payload.Get(context.State, ResolutionKey(agreement.Id, order.Number, party == "owner" ? "counterparty" : "owner"), ResolutionRecord.Read);
        if (other is not null && other.OwnerShareBps == p.OwnerShareBps)
        {
            return Settle(context, agreement, order, p.OwnerShareBps, "parties");
        }
        context.State.Set(ResolutionKey(agreement.Id, order.Number, party), Core.Codec.Canonical.Encode(new ResolutionRecord(p.OwnerShareBps, context.Signer)));
        context.Emit(CommerceEvents.ResolutionProposed, new("agreement", agreement.Id.ToString()), new("order", Text(order.Number)),
            new("by", context.Signer.ToString()), new("owner-share", Bps(p.OwnerShareBps)));
        return Outcome.Ok;
    }

    /// <summary>Pays a disputed order out by the decided split: the owner's share back to the owner, the rest to the payee.</summary>
    private Outcome Settle(TxContext context, AgreementRecord agreement, CommerceOrderRecord order, ushort ownerShareBps, string by)
    {
        // Proposals of a split are spent once the dispute is decided, whoever decided it.
        foreach (var party in new[] { "owner", "counterparty" })
        {
            if (context.State.Contains(ResolutionKey(agreement.Id, order.Number, party)))
            {
                context.State.Delete(ResolutionKey(agreement.Id, order.Number, party));
            }
        }
        var toOwner = order.Amount * ownerShareBps / CommerceLimits.WholeBps;
        var toPayee = order.Amount - toOwner;
        foreach (var (to, amount) in new[] { (agreement.Owner, toOwner), (agreement.Payee, toPayee) })
        {
            if (amount == UInt128.Zero)
            {
                continue;
            }
            var moved = tokens.Move(context, agreement.Terms.Token, Escrow, to, amount);
            if (!moved.Succeeded)
            {
                return moved;
            }
        }
        Write(context, agreement with
        {
            Escrowed = agreement.Escrowed - order.Amount,
            Reserved = agreement.Reserved - order.Amount,
            Paid = agreement.Paid + toPayee,
            Refunded = agreement.Refunded + toOwner,
        });
        Finish(context, agreement.Id, order with { Status = CommerceOrderStatus.Resolved, ClosedMs = context.Timestamp, OwnerAmount = toOwner });
        context.Emit(CommerceEvents.Resolved, new("agreement", agreement.Id.ToString()), new("order", Text(order.Number)),
            new("owner-amount", TokensModule.Text(toOwner)), new("payee-amount", TokensModule.Text(toPayee)), new("by", by));
        return Outcome.Ok;
    }

    /// <summary>Stores a closed order and frees its device for the next order under the agreement.</summary>
    private static void Finish(TxContext context, Hash agreement, CommerceOrderRecord order)
    {
        Write(context, agreement, order);
        var covering = ReadDevice(context.State, order.Device);
        var entries = covering.Entries.ToArray();
        var index = Array.FindIndex(entries, e => e.Agreement == agreement);
        if (index >= 0 && entries[index].OpenOrder == order.Number)
        {
            entries[index] = entries[index] with { OpenOrder = CommerceLimits.NoOrder };
            context.State.Set(DeviceKey(order.Device), Core.Codec.Canonical.Encode(new DeviceAgreementsRecord(entries)));
        }
    }

    public static string SourceText(OrderSource source) => source switch
    {
        OrderSource.Readings => "readings",
        OrderSource.Owner => "owner",
        _ => "device",
    };

    public static string ConfirmationText(Confirmation by) => by switch
    {
        Confirmation.Courier => "courier",
        Confirmation.Owner => "owner",
        Confirmation.Device => "device",
        Confirmation.Readings => "readings",
        _ => "none",
    };
}
