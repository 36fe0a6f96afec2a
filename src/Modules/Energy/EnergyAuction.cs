namespace ThingLedger.Execution.Modules.Energy;

/// <summary>
/// An interval's uniform-price double auction in integers (docs/ENERGY.md "Clearing"): offers by
/// price ascending, bids by price descending, equal prices by admission; matched while the offer
/// asks no more than the bid offers, up to the feeder's capacity; one price, the midpoint of the
/// last matched pair, rounded down.
/// </summary>
public static class EnergyAuction
{
    public readonly record struct Result(ulong Price, ulong TradedWh, ulong UncappedWh, Marginal Offer, Marginal Bid);

    public static int CompareOffers(EnergyOrderRecord a, EnergyOrderRecord b) =>
        a.Price != b.Price ? a.Price.CompareTo(b.Price) : a.Number.CompareTo(b.Number);

    public static int CompareBids(EnergyOrderRecord a, EnergyOrderRecord b) =>
        a.Price != b.Price ? b.Price.CompareTo(a.Price) : a.Number.CompareTo(b.Number);

    /// <param name="offers">Sorted by <see cref="CompareOffers"/>.</param>
    /// <param name="bids">Sorted by <see cref="CompareBids"/>.</param>
    public static Result Clear(IReadOnlyList<EnergyOrderRecord> offers, IReadOnlyList<EnergyOrderRecord> bids, ulong capacityWh)
    {
        int i = 0, j = 0;
        ulong traded = 0, uncapped = 0;
        ulong offerLeft = offers.Count > 0 ? offers[0].Wh : 0, bidLeft = bids.Count > 0 ? bids[0].Wh : 0;
        ulong offerTraded = 0, bidTraded = 0;
        Marginal offer = default, bid = default;
        while (i < offers.Count && j < bids.Count && offers[i].Price <= bids[j].Price)
        {
            var q = Math.Min(offerLeft, bidLeft);
            var t = Math.Min(q, capacityWh - traded);
            if (t > 0)
            {
                traded += t;
                offerTraded += t;
                bidTraded += t;
                offer = new Marginal(offers[i].Number, offers[i].Price, offerTraded);
                bid = new Marginal(bids[j].Number, bids[j].Price, bidTraded);
            }
            uncapped += q;
            offerLeft -= q;
            bidLeft -= q;
            if (offerLeft == 0 && ++i < offers.Count)
            {
                offerLeft = offers[i].Wh;
                offerTraded = 0;
            }
            if (bidLeft == 0 && ++j < bids.Count)
            {
                bidLeft = bids[j].Wh;
                bidTraded = 0;
            }
        }
        var price = traded == 0 ? 0 : (ulong)(((UInt128)offer.Price + bid.Price) / 2);
        return new Result(price, traded, uncapped, offer, bid);
    }

    /// <summary>Commitments (sorted like offers) accepted in price order until <paramref name="needWh"/> is met: the last accepted, and how much is covered.</summary>
    public static (Marginal Last, ulong AcceptedWh) Accept(IReadOnlyList<EnergyOrderRecord> commits, ulong needWh)
    {
        ulong accepted = 0;
        Marginal last = default;
        foreach (var c in commits)
        {
            if (accepted == needWh)
            {
                break;
            }
            var take = Math.Min(c.Wh, needWh - accepted);
            accepted += take;
            last = new Marginal(c.Number, c.Price, take);
        }
        return (last, accepted);
    }

    /// <summary>
    /// Cumulative Wh per distinct price, in the side's order; more than
    /// <see cref="EnergyLimits.MaxCurvePoints"/> prices are merged into that many equal bands of
    /// [floor, cap], each at its band's upper price (supply) or lower price (demand).
    /// </summary>
    public static CurvePoint[] Curve(IReadOnlyList<EnergyOrderRecord> sorted, bool supply, ulong floor, ulong cap)
    {
        var points = new List<CurvePoint>();
        ulong total = 0;
        foreach (var order in sorted)
        {
            total += order.Wh;
            if (points.Count > 0 && points[^1].Price == order.Price)
            {
                points[^1] = new CurvePoint(order.Price, total);
            }
            else
            {
                points.Add(new CurvePoint(order.Price, total));
            }
        }
        if (points.Count <= EnergyLimits.MaxCurvePoints)
        {
            return [.. points];
        }
        var width = ((cap - floor) / EnergyLimits.MaxCurvePoints) + 1;
        var bands = new List<CurvePoint>();
        foreach (var point in points)
        {
            var band = (point.Price - floor) / width;
            var price = supply ? Math.Min(cap, floor + ((band + 1) * width) - 1) : floor + (band * width);
            if (bands.Count > 0 && bands[^1].Price == price)
            {
                bands[^1] = new CurvePoint(price, point.Wh);
            }
            else
            {
                bands.Add(new CurvePoint(price, point.Wh));
            }
        }
        return [.. bands];
    }
}
