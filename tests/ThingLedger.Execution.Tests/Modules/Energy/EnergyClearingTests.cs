using ThingLedger.Execution.Modules.Energy;
using E = ThingLedger.Execution.Modules.Energy.EnergyNames;

namespace ThingLedger.Execution.Tests.Modules.Energy;

public sealed class EnergyClearingTests
{
    private readonly EnergyTestChain _t = new();

    private static EnergyOrderRecord Order(uint n, EnergySide side, ulong wh, ulong price) =>
        new(n, side, default, default, wh, price, UInt128.Zero, false, 1);

    [Fact]
    public void The_auction_matches_in_price_order_ties_by_admission_at_one_price_between_the_marginal_pair()
    {
        List<EnergyOrderRecord> offers = [Order(3, EnergySide.Offer, 1_000, 120), Order(1, EnergySide.Offer, 1_000, 120), Order(2, EnergySide.Offer, 500, 90)];
        List<EnergyOrderRecord> bids = [Order(4, EnergySide.Bid, 1_200, 200), Order(5, EnergySide.Bid, 1_000, 110)];
        offers.Sort(EnergyAuction.CompareOffers);
        bids.Sort(EnergyAuction.CompareBids);
        Assert.Equal([2u, 1u, 3u], offers.Select(o => o.Number));

        var result = EnergyAuction.Clear(offers, bids, 100_000);
        // 500 @ 90 and 700 of the 1,000 @ 120 admitted first meet the 1,200 @ 200; the bid at 110 is below every offer left.
        Assert.Equal((1_200ul, 1_200ul), (result.TradedWh, result.UncappedWh));
        Assert.Equal(new Marginal(1, 120, 700), result.Offer);
        Assert.Equal(new Marginal(4, 200, 1_200), result.Bid);
        Assert.Equal(160ul, result.Price);
        Assert.Equal([500ul, 700, 0], offers.Select(result.Offer.MatchedOf));
        Assert.Equal([1_200ul, 0], bids.Select(result.Bid.MatchedOf));

        // Capped at 1,000 Wh: the dearest offer's part and the bid's last 200 Wh are not sold.
        var capped = EnergyAuction.Clear(offers, bids, 1_000);
        Assert.Equal((1_000ul, 1_200ul), (capped.TradedWh, capped.UncappedWh));
        Assert.Equal([500ul, 500, 0], offers.Select(capped.Offer.MatchedOf));

        Assert.Equal(0ul, EnergyAuction.Clear(offers, [Order(9, EnergySide.Bid, 100, 80)], 100).TradedWh);
        Assert.Equal([new CurvePoint(90, 500), new CurvePoint(120, 2_500)], EnergyAuction.Curve(offers, supply: true, 50, 400));
        Assert.Equal([new CurvePoint(200, 1_200), new CurvePoint(110, 2_200)], EnergyAuction.Curve(bids, supply: false, 50, 400));
    }

    [Fact]
    public void Curves_of_many_prices_are_merged_into_bands()
    {
        List<EnergyOrderRecord> offers = [.. Enumerable.Range(0, 2_000).Select(i => Order((uint)i + 1, EnergySide.Offer, 10, 50 + (ulong)i))];
        var curve = EnergyAuction.Curve(offers, supply: true, 50, 2_049);
        Assert.True(curve.Length <= EnergyLimits.MaxCurvePoints);
        Assert.Equal(20_000ul, curve[^1].Wh);
        Assert.True(curve.Zip(curve.Skip(1)).All(p => p.First.Price < p.Second.Price && p.First.Wh < p.Second.Wh));
    }

    /// <summary>Solar offers 1,500 Wh at 100, its neighbour 1,500 at 150, the flat bids 2,000 at 300; the feeder carries 1,800 Wh.</summary>
    private ulong Book(ulong capacity = 1_800)
    {
        _t.Open(capacity);
        var next = _t.NextInterval;
        _t.Order(_t.Solar, _t.SolarMeter, E.Offer, next, 1_500, 100);
        _t.Order(_t.Neighbour, _t.NeighbourMeter, E.Offer, next, 1_500, 150);
        _t.Order(_t.Flat, _t.FlatMeter, E.Bid, next, 2_000, 300);
        return next;
    }

    [Fact]
    public void Clearing_waits_for_the_gate_caps_the_trade_at_the_feeder_and_offers_the_excess_to_batteries_cheapest_first()
    {
        var next = Book();
        _t.Refused(EnergyErrors.NoFlexRequest, _t.Solar, E.Commit, new EnergyOrderPayload(_t.SolarMeter.Address, next, 800, 80));
        _t.Refused(EnergyErrors.NotOperator, _t.Solar, E.Flex, new FlexPayload(EnergyTestChain.Market, next, 300, 120));
        _t.Ok(_t.Operator, E.Flex, new FlexPayload(EnergyTestChain.Market, next, 300, 120));
        _t.Refused(EnergyErrors.NoBattery, _t.Neighbour, E.Commit, new EnergyOrderPayload(_t.NeighbourMeter.Address, next, 100, 50));
        _t.Refused(EnergyErrors.FlexExists, _t.Operator, E.Flex, new FlexPayload(EnergyTestChain.Market, next, 300, 120));
        _t.Refused(EnergyErrors.PriceOutOfRange, _t.Solar, E.Commit, new EnergyOrderPayload(_t.SolarMeter.Address, next, 800, 121));
        // The battery (10 kWh, no level anchored yet) can take a quarter-hour of its meter's rating at most.
        _t.Refused(EnergyErrors.BeyondCapacity, _t.Solar, E.Commit, new EnergyOrderPayload(_t.SolarMeter.Address, next, 2_001, 80));
        _t.Ok(_t.Solar, E.Commit, new EnergyOrderPayload(_t.SolarMeter.Address, next, 800, 80));

        _t.Refused(EnergyErrors.GateOpen, _t.Stranger, E.Clear, new IntervalPayload(EnergyTestChain.Market, next));
        _t.Refused(EnergyErrors.NotCleared, _t.Operator, E.Settle, new IntervalPayload(EnergyTestChain.Market, next));
        _t.PassTo(next - (5 * 60_000));
        _t.Refused(EnergyErrors.GateClosed, _t.Flat, E.Bid, new EnergyOrderPayload(_t.FlatMeter.Address, next, 100, 300));
        var receipt = _t.Ok(_t.Stranger, E.Clear, new IntervalPayload(EnergyTestChain.Market, next));
        _t.Refused(EnergyErrors.Cleared, _t.Stranger, E.Clear, new IntervalPayload(EnergyTestChain.Market, next));

        var clearing = EnergyModule.ReadClearing(_t.Chain, EnergyTestChain.Market, next)!;
        Assert.Equal((225ul, 1_800ul, 200ul), (clearing.Price, clearing.TradedWh, clearing.ExcessWh));
        Assert.Equal(new Marginal(2, 150, 300), clearing.Offer);
        // The need is the operator's 300 Wh and the feeder's 200 Wh excess; the battery covers it.
        Assert.Equal((500ul, 500ul), (clearing.FlexNeedWh, clearing.FlexAcceptedWh));
        var cleared = Assert.Single(receipt.Events, e => e.Name == "interval-cleared");
        Assert.Equal(("225", "1800", "200"), (cleared["price"], cleared["traded"], cleared["excess"]));
    }

    [Fact]
    public void Settlement_waits_for_the_readings_pays_the_clearing_price_and_settles_imbalances_and_the_battery_once()
    {
        var next = Book();
        _t.Ok(_t.Operator, E.Flex, new FlexPayload(EnergyTestChain.Market, next, 300, 120));
        _t.Ok(_t.Solar, E.Commit, new EnergyOrderPayload(_t.SolarMeter.Address, next, 800, 80));
        _t.PassTo(next - (5 * 60_000));
        _t.Ok(_t.Stranger, E.Clear, new IntervalPayload(EnergyTestChain.Market, next));
        var before = new[] { _t.Solar, _t.Neighbour, _t.Flat, _t.Operator }.Select(k => _t.Balance(k.Address)).ToArray();

        // The battery stood at 40.0 % before the interval; in it, solar exports what it sold and charges to 45.0 %.
        _t.Readings(_t.SolarMeter, next - EnergyTestChain.Quarter, 0, 0, soc: 400);
        _t.PassTo(next + EnergyTestChain.Quarter);
        _t.Readings(_t.SolarMeter, next, 0, 1_500, soc: 450, socMin: 400);
        _t.Readings(_t.NeighbourMeter, next, 0, 200);
        _t.Readings(_t.FlatMeter, next, 1_500, 0);
        // Nobody has reported past the interval yet.
        _t.Refused(EnergyErrors.DataPending, _t.Operator, E.Settle, new IntervalPayload(EnergyTestChain.Market, next));
        foreach (var meter in new[] { _t.SolarMeter, _t.NeighbourMeter, _t.FlatMeter })
        {
            _t.Readings(meter, next + EnergyTestChain.Quarter, 0, 0, soc: meter == _t.SolarMeter ? 450 : null);
        }
        _t.Refused(EnergyErrors.NotOperator, _t.Solar, E.Settle, new IntervalPayload(EnergyTestChain.Market, next));
        var receipt = _t.Ok(_t.Operator, E.Settle, new IntervalPayload(EnergyTestChain.Market, next));
        _t.Refused(EnergyErrors.Settled, _t.Operator, E.Settle, new IntervalPayload(EnergyTestChain.Market, next));

        var delta = new[] { _t.Solar, _t.Neighbour, _t.Flat, _t.Operator }.Select((k, i) => (long)(_t.Balance(k.Address) - before[i] + 1_000_000) - 1_000_000).ToArray();
        // Solar: 1,500 Wh at 225 (337) and 500 Wh absorbed at 80 (40). Neighbour: 300 Wh at 225 (67), and 100 Wh short at 337 is
        // taken from its collateral. Flat: paid from its deposit, 300 Wh unused bought back at 112 (33). The operator: the fee
        // (54), the shortfall (33) and the rounding (405 − 404 = 1), less what it paid (33 + 40).
        Assert.Equal([377L, 67, 33, 54 + 33 + 1 - 33 - 40], delta);
        var flat = EnergyModule.ReadMeasured(_t.Chain, EnergyTestChain.Market, next, _t.FlatMeter.Address)!;
        Assert.Equal(new MeterSettlement(0, 1_800, 0, 33, 405 + 54, 660 - 459), flat.Settlement);
        Assert.Single(flat.Anchors);
        Assert.Equal((UInt128)(100_000 - 33), EnergyModule.ReadMeter(_t.Chain, _t.NeighbourMeter.Address)!.Funds);
        Assert.Equal(0u, EnergyModule.ReadMeter(_t.Chain, _t.SolarMeter.Address)!.Open);
        var solar = EnergyModule.ReadMeasured(_t.Chain, EnergyTestChain.Market, next, _t.SolarMeter.Address)!;
        Assert.Equal((1_500ul, 500ul), (solar.Settlement!.SoldWh, solar.Settlement.AbsorbedWh));
        var settled = Assert.Single(receipt.Events, e => e.Name == "interval-settled");
        Assert.Equal(("3", "404", "54"), (settled["meters"], settled["energy"], settled["fees"]));
    }

    [Fact]
    public void A_meter_whose_data_is_flagged_is_settled_as_undelivered_and_a_silent_one_after_the_wait()
    {
        var next = Book();
        _t.PassTo(next - (5 * 60_000));
        _t.Ok(_t.Stranger, E.Clear, new IntervalPayload(EnergyTestChain.Market, next));
        _t.PassTo(next + EnergyTestChain.Quarter);
        _t.Readings(_t.SolarMeter, next, 0, 1_500);
        _t.Readings(_t.NeighbourMeter, next, 0, 300, flagged: true);
        // The flat's meter never reports: settlement waits an hour past the interval's end, then counts it as measuring nothing.
        _t.Readings(_t.SolarMeter, next + EnergyTestChain.Quarter, 0, 0);
        _t.Readings(_t.NeighbourMeter, next + EnergyTestChain.Quarter, 0, 0);
        _t.Refused(EnergyErrors.DataPending, _t.Operator, E.Settle, new IntervalPayload(EnergyTestChain.Market, next));
        _t.PassTo(next + EnergyTestChain.Quarter + 3_600_000);
        var neighbour = _t.Balance(_t.Neighbour.Address);
        _t.Ok(_t.Operator, E.Settle, new IntervalPayload(EnergyTestChain.Market, next));

        // The neighbour sold 300 Wh but its readings were flagged: paid 67 for the sale, charged 300 Wh short at 337 (101).
        Assert.Equal(neighbour + 67, _t.Balance(_t.Neighbour.Address));
        Assert.Equal((UInt128)(100_000 - 101), EnergyModule.ReadMeter(_t.Chain, _t.NeighbourMeter.Address)!.Funds);
        Assert.True(EnergyModule.ReadMeasured(_t.Chain, EnergyTestChain.Market, next, _t.NeighbourMeter.Address)!.Flagged);
        // The flat bought 1,800 Wh and pays for them; it measured nothing, so it gets the unused part back at the long price.
        Assert.Equal(new MeterSettlement(0, 1_800, 0, 201, 459, 201), EnergyModule.ReadMeasured(_t.Chain, EnergyTestChain.Market, next, _t.FlatMeter.Address)!.Settlement);
    }

    [Fact]
    public void A_battery_commits_no_more_than_its_last_anchored_level_leaves_room_for()
    {
        _t.Open();
        var next = _t.NextInterval;
        _t.Ok(_t.Operator, E.Flex, new FlexPayload(EnergyTestChain.Market, next, 5_000, 120));
        // Anchored at 90.0 %: 1,000 Wh of its 10 kWh left.
        _t.Readings(_t.SolarMeter, ((_t.Now / EnergyTestChain.Quarter) - 1) * EnergyTestChain.Quarter, 0, 0, soc: 900);
        _t.Refused(EnergyErrors.BeyondCapacity, _t.Solar, E.Commit, new EnergyOrderPayload(_t.SolarMeter.Address, next, 1_001, 80));
        _t.Ok(_t.Solar, E.Commit, new EnergyOrderPayload(_t.SolarMeter.Address, next, 600, 80));
        _t.Refused(EnergyErrors.BeyondCapacity, _t.SolarMeter, E.Commit, new EnergyOrderPayload(_t.SolarMeter.Address, next, 401, 80));
        _t.Ok(_t.SolarMeter, E.Commit, new EnergyOrderPayload(_t.SolarMeter.Address, next, 400, 80));
    }
}
