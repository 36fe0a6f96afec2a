using System.Globalization;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Energy;

namespace ThingLedger.Cli.Simulation;

/// <summary>A home of the neighbourhood: its name, its meter (a simulated device), and its owner's key.</summary>
internal sealed class Home(string name, SimulatedDevice meter, KeyPair owner, int seed)
{
    public string Name { get; } = name;

    public SimulatedDevice Meter { get; } = meter;

    public HomeModel Model => (HomeModel)Meter.Model;

    public KeyPair Owner { get; } = owner;

    /// <summary>The home energy manager's own taste in prices (deterministic from the neighbourhood's seed).</summary>
    public Random Prices { get; } = new(seed);
}

/// <summary>One order a home energy manager places: which side, how much, at what price per kWh.</summary>
internal sealed record HomeOrder(EnergySide Side, ulong Wh, ulong Price);

/// <summary>
/// A neighbourhood of twelve meters on one feeder (docs/ENERGY.md, "A neighbourhood"): houses with solar panels,
/// some of them with a battery, two flats and a bakery, each a smart-meter@3 device reporting every
/// minute, registered by the grid operator's organisation with its rating and battery, and owned by
/// its household. Everything about it follows from its seed and its longitude.
/// </summary>
internal sealed class Neighbourhood
{
    public const ushort IntervalMinutes = 5;
    public const ushort GateMinutes = 1;
    public const ulong Cap = 200;
    public const ulong GridFee = 8;
    public const ulong CapacityWh = 300;
    public const ulong FlexWh = 150;
    public const ulong FlexPrice = 90;
    public const ulong AllowancePrice = 180;

    /// <summary>The least a home energy manager bothers to trade, in Wh.</summary>
    public const ulong MinimumWh = 20;

    public static readonly HomeKind[] Layout =
    [
        HomeKind.Solar, HomeKind.SolarBattery, HomeKind.Solar, HomeKind.Flat, HomeKind.SolarBattery, HomeKind.Solar,
        HomeKind.Bakery, HomeKind.SolarBattery, HomeKind.Solar, HomeKind.Flat, HomeKind.SolarBattery, HomeKind.Solar,
    ];

    /// <param name="org">The grid operator's organisation, which registers the meters.</param>
    /// <param name="longitude">Degrees east; the homes' day follows its solar time.</param>
    /// <param name="key">The key of a name (<c>home-3</c>, the household; <c>home-3-meter</c>, its meter), kept where the caller keeps keys.</param>
    public Neighbourhood(string org, string chainId, double longitude, int seed, Func<string, KeyPair> key, DateTime modelStart)
    {
        var random = new Random(seed);
        for (var i = 0; i < Layout.Length; i++)
        {
            var name = $"home-{i + 1}";
            var model = new HomeModel(new Random(random.Next()), Layout[i], longitude, IntervalMinutes);
            var owner = key(name);
            var meterKey = key(name + "-meter");
            var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["rating_w"] = model.RatingW.ToString(CultureInfo.InvariantCulture) };
            if (model.BatteryWh > 0)
            {
                metadata["battery_wh"] = model.BatteryWh.ToString(CultureInfo.InvariantCulture);
            }
            var meter = new SimulatedDevice(org, meterKey, new DeviceSigner(meterKey, chainId), model, HomeModel.Interval, fault: null, modelStart)
            {
                Owner = owner.Address,
                Product = "HomeMeter-5",
                Serial = $"HM-{i + 1:D4}",
                Metadata = metadata,
            };
            Homes.Add(new Home(name, meter, owner, random.Next()));
        }
        // A meter reports each minute; after a pause it catches up at a few readings a second.
        Fleet = new Fleet(Homes.Select(h => h.Meter), readingsPerSecond: 5, chainId, modelStart, seed);
    }

    public List<Home> Homes { get; } = [];

    public Fleet Fleet { get; }

    /// <summary>The feeder's market: five-minute intervals closing a minute ahead, prices per kWh in the token's smallest units.</summary>
    public static MarketTerms Terms(string id, string zone, string token) =>
        new(id, zone, "smart-meter", 3, IntervalMinutes, GateMinutes, 0, Cap, GridFee, token, 15_000, 5_000, CapacityWh, 10);

    /// <summary>The most a home's own key may order in one interval: what its meter carries.</summary>
    public static ulong AllowanceWh(MarketTerms terms, Home home) => terms.RatingWh(home.Model.RatingW);

    /// <summary>
    /// The grid operator's forecast: the feeder would export more than its capacity in the interval
    /// (the homes' expected solar less their load, summed), so it asks batteries for flexibility.
    /// </summary>
    public bool NeedsFlexibility(MarketTerms terms, ulong start) =>
        Homes.Sum(h => h.Model.ForecastNetWh(Time(start), terms.IntervalMinutes)) > terms.CapacityWh;

    /// <summary>
    /// What a home's energy manager places for the interval at <paramref name="start"/>: a battery
    /// answers a flexibility request with what it can still take; otherwise the home offers most of
    /// its forecast surplus (keeping a fifth back against cloud) or bids a tenth above its forecast
    /// deficit, within its meter's rating.
    /// </summary>
    public static HomeOrder? Order(Home home, MarketTerms terms, ulong start, bool flexRequested)
    {
        var ratingWh = terms.RatingWh(home.Model.RatingW);
        if (flexRequested && home.Model.BatteryWh > 0)
        {
            var room = (ulong)Math.Min(home.Model.RoomWh * 0.9, ratingWh);
            return room >= MinimumWh ? new HomeOrder(EnergySide.Commit, room, 30 + (ulong)home.Prices.Next(40)) : null;
        }
        var net = home.Model.ForecastNetWh(Time(start), terms.IntervalMinutes);
        if (net >= MinimumWh / 0.8)
        {
            return new HomeOrder(EnergySide.Offer, Math.Min((ulong)(net * 0.8), ratingWh), 40 + (ulong)home.Prices.Next(30));
        }
        return net <= -(double)MinimumWh
            ? new HomeOrder(EnergySide.Bid, Math.Min((ulong)Math.Ceiling(-net * 1.1), ratingWh), 110 + (ulong)home.Prices.Next(50))
            : null;
    }

    /// <summary>
    /// What the home does in a cleared interval: its battery charges what its commitment was accepted
    /// for, and when the feeder was congested (the clearing left an excess) it exports no more than
    /// its offer sold.
    /// </summary>
    public static HomePlan PlanOf(EnergyIntervalView interval, Address meter)
    {
        var id = meter.ToString();
        var charge = interval.Commitments.Where(c => c.Meter == id).Aggregate(0UL, (sum, c) => sum + (c.MatchedWh ?? 0));
        ulong? cap = interval.Clearing is { ExcessWh: > 0 }
            ? interval.Orders.Where(o => o.Meter == id && o.Side == EnergySide.Offer).Aggregate(0UL, (sum, o) => sum + (o.MatchedWh ?? 0))
            : null;
        return new HomePlan(charge, cap);
    }

    public static DateTime Time(ulong unixMs) => DateTimeOffset.FromUnixTimeMilliseconds((long)unixMs).UtcDateTime;

    /// <summary>The longitude where it is <paramref name="solarHour"/> (solar time) at <paramref name="utc"/>: a neighbourhood whose day is where the demo wants it.</summary>
    public static double LongitudeAt(DateTime utc, double solarHour)
    {
        var hours = solarHour - (utc.Hour + (utc.Minute / 60.0) + (utc.Second / 3600.0));
        hours = ((hours % 24) + 36) % 24 - 12;
        // Rounded east (up) to 0.1°: it is then at least solarHour there, never a little before.
        return Math.Ceiling(Math.Round(hours * 150, 6)) / 10;
    }
}
