using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ThingLedger.Cli.Simulation;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Energy;

namespace ThingLedger.Cli.Tests;

/// <summary>
/// The simulator's neighbourhood: homes whose day follows the sun and a seed, energy managers that
/// offer surplus, bid for deficit and commit batteries, plans that the meters' readings follow — and
/// the demo's market trading, clearing and settling an interval against those readings.
/// </summary>
public sealed partial class NeighbourhoodTests
{
    private static readonly DateTime Day = new(2026, 6, 21, 0, 0, 0, DateTimeKind.Utc);

    private static Neighbourhood Build(int seed, double longitude = 0, DateTime? start = null) =>
        new("gridco", "test-chain", longitude, seed, _ => KeyPair.Generate(), start ?? Day);

    private static ulong Ms(DateTime t) => (ulong)new DateTimeOffset(t).ToUnixTimeMilliseconds();

    private static List<long[]> Minutes(HomeModel model, DateTime from, int count) =>
        [.. Enumerable.Range(0, count).Select(m => model.Next(from.AddMinutes(m)))];

    [Fact]
    public void The_same_seed_builds_the_same_homes_and_the_same_day()
    {
        var (a, b, other) = (Build(7), Build(7), Build(8));
        Assert.Equal(a.Homes.Select(h => (h.Model.Kind, h.Model.RatingW, h.Model.BatteryWh)), b.Homes.Select(h => (h.Model.Kind, h.Model.RatingW, h.Model.BatteryWh)));
        Assert.Equal(Neighbourhood.Layout, a.Homes.Select(h => h.Model.Kind));
        var dayA = a.Homes.SelectMany(h => Minutes(h.Model, Day, 1440)).SelectMany(v => v).ToArray();
        var dayB = b.Homes.SelectMany(h => Minutes(h.Model, Day, 1440)).SelectMany(v => v).ToArray();
        Assert.Equal(dayA, dayB);
        Assert.NotEqual(dayA, other.Homes.SelectMany(h => Minutes(h.Model, Day, 1440)).SelectMany(v => v).ToArray());
        // Registration says what the market needs: the rating, and the battery where there is one.
        var battery = a.Homes.First(h => h.Model.Kind == HomeKind.SolarBattery).Meter;
        Assert.Equal(["battery_wh", "rating_w"], battery.Metadata!.Keys);
        Assert.Equal(["rating_w"], a.Homes.First(h => h.Model.Kind == HomeKind.Flat).Meter.Metadata!.Keys);
        Assert.Equal("smart-meter@3", battery.Model.Schema.Ref);
    }

    [Fact]
    public void A_house_exports_at_midday_and_imports_at_night_and_its_battery_covers_the_evening()
    {
        var homes = Build(7).Homes;
        var solar = homes.First(h => h.Model.Kind == HomeKind.Solar).Model;
        var day = Minutes(solar, Day, 1440);
        Assert.True(day.Skip(11 * 60).Take(120).All(v => v[1] > 0 && v[0] == 0), "a house with solar exports from 11:00 to 13:00");
        Assert.True(day.Take(5 * 60).All(v => v[1] == 0 && v[0] > 0), "and imports before sunrise");
        var flat = Minutes(homes.First(h => h.Model.Kind == HomeKind.Flat).Model, Day, 1440);
        Assert.True(flat.All(v => v[1] == 0 && v[0] > 0), "a flat only imports");

        var battery = homes.First(h => h.Model.Kind == HomeKind.SolarBattery).Model;
        var levels = Minutes(battery, Day, 1440).Select(v => v[2]).ToArray();
        Assert.Equal(levels[11 * 60], levels[13 * 60]); // kept out of the midday peak unless committed
        Assert.True(levels[16 * 60] > levels[14 * 60], "it fills from what the panels give after 14:00");
        Assert.True(levels[22 * 60] < levels[17 * 60], "and covers the evening");
        Assert.True(levels.Min() >= 200, "never below its reserve");

        // Solar time follows the longitude: at 90°E it is noon at 06:00 UTC.
        var east = Build(7, longitude: 90).Homes.First(h => h.Model.Kind == HomeKind.Solar).Model;
        Assert.True(east.ForecastNetWh(Day.AddHours(6), 5) > 0 && east.ForecastNetWh(Day.AddHours(18), 5) < 0);
        Assert.Equal(90, Neighbourhood.LongitudeAt(Day.AddHours(6), 12));
        Assert.Equal(-150, Neighbourhood.LongitudeAt(Day.AddHours(22), 12));
        // Seconds count, and the place is never a little short of the hour asked for.
        var late = Day.AddHours(10).AddSeconds(59);
        var placed = late.AddHours(Neighbourhood.LongitudeAt(late, 11.5) / 15);
        Assert.InRange(placed, Day.AddHours(11.5), Day.AddHours(11.5).AddSeconds(24));
    }

    [Fact]
    public void At_midday_more_would_trade_than_the_feeder_carries_and_the_batteries_commitments_cover_the_excess()
    {
        var neighbourhood = Build(2611);
        var terms = Neighbourhood.Terms("feeder-7", "Elm Street", "CNY");
        var start = Ms(Day.AddHours(12));
        Assert.True(neighbourhood.NeedsFlexibility(terms, start));
        Assert.False(neighbourhood.NeedsFlexibility(terms, Ms(Day.AddHours(2))), "no flexibility is asked for at night");
        var orders = neighbourhood.Homes.Select((h, i) => (Home: h, Order: Neighbourhood.Order(h, terms, start, flexRequested: true))).ToList();
        Assert.All(orders.Where(o => o.Home.Model.BatteryWh > 0), o => Assert.Equal(EnergySide.Commit, o.Order!.Side));
        Assert.All(orders.Where(o => o.Home.Model.Kind == HomeKind.Solar), o => Assert.Equal(EnergySide.Offer, o.Order!.Side));
        Assert.All(orders.Where(o => o.Home.Model.Kind is HomeKind.Flat or HomeKind.Bakery), o => Assert.Equal(EnergySide.Bid, o.Order!.Side));
        Assert.All(orders, o => Assert.InRange(o.Order!.Wh, Neighbourhood.MinimumWh, terms.RatingWh(o.Home.Model.RatingW)));
        Assert.All(orders, o => Assert.InRange(o.Order!.Price, terms.Floor, o.Order.Side == EnergySide.Commit ? Neighbourhood.FlexPrice : Neighbourhood.AllowancePrice));

        var records = orders.Select((o, n) => new EnergyOrderRecord((uint)n, o.Order!.Side, o.Home.Meter.Key.Address, o.Home.Owner.Address, o.Order.Wh, o.Order.Price, 0, true, 1)).ToList();
        var offers = records.Where(r => r.Side == EnergySide.Offer).Order(Comparer<EnergyOrderRecord>.Create(EnergyAuction.CompareOffers)).ToList();
        var bids = records.Where(r => r.Side == EnergySide.Bid).Order(Comparer<EnergyOrderRecord>.Create(EnergyAuction.CompareBids)).ToList();
        var clearing = EnergyAuction.Clear(offers, bids, terms.CapacityWh);
        Assert.Equal(terms.CapacityWh, clearing.TradedWh);
        Assert.True(clearing.UncappedWh > terms.CapacityWh, $"{clearing.UncappedWh} Wh would trade");
        var commits = records.Where(r => r.Side == EnergySide.Commit).Order(Comparer<EnergyOrderRecord>.Create(EnergyAuction.CompareOffers)).ToList();
        var need = Neighbourhood.FlexWh + clearing.UncappedWh - clearing.TradedWh;
        Assert.Equal(need, EnergyAuction.Accept(commits, need).AcceptedWh);
    }

    [Fact]
    public void A_plan_charges_the_battery_what_was_accepted_and_curtails_what_the_offer_did_not_sell()
    {
        var home = Build(7).Homes.First(h => h.Model.Kind == HomeKind.SolarBattery);
        var model = home.Model;
        var start = Day.AddHours(12);
        var before = Minutes(model, start.AddMinutes(-5), 5);
        Assert.True(before.Sum(v => v[1]) > 0);
        model.Plan(Ms(start), new HomePlan(ChargeWh: 400, ExportCapWh: 0));
        var during = Minutes(model, start, Neighbourhood.IntervalMinutes);
        Assert.All(during, v => Assert.Equal(0, v[1]));
        var rise = (during[^1][2] - before[^1][2]) * (long)model.BatteryWh / 1000;
        Assert.InRange(rise, 400 - ((long)model.BatteryWh / 1000), 400 + ((long)model.BatteryWh / 1000));
        // After the interval the plan is over: it exports again and the battery rests.
        var after = Minutes(model, start.AddMinutes(Neighbourhood.IntervalMinutes), 5);
        Assert.True(after.Sum(v => v[1]) > 0);
        Assert.Equal(during[^1][2], after[^1][2]);

        // A plan is what a cleared interval says: what the commitment was accepted for, and the offer's sale when the feeder was congested.
        var meter = home.Meter.Key.Address.ToString();
        EnergyOrderView Order(EnergySide side, ulong matched) => new(1, side, meter, home.Owner.Address.ToString(), 500, 50, "0", true, 1, matched);
        EnergyIntervalView Interval(ulong excess, params EnergyOrderView[] orders) => new("feeder-7", 0, 300_000, 240_000, "cleared",
            [.. orders.Where(o => o.Side != EnergySide.Commit)], 150, 90, [.. orders.Where(o => o.Side == EnergySide.Commit)],
            new EnergyClearingView(60, 300, 300 + excess, excess, 150 + excess, 150 + excess, [], [], 2), [], null);
        Assert.Equal(new HomePlan(120, null), Neighbourhood.PlanOf(Interval(0, Order(EnergySide.Commit, 120)), home.Meter.Key.Address));
        Assert.Equal(new HomePlan(0, 80), Neighbourhood.PlanOf(Interval(50, Order(EnergySide.Offer, 80)), home.Meter.Key.Address));
        Assert.Equal(new HomePlan(0, 0), Neighbourhood.PlanOf(Interval(50), home.Meter.Key.Address));
    }

    [Fact]
    public void A_fleet_catching_up_fast_never_sends_a_reading_ahead_of_the_present()
    {
        var now = DateTime.UtcNow;
        var start = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc).AddMinutes(-3);
        var fleet = Build(7, start: start).Fleet;
        var present = (ulong)new DateTimeOffset(now).ToUnixTimeMilliseconds();
        // Ten seconds at five readings a second would be 50 a meter; three minutes have happened.
        var (singles, _) = fleet.Tick(TimeSpan.FromSeconds(10), present);
        Assert.All(singles, s => Assert.True(s.Reading.Timestamp <= present, "a reading from the future"));
        Assert.Equal(3 * fleet.Devices.Count, singles.Count);
        Assert.Empty(fleet.Tick(TimeSpan.FromSeconds(10), present).Singles);
    }

    /// <summary>
    /// The demo's market end to end, in real time: the homes' managers place orders, the grid
    /// operator clears the interval at its gate and settles it once the meters' readings past it are
    /// anchored; at midday the feeder is congested and the batteries absorb what it cannot carry.
    /// Five-minute intervals closing a minute ahead: this takes 6 to 12 minutes.
    /// </summary>
    [Fact]
    public async Task The_demo_neighbourhood_trades_clears_and_settles_an_interval_against_its_meters_readings()
    {
        var directory = Directory.CreateTempSubdirectory("tl-neighbourhood-").FullName;
        var port = CliProcess.FreePort();
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var node = await NodeProcess.StartAsync(url, CliProcess.StartInfo("demo", "--data", Path.Combine(directory, "demo"), "--port", port.ToString(CultureInfo.InvariantCulture), "--rate", "1"));
        try
        {
            var clock = Stopwatch.StartNew();
            while (Settled().Match(node.Log) is not { Success: true })
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(15), "no interval settled:\n" + node.Log);
                await Task.Delay(1_000);
            }
            Assert.Matches(@"energy market feeder-7 created: 12 meters at \d+\.\d°[EW], where it is 11:3\d solar time", node.Log);
            Assert.Contains("asked batteries for flexibility: 4 committed", node.Log, StringComparison.Ordinal);
            Assert.Matches(@"cleared at \d+\.\d\d CNY/kWh: 300 Wh traded; \d+ Wh would have traded", node.Log);
            var start = ulong.Parse(Settled().Match(node.Log).Groups[1].Value, CultureInfo.InvariantCulture);

            using var client = new ThingLedgerClient(url);
            var interval = (await client.GetEnergyIntervalAsync("feeder-7", start))!;
            Assert.Equal("settled", interval.Status);
            var clearing = interval.Clearing!;
            Assert.True(clearing.ExcessWh > 0 && clearing.FlexAcceptedWh == clearing.FlexNeedWh, $"excess {clearing.ExcessWh}, flexibility {clearing.FlexAcceptedWh} of {clearing.FlexNeedWh}");
            Assert.Equal(12, interval.Meters.Count);
            Assert.All(interval.Meters, m => Assert.NotEmpty(m.Anchors));
            // The battery whose commitment was accepted charged it (within a reading's rounding), and was paid for it.
            var absorbing = interval.Commitments.Where(c => c.MatchedWh > 0).Select(c => c.Meter).ToHashSet();
            Assert.NotEmpty(absorbing);
            Assert.All(interval.Meters.Where(m => absorbing.Contains(m.Meter)), m => Assert.True(m.AbsorbedWh > 0 && m.Received != "0", $"{m.Meter} absorbed {m.AbsorbedWh}"));
            var accepted = interval.Commitments.Sum(c => (long)(c.MatchedWh ?? 0));
            Assert.InRange(interval.Meters.Sum(m => (long)(m.AbsorbedWh ?? 0)), accepted - (15 * absorbing.Count), accepted);
            // Sellers the feeder could not carry were curtailed; what sold was delivered.
            Assert.Equal(clearing.TradedWh, interval.Meters.Aggregate(0UL, (sum, m) => sum + (m.SoldWh ?? 0)));
            var unsold = interval.Orders.Where(o => o.Side == EnergySide.Offer && o.MatchedWh == 0).Select(o => o.Meter).ToHashSet();
            Assert.All(interval.Meters.Where(m => unsold.Contains(m.Meter)), m => Assert.Equal(0UL, m.ExportWh));
        }
        finally
        {
            node.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }

    [GeneratedRegex(@"settled against \d+ meters' anchored readings: .*?/energy/feeder-7/(\d+)")]
    private static partial Regex Settled();
}
