using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Cli.Simulation;

/// <summary>
/// A simulated device: each call to <see cref="Next"/> advances its own model clock by one
/// reading interval and returns the values of that interval in the schema's order and scale.
/// Models run off-chain, so they may use floating point; values are rounded to integers here.
/// </summary>
internal abstract class DeviceModel(Random random)
{
    protected Random Random { get; } = random;

    public abstract TelemetrySchema Schema { get; }

    /// <summary>Values for the interval that ends at model time <paramref name="modelTime"/>.</summary>
    public abstract long[] Next(DateTime modelTime);

    /// <summary>Picks up where the device's last stored reading left off (its values as the node shows them); most models keep no state worth resuming.</summary>
    public virtual void Resume(IReadOnlyDictionary<string, string> values)
    {
    }

    protected static long Scale(double value, byte decimals) => (long)Math.Round(value * Math.Pow(10, decimals));

    /// <summary>0 at night, peaking at 1 around midday: the shape of a sunny day.</summary>
    protected static double SolarCurve(DateTime t)
    {
        var hour = t.Hour + (t.Minute / 60.0);
        return hour is < 6 or > 20 ? 0 : Math.Sin(Math.PI * (hour - 6) / 14);
    }
}

/// <summary>
/// An electric car sampled every 10 model seconds: trips mostly in the morning and evening rush,
/// speed as a bounded random walk, 0.14–0.22 kWh/km, CO₂ from the grid mix of the energy drawn,
/// charging when the battery runs low, rare harsh braking and very rare crashes.
/// </summary>
internal sealed class EvModel(Random random) : DeviceModel(random)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private const double CapacityKwh = 64;
    private const double GridGramsPerKwh = 380;
    private double _odometerKm = 5_000 + (random.NextDouble() * 40_000);
    private double _soc = 60 + (random.NextDouble() * 35);
    private double _speed;
    private bool _driving;
    private bool _charging;

    public override TelemetrySchema Schema => BuiltInSchemas.Ev;

    public override long[] Next(DateTime modelTime)
    {
        var rush = modelTime.Hour is (>= 7 and <= 9) or (>= 16 and <= 19);
        if (!_driving && !_charging && Random.NextDouble() < (rush ? 0.05 : 0.01))
        {
            _driving = true;
        }
        else if (_driving && Random.NextDouble() < 0.01)
        {
            _driving = false;
        }
        if (_soc < 15)
        {
            _driving = false;
            _charging = true;
        }
        double distance = 0, energy = 0;
        long harsh = 0, crash = 0;
        if (_charging)
        {
            _speed = 0;
            _soc = Math.Min(100, _soc + (11 * Interval.TotalHours / CapacityKwh * 100));
            _charging = _soc < 90;
        }
        else if (_driving)
        {
            var previous = _speed;
            _speed = Math.Clamp(_speed + ((Random.NextDouble() - 0.45) * 12), 0, 130);
            harsh = previous - _speed > 9 && Random.NextDouble() < 0.3 ? 1 : 0;
            crash = Random.NextDouble() < 0.00002 ? 1 : 0;
            distance = _speed * Interval.TotalHours;
            energy = distance * (0.14 + (Random.NextDouble() * 0.08));
            _odometerKm += distance;
            _soc = Math.Max(0, _soc - (energy / CapacityKwh * 100));
        }
        else
        {
            _speed = 0;
        }
        return
        [
            Scale(_odometerKm, 1), Scale(_speed, 1), Scale(energy, 3), Scale(_soc, 1),
            (long)Math.Round(energy * GridGramsPerKwh), Scale(distance, 3), harsh, crash,
        ];
    }
}

/// <summary>A household meter with solar panels and a battery, one reading per 15 model minutes.</summary>
internal sealed class MeterModel(Random random) : DeviceModel(random)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);
    private readonly double _panelKw = 3 + (random.NextDouble() * 5);
    private double _batterySoc = 50;

    public override TelemetrySchema Schema => BuiltInSchemas.SmartMeter;

    public override long[] Next(DateTime modelTime)
    {
        var hours = Interval.TotalHours;
        var solarWh = _panelKw * SolarCurve(modelTime) * (0.7 + (Random.NextDouble() * 0.3)) * hours * 1000;
        var evening = modelTime.Hour is >= 17 and <= 22;
        var loadWh = (evening ? 900 : 300) * (0.6 + (Random.NextDouble() * 0.8)) * hours * 4;
        var surplus = solarWh - loadWh;
        double import = 0, export = 0;
        if (surplus > 0)
        {
            var toBattery = Math.Min(surplus, (100 - _batterySoc) / 100 * 10_000);
            _batterySoc += toBattery / 10_000 * 100;
            export = surplus - toBattery;
        }
        else
        {
            var fromBattery = Math.Min(-surplus, _batterySoc / 100 * 10_000 * 0.5);
            _batterySoc -= fromBattery / 10_000 * 100;
            import = -surplus - fromBattery;
        }
        return [(long)Math.Round(import), (long)Math.Round(export), Scale(Math.Clamp(_batterySoc, 0, 100), 1)];
    }
}

/// <summary>
/// A washing machine sampled every model hour (schema washer@2): a cycle now and then, detergent
/// falling per cycle until refilled, and the drum's vibration — low when idle, up to ~900 mg in a
/// loaded spin, far beyond that once its drum motor fails (<see cref="DrumFault"/>).
/// </summary>
internal sealed class WasherModel(Random random) : DeviceModel(random)
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private double _detergent = 40 + (random.NextDouble() * 60);

    public override TelemetrySchema Schema => BuiltInSchemas.Washer2;

    /// <summary>When set, the machine is not refilled by its owner: it runs down to empty until <see cref="Refill"/> (a delivery arriving).</summary>
    public bool WaitsForDelivery { get; set; }

    /// <summary>A failing drum motor: the drum shakes at 1.8–3 g, running or not, until repaired.</summary>
    public bool DrumFault { get; set; }

    public void Refill() => _detergent = 100;

    /// <summary>Sets the detergent level (percent), as a machine found half empty.</summary>
    public void Fill(double percent) => _detergent = Math.Clamp(percent, 0, 100);

    public override long[] Next(DateTime modelTime)
    {
        var cycles = modelTime.Hour is >= 8 and <= 21 && Random.NextDouble() < 0.12 ? 1 : 0;
        _detergent = Math.Max(0, _detergent - (cycles * (2 + Random.NextDouble())));
        if (_detergent < 5 && !WaitsForDelivery)
        {
            _detergent = 100;
        }
        var vibration = DrumFault ? 1_800 + (Random.NextDouble() * 1_200) : cycles > 0 ? 500 + (Random.NextDouble() * 400) : 10 + (Random.NextDouble() * 30);
        return [Scale(_detergent, 1), cycles, (long)Math.Round(vibration)];
    }
}

/// <summary>
/// An air purifier sampled every model hour (schema air-purifier@1): it runs most of the day, its
/// filter losing about half a percent of life per hour of running, and measures PM2.5 that rises
/// as the filter wears out.
/// </summary>
internal sealed class AirPurifierModel(Random random) : DeviceModel(random)
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private double _filter = 30 + (random.NextDouble() * 70);

    public override TelemetrySchema Schema => BuiltInSchemas.AirPurifier;

    /// <summary>When set, the owner does not change the filter: it wears down to nothing until <see cref="Refill"/>.</summary>
    public bool WaitsForDelivery { get; set; }

    public void Refill() => _filter = 100;

    public override long[] Next(DateTime modelTime)
    {
        var running = modelTime.Hour is >= 6 and <= 23 || Random.NextDouble() < 0.2;
        _filter = Math.Max(0, _filter - (running ? 0.4 + (Random.NextDouble() * 0.2) : 0));
        if (_filter < 3 && !WaitsForDelivery)
        {
            _filter = 100;
        }
        var pm25 = (5 + (Random.NextDouble() * 15)) * (running ? 1 + ((100 - _filter) / 50) : 2.5);
        return [Scale(_filter, 1), (long)Math.Round(pm25), running ? 60 : 0];
    }
}
