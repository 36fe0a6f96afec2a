using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Modules.Energy;

/// <summary>What joined meters measured, from anchored summaries; settlement against it (docs/ENERGY.md "Settlement").</summary>
public sealed partial class EnergyModule
{
    /// <summary>
    /// A summary of a joined meter in its market's schema: the meter's latest period moves on, and,
    /// when the meter traded or committed in the summary's interval, what it exported, imported and
    /// charged there is added up. Never fails the anchor.
    /// </summary>
    public void OnSummary(TxContext context, DeviceSummary summary)
    {
        if (summary.Period is not { } period || !context.Tx.IsMetered || ReadMeter(context.State, summary.Device) is not { } meter ||
            ReadMarket(context.State, meter.Market) is not { } market || market.Terms.SchemaRef != summary.SchemaRef)
        {
            return;
        }
        var periodStart = period.StartMs(summary.Day);
        var interval = periodStart - (periodStart % market.Terms.IntervalMs);
        var seen = ReadSeen(context.State, summary.Device);
        var levels = summary.Levels;
        var hasSoc = market.SocLevel != MarketRecord.NoLevel && levels is not null && market.SocLevel < levels.Min.Length;
        if (context.State.Contains(SideKey(meter.Market, interval, summary.Device)) && !context.State.Contains(SettlementKey(meter.Market, interval)))
        {
            var measured = ReadMeasured(context.State, meter.Market, interval, summary.Device) ?? MeasuredRecord.Empty;
            var clean = summary.Flagged == 0;
            var export = (ulong)Math.Max(0, summary.Sums[market.ExportSum]);
            var import = (ulong)Math.Max(0, summary.Sums[market.ImportSum]);
            var anchors = measured.Anchors.Contains(context.Tx.Id) || measured.Anchors.Length >= EnergyLimits.MaxAnchorsNamed
                ? measured.Anchors
                : [.. measured.Anchors, context.Tx.Id];
            var low = measured.SocLow;
            var last = measured.SocLast;
            var hasLevel = measured.HasSoc;
            if (hasSoc)
            {
                var min = levels!.Min[market.SocLevel];
                // The rise counts from the level the battery had when the interval began: the last one anchored before it.
                var from = hasLevel ? low : seen is { HasSoc: true } && seen.LastFrom < interval ? seen.Soc : min;
                low = Math.Min(from, min);
                last = levels.Last[market.SocLevel];
                hasLevel = true;
            }
            context.State.Set(MeasuredKey(meter.Market, interval, summary.Device), Canonical.Encode(new MeasuredRecord(
                measured.ExportWh + export, measured.ImportWh + import, low, last, hasLevel, measured.Flagged || !clean, anchors)));
        }
        // A summary of an earlier period anchored late changes neither the latest period nor the last level.
        if (seen is null || periodStart >= seen.LastFrom)
        {
            context.State.Set(SeenKey(summary.Device), Canonical.Encode(new SeenRecord(
                periodStart, hasSoc ? levels!.Last[market.SocLevel] : seen?.Soc ?? 0, hasSoc || seen is { HasSoc: true })));
        }
    }

    /// <summary>One meter's part in an interval: its matched offers and bids, accepted commitments, and its orders (whose escrow returns).</summary>
    private sealed class Party(Address meter, Address owner)
    {
        public Address Meter { get; } = meter;
        public Address Owner { get; } = owner;
        public ulong Sold { get; set; }
        public ulong Bought { get; set; }
        public ulong Accepted { get; set; }
        public UInt128 FlexValue { get; set; }
        public ulong FlexPrice { get; set; }
        public UInt128 Escrowed { get; set; }
        public List<EnergyOrderRecord> Commits { get; } = [];
    }

    private Outcome DoSettle(TxContext context, IntervalPayload p)
    {
        if (ReadMarket(context.State, p.Market) is not { } market)
        {
            return EnergyErrors.MarketNotFound;
        }
        if (!ActsFor(context, market.Operator))
        {
            return EnergyErrors.NotOperator;
        }
        var terms = market.Terms;
        if (p.Interval % terms.IntervalMs != 0)
        {
            return EnergyErrors.IntervalInvalid;
        }
        if (context.State.Contains(SettlementKey(p.Market, p.Interval)))
        {
            return EnergyErrors.Settled;
        }
        if (ReadClearing(context.State, p.Market, p.Interval) is not { } clearing)
        {
            return EnergyErrors.NotCleared;
        }
        var parties = Parties(context, p, clearing, out var order);
        var end = p.Interval + terms.IntervalMs;
        var waited = context.Timestamp >= end + terms.SettleWaitMs;
        if (!waited)
        {
            foreach (var meter in order)
            {
                context.Gas.Steps(1);
                var party = parties[meter];
                if ((party.Sold > 0 || party.Bought > 0 || party.Accepted > 0) && (ReadSeen(context.State, meter) is not { } seen || seen.LastFrom < end))
                {
                    return EnergyErrors.DataPending;
                }
            }
        }

        var price = clearing.Price;
        var shortPrice = EnergyLimits.Scale(price, terms.ShortBps);
        var longPrice = EnergyLimits.Scale(price, terms.LongBps);
        UInt128 energyIn = UInt128.Zero, energyOut = UInt128.Zero, fees = UInt128.Zero, shortfalls = UInt128.Zero, surpluses = UInt128.Zero, flexibility = UInt128.Zero;
        // What each owner receives out of escrow and from the operator, moved once per owner at the end.
        var fromEscrow = new Dictionary<Address, UInt128>();
        var fromOperator = new Dictionary<Address, UInt128>();
        var ownerOrder = new List<Address>();
        void Credit(Dictionary<Address, UInt128> to, Address owner, UInt128 amount)
        {
            if (amount == UInt128.Zero)
            {
                return;
            }
            if (!fromEscrow.ContainsKey(owner) && !fromOperator.ContainsKey(owner))
            {
                ownerOrder.Add(owner);
            }
            to[owner] = to.GetValueOrDefault(owner) + amount;
        }

        foreach (var meterId in order)
        {
            context.Gas.Steps(1);
            var party = parties[meterId];
            var meter = ReadMeter(context.State, meterId)!;
            var measured = ReadMeasured(context.State, p.Market, p.Interval, meterId) ?? MeasuredRecord.Empty;
            var flagged = measured.Flagged;
            var export = flagged ? 0 : measured.ExportWh;
            var import = flagged ? 0 : measured.ImportWh;
            UInt128 received = UInt128.Zero, paid = UInt128.Zero;
            if (party.Sold > 0)
            {
                var value = EnergyLimits.Floor(party.Sold, price);
                energyOut += value;
                received += value;
                Credit(fromEscrow, party.Owner, value);
                if (export < party.Sold)
                {
                    var penalty = EnergyLimits.Floor(party.Sold - export, shortPrice);
                    shortfalls += penalty;
                    paid += penalty;
                }
                else if (export > party.Sold)
                {
                    var credit = EnergyLimits.Floor(Math.Min(export - party.Sold, terms.RatingWh(meter.RatingW)), longPrice);
                    surpluses += credit;
                    received += credit;
                    Credit(fromOperator, party.Owner, credit);
                }
            }
            if (party.Bought > 0)
            {
                var value = EnergyLimits.Ceiling(party.Bought, price);
                var fee = EnergyLimits.Ceiling(party.Bought, terms.GridFee);
                energyIn += value;
                fees += fee;
                paid += value + fee;
                if (!flagged && import < party.Bought)
                {
                    var credit = EnergyLimits.Floor(party.Bought - import, longPrice);
                    surpluses += credit;
                    received += credit;
                    Credit(fromOperator, party.Owner, credit);
                }
            }
            ulong absorbed = 0;
            if (party.Accepted > 0)
            {
                // The battery is paid for the charge its readings show, cheapest commitment first, at each commitment's own price.
                var charged = flagged ? 0 : (ulong)((UInt128)measured.SocRise * meter.BatteryWh / 1000);
                var left = Math.Min(charged, party.Accepted);
                absorbed = left;
                foreach (var c in party.Commits)
                {
                    var take = Math.Min(left, clearing.Commit.MatchedOf(c));
                    left -= take;
                    var pay = EnergyLimits.Floor(take, c.Price);
                    flexibility += pay;
                    received += pay;
                    Credit(fromOperator, party.Owner, pay);
                }
            }
            // The orders' escrow back into the meter's deposit, less what the meter paid.
            var returned = party.Escrowed - paid;
            context.State.Set(MeasuredKey(p.Market, p.Interval, meterId), Canonical.Encode(measured with
            {
                Settlement = new MeterSettlement(party.Sold, party.Bought, absorbed, received, paid, returned),
            }));
            Write(context, meterId, meter with { Funds = meter.Funds + returned, Open = meter.Open - Math.Min(meter.Open, 1u) });
        }

        // Buyers paid rounded up, sellers are paid rounded down: what is left with the escrow is the operator's.
        var remainder = energyIn - energyOut;
        var toOperator = fees + shortfalls + remainder;
        if (toOperator > UInt128.Zero)
        {
            var moved = tokens.Move(context, terms.Token, Escrow, context.Signer, toOperator);
            if (!moved.Succeeded)
            {
                return moved;
            }
        }
        foreach (var owner in ownerOrder)
        {
            context.Gas.Steps(1);
            if (fromEscrow.TryGetValue(owner, out var escrowed))
            {
                var moved = tokens.Move(context, terms.Token, Escrow, owner, escrowed);
                if (!moved.Succeeded)
                {
                    return moved;
                }
            }
            if (fromOperator.TryGetValue(owner, out var owed) && owner != context.Signer)
            {
                var moved = tokens.Move(context, terms.Token, context.Signer, owner, owed);
                if (!moved.Succeeded)
                {
                    return moved;
                }
            }
        }
        context.State.Set(SettlementKey(p.Market, p.Interval), Canonical.Encode(new SettlementRecord(
            (uint)order.Count, energyOut, fees, shortfalls, surpluses, flexibility, remainder, context.Tx.Id, context.Height)));
        context.Emit(EnergyEvents.Settled, new("market", p.Market), new("interval", Text(p.Interval)), new("meters", Text((ulong)order.Count)),
            new("energy", TokensModule.Text(energyOut)), new("fees", TokensModule.Text(fees)));
        return Outcome.Ok;
    }

    /// <summary>Every meter with an order or a commitment in the interval, in order of its first one, with what the clearing gave it.</summary>
    private static Dictionary<Address, Party> Parties(TxContext context, IntervalPayload p, ClearingRecord clearing, out List<Address> order)
    {
        var parties = new Dictionary<Address, Party>();
        var list = new List<Address>();
        Party Of(EnergyOrderRecord o)
        {
            if (!parties.TryGetValue(o.Meter, out var party))
            {
                party = new Party(o.Meter, o.Owner);
                parties[o.Meter] = party;
                list.Add(o.Meter);
            }
            return party;
        }
        var count = OrderCount(context.State, p.Market, p.Interval);
        for (var n = 1u; n <= count; n++)
        {
            context.Gas.Steps(1);
            var o = ReadOrder(context.State, p.Market, p.Interval, n)!;
            var party = Of(o);
            party.Escrowed += o.Escrow;
            if (o.Side == EnergySide.Bid)
            {
                party.Bought += clearing.Bid.MatchedOf(o);
            }
            else
            {
                party.Sold += clearing.Offer.MatchedOf(o);
            }
        }
        var commits = Commitments(context.State, p.Market, p.Interval, context.Gas);
        foreach (var c in commits)
        {
            var accepted = clearing.Commit.MatchedOf(c);
            var party = Of(c);
            if (accepted > 0)
            {
                party.Accepted += accepted;
                party.Commits.Add(c);
            }
        }
        order = list;
        return parties;
    }
}
