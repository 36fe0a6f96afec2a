using System.Collections.Concurrent;
using System.Globalization;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Cli.Simulation;

/// <summary>What stands behind a neighbourhood's meter.</summary>
internal enum HomeKind
{
    /// <summary>A house with solar panels: sells its midday surplus.</summary>
    Solar,
    /// <summary>A house with solar panels and a battery: the battery absorbs what the feeder cannot carry.</summary>
    SolarBattery,
    /// <summary>A flat without panels: buys.</summary>
    Flat,
    /// <summary>A bakery: a large daytime load, no panels.</summary>
    Bakery,
}

/// <summary>
/// What a home's energy manager settled for one market interval once it cleared: how much its
/// battery is to absorb (an accepted flexibility commitment), and the most it may export (what its
/// offer sold, when the feeder is congested; null = no limit).
/// </summary>
internal sealed record HomePlan(ulong ChargeWh, ulong? ExportCapWh);

/// <summary>
/// A home on a neighbourhood feeder, one smart-meter@3 reading per model minute: solar on a daily
/// curve (by the neighbourhood's solar time, so its noon follows its longitude) with some cloud,
/// household load with a morning and an evening peak, and a battery where there is one. The battery
/// covers the evening and stays out of the midday peak unless the home committed it to the grid's
/// flexibility request: then it charges what was accepted, spread over the interval. A reading
/// stamped t counts for the market interval holding t.
/// </summary>
internal sealed class HomeModel : DeviceModel
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private const double ReservePermille = 200;
    private readonly double _solarHours;
    private readonly ulong _intervalMs;
    private readonly ConcurrentDictionary<ulong, HomePlan> _plans = new();
    private double _storedWh;

    /// <param name="longitude">Degrees east: local solar time is UTC plus longitude / 15 hours.</param>
    /// <param name="intervalMinutes">The market's interval, which plans are made for.</param>
    public HomeModel(Random random, HomeKind kind, double longitude, int intervalMinutes) : base(random)
    {
        Kind = kind;
        _solarHours = longitude / 15;
        _intervalMs = (ulong)intervalMinutes * 60_000;
        (PanelKw, BaseLoadKw, RatingW) = kind switch
        {
            HomeKind.Solar or HomeKind.SolarBattery => (4.5 + (random.NextDouble() * 2), 0.25 + (random.NextDouble() * 0.2), 10_000UL),
            HomeKind.Flat => (0, 0.4 + (random.NextDouble() * 0.4), 6_000UL),
            _ => (0, 4 + (random.NextDouble() * 2), 15_000UL),
        };
        BatteryWh = kind == HomeKind.SolarBattery ? (ulong)(10_000 + (random.Next(8) * 500)) : 0;
        _storedWh = BatteryWh * (0.35 + (random.NextDouble() * 0.15));
    }

    public HomeKind Kind { get; }

    public double PanelKw { get; }

    /// <summary>Daytime load in kW (a bakery's while it bakes).</summary>
    public double BaseLoadKw { get; }

    /// <summary>What the meter carries, for its registration's <c>rating_w</c>.</summary>
    public ulong RatingW { get; }

    /// <summary>The battery's usable capacity for <c>battery_wh</c>; 0 = none.</summary>
    public ulong BatteryWh { get; }

    /// <summary>The battery's level as the meter reports it, in 0.1 %.</summary>
    public long SocPermille => BatteryWh == 0 ? 0 : (long)Math.Round(_storedWh / BatteryWh * 1000);

    public override TelemetrySchema Schema => BuiltInSchemas.SmartMeter3;

    /// <summary>Sets what the home does in the interval that starts at <paramref name="intervalStart"/> (ms).</summary>
    public void Plan(ulong intervalStart, HomePlan plan) => _plans[intervalStart] = plan;

    public override void Resume(IReadOnlyDictionary<string, string> values)
    {
        if (BatteryWh > 0 && values.TryGetValue("battery_soc_pct", out var soc) && double.TryParse(soc, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
        {
            _storedWh = Math.Clamp(percent, 0, 100) / 100 * BatteryWh;
        }
    }

    /// <summary>
    /// The home's expected solar minus load, in Wh, over <paramref name="minutes"/> minutes from
    /// <paramref name="from"/>, without the cloud and the noise: what its energy manager forecasts.
    /// </summary>
    public double ForecastNetWh(DateTime from, int minutes)
    {
        var net = 0.0;
        for (var m = 0; m < minutes; m++)
        {
            var t = from.AddMinutes(m);
            net += (SolarW(t, 0.95) - LoadW(t, 1)) / 60;
        }
        return net;
    }

    /// <summary>What the battery can still take, in Wh.</summary>
    public double RoomWh => BatteryWh - _storedWh;

    public override long[] Next(DateTime modelTime)
    {
        var solar = SolarW(modelTime, 0.9 + (Random.NextDouble() * 0.1)) / 60;
        var load = LoadW(modelTime, 0.85 + (Random.NextDouble() * 0.3)) / 60;
        var net = solar - load;
        var start = (ulong)new DateTimeOffset(modelTime).ToUnixTimeMilliseconds() / _intervalMs * _intervalMs;
        var plan = _plans.GetValueOrDefault(start);
        var minutes = _intervalMs / 60_000.0;
        var maxWh = RatingW / 60.0;
        double charge = 0, discharge = 0;
        var hour = LocalHour(modelTime);
        if (BatteryWh > 0)
        {
            if (plan is { ChargeWh: > 0 })
            {
                charge = Math.Min(Math.Min(plan.ChargeWh / minutes, RoomWh), maxWh);
            }
            else if (net < 0 && hour >= 16 && _storedWh > BatteryWh * ReservePermille / 1000)
            {
                // The evening: the battery covers the home down to its reserve.
                discharge = Math.Min(-net, _storedWh - (BatteryWh * ReservePermille / 1000));
            }
            else if (net > 0 && hour >= 14)
            {
                // After the midday peak the battery fills from what the panels still give.
                charge = Math.Min(net, RoomWh);
            }
        }
        _storedWh = Math.Clamp(_storedWh + charge - discharge, 0, BatteryWh);
        var grid = net - charge + discharge;
        var export = Math.Max(grid, 0);
        if (plan?.ExportCapWh is { } cap)
        {
            // The feeder is congested: the inverter curtails what the offer did not sell.
            export = Math.Min(export, cap / minutes);
        }
        var import = Math.Max(-grid, 0);
        return [(long)Math.Round(Math.Min(import, maxWh)), (long)Math.Round(Math.Min(export, maxWh)), SocPermille];
    }

    private double LocalHour(DateTime t)
    {
        var local = t.AddHours(_solarHours);
        return local.Hour + (local.Minute / 60.0);
    }

    private double SolarW(DateTime t, double sky) => PanelKw * 1000 * SolarCurve(t.AddHours(_solarHours)) * sky;

    private double LoadW(DateTime t, double noise)
    {
        var hour = LocalHour(t);
        var shape = Kind == HomeKind.Bakery
            ? hour is >= 4 and < 18 ? 1 : 0.1
            : hour switch
            {
                < 6 => 0.6,
                < 9 => 1.8,
                < 17 => 1,
                < 22 => 2.4,
                _ => 1,
            };
        return BaseLoadKw * 1000 * shape * noise;
    }
}
