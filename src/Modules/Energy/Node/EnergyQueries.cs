using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Energy;
using ThingLedger.Execution.Modules.Tokens;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Energy;

/// <summary>Markets, intervals and meters read from committed state: the one place the energy API and explorer pages read from.</summary>
public sealed class EnergyQueries(LedgerStore store)
{
    /// <summary>How many intervals a market's view lists (newest first).</summary>
    public const int MaxIntervals = 96;

    public List<EnergyMarketView> Markets() => store.Consistent(head =>
        LedgerLists.Decoded(store, EnergyModule.MarketsPrefix, MarketRecord.Read).Select(e => View(e.Record, head.Header.Timestamp, withIntervals: false)).ToList());

    public EnergyMarketView? Market(string id) => store.Consistent(head =>
        EnergyModule.ReadMarket(store, id) is { } market ? View(market, head.Header.Timestamp, withIntervals: true) : null);

    public bool HasMarket(string id) => store.Head is not null && EnergyModule.ReadMarket(store, id) is not null;

    public EnergyMeterView? Meter(Address meter) => store.Consistent(_ =>
    {
        if (EnergyModule.ReadMeter(store, meter) is not { } m)
        {
            return null;
        }
        var seen = EnergyModule.ReadSeen(store, meter);
        return new EnergyMeterView(meter.ToString(), m.Market, m.Owner.ToString(), m.RatingW, m.BatteryWh, m.AllowanceWh, m.AllowancePrice, TokensModule.Text(m.Funds),
            m.Open, seen?.LastFrom, seen is { HasSoc: true } ? seen.Soc : null, m.Height);
    });

    public EnergyIntervalView? Interval(string market, ulong start) => store.Consistent(head =>
    {
        if (EnergyModule.ReadMarket(store, market) is not { } record || start % record.Terms.IntervalMs != 0)
        {
            return null;
        }
        var terms = record.Terms;
        var clearing = EnergyModule.ReadClearing(store, market, start);
        var count = EnergyModule.OrderCount(store, market, start);
        var orders = new List<EnergyOrderView>((int)count);
        var meters = new List<Address>();
        var seen = new HashSet<Address>();
        for (var n = 1u; n <= count; n++)
        {
            var o = EnergyModule.ReadOrder(store, market, start, n)!;
            orders.Add(View(o, clearing is null ? null : (o.Side == EnergySide.Bid ? clearing.Bid : clearing.Offer).MatchedOf(o)));
            if (seen.Add(o.Meter))
            {
                meters.Add(o.Meter);
            }
        }
        var commits = EnergyModule.Commitments(store, market, start).OrderBy(c => c.Number).ToList();
        foreach (var c in commits.Where(c => seen.Add(c.Meter)))
        {
            meters.Add(c.Meter);
        }
        var flex = EnergyModule.ReadFlex(store, market, start);
        var settlement = EnergyModule.ReadSettlement(store, market, start);
        return new EnergyIntervalView(market, start, start + terms.IntervalMs, start - Math.Min(start, terms.GateMs),
            Status(terms, start, clearing is not null, settlement is not null, head.Header.Timestamp), orders, flex?.Wh, flex?.Price,
            [.. commits.Select(c => View(c, clearing?.Commit.MatchedOf(c)))],
            clearing is null ? null : new EnergyClearingView(clearing.Price, clearing.TradedWh, clearing.UncappedWh, clearing.ExcessWh, clearing.FlexNeedWh,
                clearing.FlexAcceptedWh, [.. clearing.Supply.Select(p => new EnergyCurvePoint(p.Price, p.Wh))], [.. clearing.Demand.Select(p => new EnergyCurvePoint(p.Price, p.Wh))],
                clearing.Height),
            [.. meters.Select(m => View(m, EnergyModule.ReadMeasured(store, market, start, m)))],
            settlement is null ? null : new EnergySettlementView(settlement.Meters, Text(settlement.Energy), Text(settlement.Fees), Text(settlement.Shortfalls),
                Text(settlement.Surpluses), Text(settlement.Flexibility), Text(settlement.Remainder), settlement.Tx.ToString(), settlement.Height));
    });

    /// <summary>The decimals of <paramref name="token"/> (0 when there is no such token), to show amounts in units.</summary>
    public byte Decimals(string token) => TokensModule.ReadToken(store, token)?.Decimals ?? 0;

    public static string Status(MarketTerms terms, ulong start, bool cleared, bool settled, ulong now) =>
        settled ? "settled" : cleared ? "cleared" : now + terms.GateMs >= start ? "gate closed" : "open";

    private EnergyMarketView View(MarketRecord m, ulong now, bool withIntervals)
    {
        var t = m.Terms;
        var intervals = new List<EnergyIntervalSummary>();
        if (withIntervals)
        {
            var prefix = $"energy/orders/{t.Id}/";
            var starts = store.Scan(prefix, null, LedgerLists.MaxEntries).Select(kv => ulong.Parse(kv.Key[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture))
                .Concat(store.Scan($"energy/flex/{t.Id}/", null, LedgerLists.MaxEntries).Select(kv => ulong.Parse(kv.Key[$"energy/flex/{t.Id}/".Length..], System.Globalization.CultureInfo.InvariantCulture)))
                .Distinct().OrderDescending().Take(MaxIntervals);
            foreach (var start in starts)
            {
                var clearing = EnergyModule.ReadClearing(store, t.Id, start);
                var settled = EnergyModule.ReadSettlement(store, t.Id, start) is not null;
                intervals.Add(new EnergyIntervalSummary(start, EnergyModule.OrderCount(store, t.Id, start), Status(t, start, clearing is not null, settled, now),
                    clearing?.Price, clearing?.TradedWh));
            }
        }
        return new EnergyMarketView(t.Id, t.Zone, m.Operator, t.SchemaRef, t.IntervalMinutes, t.GateMinutes, t.Floor, t.Cap, t.GridFee, t.Token, t.ShortBps, t.LongBps,
            t.CapacityWh, t.SettleWaitMinutes, m.Height, intervals);
    }

    private static EnergyOrderView View(EnergyOrderRecord o, ulong? matched) =>
        new(o.Number, o.Side, o.Meter.ToString(), o.Owner.ToString(), o.Wh, o.Price, TokensModule.Text(o.Escrow), o.ByMeter, o.Height, matched);

    private static EnergyMeterIntervalView View(Address meter, MeasuredRecord? m)
    {
        var s = m?.Settlement;
        return new EnergyMeterIntervalView(meter.ToString(), m?.ExportWh ?? 0, m?.ImportWh ?? 0, m?.SocRise ?? 0, m?.Flagged ?? false,
            [.. (m?.Anchors ?? []).Select(a => a.ToString())], s?.SoldWh, s?.BoughtWh, s?.AbsorbedWh,
            s is null ? null : Text(s.Received), s is null ? null : Text(s.Paid), s is null ? null : Text(s.Returned));
    }

    private static string Text(UInt128 amount) => TokensModule.Text(amount);
}
