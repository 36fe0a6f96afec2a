using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Node.Screening;

/// <summary>
/// A screening model at work: it sees one schema's readings in the order they are accepted and
/// flags each from what it has seen of the same device before (and, for duplicate streams, of
/// every device). State is per device and in memory. Not thread-safe: its owner serialises calls.
/// Floating point is fine here: flags are decided once, stored with the reading, and only the
/// stored flags reach the chain.
/// </summary>
public sealed class ScreeningModel : IDisposable
{
    /// <summary>Window fingerprints remembered across devices before the oldest are forgotten.</summary>
    public const int MaxFingerprints = 1_000_000;

    private const ushort PhysicalScore = 1_000;
    private const ushort DuplicateScore = 900;
    private const ushort StuckScore = 700;

    private readonly Compiled[] _rules;
    private readonly OnnxScorer?[] _sessions;
    private readonly int _outliers;
    private readonly int _stateful;
    private readonly int _window;
    private readonly int[] _additive;
    private readonly ReadingScreen _clean;
    private readonly Dictionary<Address, DeviceState> _devices = [];
    private readonly Dictionary<ulong, (Address Device, ulong Time)> _fingerprints = [];
    private readonly Queue<ulong> _fingerprintOrder = new();

    /// <summary>
    /// Builds the model; <paramref name="files"/> gives an ONNX rule's file by its SHA-256 (null
    /// when it is not installed). Throws <see cref="ArgumentException"/> when the model cannot
    /// run here: parameters that do not fit the schema, an ONNX file missing, not the one
    /// registered, or not a model ONNX Runtime can run on the rule's fields.
    /// </summary>
    public ScreeningModel(ScreeningModelConfig config, TelemetrySchema schema, Func<Hash, byte[]?>? files = null)
    {
        if (config.Problem(schema) is { } problem)
        {
            throw new ArgumentException($"model {config.Name}: {problem}");
        }
        _sessions = new OnnxScorer?[config.Rules.Length];
        Config = config;
        _clean = new ReadingScreen(config.Name, []);
        _additive = schema.AdditiveFields();
        _rules = new Compiled[config.Rules.Length];
        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = config.Rules[i];
            _rules[i] = rule switch
            {
                RatioBandRule r => new Compiled(rule, schema.IndexOf(r.Numerator), schema.IndexOf(r.Denominator), -1),
                OutlierRule => new Compiled(rule, schema.IndexOf(rule.Fields.First()), -1, _outliers++),
                DuplicateStreamRule => new Compiled(rule, -1, -1, -1),
                SeasonalZRule or CusumRule or WindowedGaussianRule or StuckRule => new Compiled(rule, schema.IndexOf(rule.Fields.First()), -1, _stateful++),
                _ => new Compiled(rule, schema.IndexOf(rule.Fields.First()), -1, -1),
            };
            if (rule is DuplicateStreamRule duplicate)
            {
                _window = duplicate.Window;
            }
            if (rule is OnnxRule onnx)
            {
                try
                {
                    _sessions[i] = new OnnxScorer(onnx, [.. onnx.Inputs.Select(schema.IndexOf)], [.. onnx.Inputs.Select(f => schema.Fields[schema.IndexOf(f)].Decimals)], files);
                }
                catch
                {
                    Dispose();
                    throw;
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (var session in _sessions)
        {
            session?.Dispose();
        }
    }

    public ScreeningModelConfig Config { get; }

    /// <summary>Whether the model has seen the device since it was created.</summary>
    public bool Knows(Address device) => _devices.ContainsKey(device);

    /// <summary>Drops what the model learned of a device (it learns again from the reading store).</summary>
    public void Forget(Address device) => _devices.Remove(device);

    /// <summary>Screens the device's next reading and learns from it.</summary>
    public ReadingScreen Screen(Reading reading)
    {
        if (!_devices.TryGetValue(reading.Device, out var state))
        {
            state = new DeviceState(reading.Values.Length, _outliers, _window, _stateful);
            _devices[reading.Device] = state;
        }
        Span<ushort> scores = stackalloc ushort[16];
        scores.Clear();
        var values = reading.Values;
        var sinceTrusted = state.HasTrusted && reading.Timestamp > state.TrustedTime ? reading.Timestamp - state.TrustedTime : 0;
        var sinceLast = state.HasLast && reading.Timestamp > state.LastTime ? reading.Timestamp - state.LastTime : 0;
        for (var index = 0; index < _rules.Length; index++)
        {
            var rule = _rules[index];
            var score = rule.Rule switch
            {
                CeilingRule c => values[rule.Field] > c.Max ? PhysicalScore : (ushort)0,
                NonDecreasingRule => state.HasTrusted && values[rule.Field] < state.Trusted[rule.Field] ? PhysicalScore : (ushort)0,
                RatioBandRule r => OutsideBand(r, values[rule.Field], values[rule.Other]) ? PhysicalScore : (ushort)0,
                RateRule { Additive: true } r => sinceLast > 0 && values[rule.Field] > Allowed(r.MaxPerHour, r.Tolerance, sinceLast) ? PhysicalScore : (ushort)0,
                RateRule r => sinceTrusted > 0 && values[rule.Field] - state.Trusted[rule.Field] > Allowed(r.MaxPerHour, r.Tolerance, sinceTrusted) ? PhysicalScore : (ushort)0,
                OutlierRule o => Outlier(o, state.Ewmas[rule.Slot], reading.Timestamp, values[rule.Field]),
                DuplicateStreamRule d => Duplicate(d, state, reading) ? DuplicateScore : (ushort)0,
                RangeRule r => values[rule.Field] < r.Min || values[rule.Field] > r.Max ? PhysicalScore : (ushort)0,
                RateOfChangeRule r => sinceLast > 0 && Math.Abs(values[rule.Field] - state.Last[rule.Field]) > Allowed(r.MaxPerHour, r.Tolerance, sinceLast) ? PhysicalScore : (ushort)0,
                StuckRule r => Stuck(r, state.Stateful<StuckState>(rule.Slot), values[rule.Field]),
                SeasonalZRule z => SeasonalZ(z, state.Stateful(rule.Slot, () => new SeasonalState(Seasonalities.Buckets(z.Seasonality))), reading.Timestamp, values[rule.Field]),
                CusumRule c => Cusum(c, state.Stateful(rule.Slot, () => new CusumState(Seasonalities.Buckets(c.Seasonality))), reading.Timestamp, values[rule.Field]),
                WindowedGaussianRule w => WindowedGaussian(w, state.Stateful(rule.Slot, () => new GaussianWindow((int)w.Window)), values[rule.Field]),
                OnnxRule => _sessions[index]!.Flag(values),
                _ => 0,
            };
            var code = (int)rule.Rule.Code;
            scores[code] = (ushort)Math.Max(scores[code], score);
        }

        var raised = 0;
        var trusted = true;
        for (var code = 1; code < scores.Length; code++)
        {
            if (scores[code] > 0)
            {
                raised++;
                trusted &= !FlagCodes.IsPhysical((FlagCode)code);
            }
        }
        // Levels (odometer, state of charge) move on only from readings that look physically
        // possible, so one bad value does not make the next good one look impossible.
        if (trusted)
        {
            values.CopyTo(state.Trusted, 0);
            state.TrustedTime = reading.Timestamp;
            state.HasTrusted = true;
        }
        if (reading.Timestamp >= state.LastTime)
        {
            values.CopyTo(state.Last, 0);
        }
        state.LastTime = Math.Max(state.LastTime, reading.Timestamp);
        state.HasLast = true;
        if (raised == 0)
        {
            return _clean;
        }
        var flags = new ReadingFlag[raised];
        for (int code = 1, k = 0; k < raised; code++)
        {
            if (scores[code] > 0)
            {
                flags[k++] = new ReadingFlag((FlagCode)code, scores[code]);
            }
        }
        return new ReadingScreen(_clean.Model, flags);
    }

    private static bool OutsideBand(RatioBandRule rule, long numerator, long denominator)
    {
        if (denominator < rule.MinDenominator || denominator <= 0)
        {
            return false;
        }
        var ratio = (double)numerator * 1000 / denominator;
        return ratio < rule.Min || ratio > rule.Max;
    }

    private static double Allowed(long maxPerHour, long tolerance, ulong elapsedMs) => (maxPerHour * (elapsedMs / 3_600_000.0)) + tolerance;

    private static ushort ZScore(double z) => (ushort)Math.Clamp(Math.Round(z * 100), 1, FlagCodes.MaxScore);

    private static ushort Stuck(StuckRule rule, StuckState state, long value)
    {
        state.Run = state.Run > 0 && state.Value == value ? state.Run + 1 : 1;
        state.Value = value;
        return state.Run >= rule.Readings ? StuckScore : (ushort)0;
    }

    private static ushort SeasonalZ(SeasonalZRule rule, SeasonalState state, ulong timestamp, long value)
    {
        ref var e = ref state.Buckets[Seasonalities.Bucket(rule.Seasonality, timestamp)];
        if (e.Count == 0)
        {
            e = new Ewma(value, 0, 1);
            return 0;
        }
        var alpha = rule.AlphaPerMille / 1000.0;
        var threshold = rule.ThresholdTenths / 10.0;
        var scale = Math.Max(1.4826 * e.Deviation, rule.MinDeviation);
        var residual = value - e.Mean;
        var z = Math.Abs(residual) / scale;
        var outlier = e.Count >= rule.Warmup && z > threshold;
        // An outlier moves the mean only as far as the threshold and leaves the deviation alone, so
        // a burst of them cannot teach the model that they are normal, nor hide the next one.
        var x = outlier ? e.Mean + (Math.Sign(residual) * threshold * scale) : value;
        e = new Ewma(e.Mean + (alpha * (x - e.Mean)), outlier ? e.Deviation : e.Deviation + (alpha * (Math.Abs(x - e.Mean) - e.Deviation)), e.Count + 1);
        // A level shift shows as a run of large residuals on one side (beyond half the threshold,
        // so that a shifted reading the inflated deviation no longer calls an outlier still
        // counts); once it lasts `shiftAfter` readings and held an outlier, the new level is the
        // baseline from now on, in every bucket.
        var side = e.Count > rule.Warmup && z > threshold / 2 ? Math.Sign(residual) : 0;
        if (side == 0 || state.Run * side < 0)
        {
            state.Run = 0;
            state.RunOffset = 0;
            state.RunOutliers = 0;
        }
        if (side != 0)
        {
            state.Run += side;
            state.RunOffset += residual;
            state.RunOutliers += outlier ? 1 : 0;
            if (rule.ShiftAfter > 0 && Math.Abs(state.Run) >= rule.ShiftAfter && state.RunOutliers > 0)
            {
                var offset = state.RunOffset / Math.Abs(state.Run);
                for (var b = 0; b < state.Buckets.Length; b++)
                {
                    if (state.Buckets[b].Count > 0)
                    {
                        state.Buckets[b] = state.Buckets[b] with { Mean = state.Buckets[b].Mean + offset };
                    }
                }
                state.Run = 0;
                state.RunOffset = 0;
                state.RunOutliers = 0;
            }
        }
        return outlier ? ZScore(z) : (ushort)0;
    }

    private static ushort Cusum(CusumRule rule, CusumState state, ulong timestamp, long value)
    {
        var bucket = Seasonalities.Bucket(rule.Seasonality, timestamp);
        ref var mean = ref state.Means[bucket];
        ref var seen = ref state.Seen[bucket];
        if (seen == 0)
        {
            mean = value;
            seen = 1;
            state.Count++;
            return 0;
        }
        var residual = value - mean;
        if (state.Count < rule.Warmup)
        {
            // Learning: running means per bucket and a running mean absolute deviation.
            seen++;
            state.Count++;
            mean += residual / seen;
            state.Deviation += (Math.Abs(residual) - state.Deviation) / state.Count;
            return 0;
        }
        var alpha = rule.AlphaPerMille / 1000.0;
        var scale = Math.Max(1.4826 * state.Deviation, rule.MinDeviation);
        var z = residual / scale;
        var k = rule.SlackTenths / 10.0;
        var h = rule.LimitTenths / 10.0;
        state.High = Math.Max(0, state.High + z - k);
        state.Low = Math.Max(0, state.Low - z - k);
        var sum = Math.Max(state.High, state.Low);
        if (sum > h)
        {
            // A change point: re-base at the new level (every bucket moves by this reading's offset) and start adding up again.
            for (var b = 0; b < state.Means.Length; b++)
            {
                state.Means[b] += residual;
            }
            state.High = 0;
            state.Low = 0;
            return ZScore(sum / h * 5);
        }
        // Clip what one reading teaches the baseline, so a spike does not drag it.
        var taught = Math.Clamp(residual, -3 * scale, 3 * scale);
        mean += alpha * taught;
        state.Deviation += alpha * (Math.Min(Math.Abs(residual), 3 * scale) - state.Deviation);
        return 0;
    }

    private static ushort WindowedGaussian(WindowedGaussianRule rule, GaussianWindow window, long value)
    {
        ushort score = 0;
        if (window.Count >= 2)
        {
            var mean = (double)window.Sum / window.Count;
            var variance = Math.Max(0, ((double)window.SumOfSquares / window.Count) - (mean * mean));
            var z = Math.Abs(value - mean) / Math.Max(Math.Sqrt(variance), rule.MinDeviation);
            if (window.Count == window.Capacity && z > rule.ThresholdTenths / 10.0)
            {
                score = ZScore(z);
            }
        }
        window.Push(value);
        return score;
    }

    private static ushort Outlier(OutlierRule rule, Ewma[] buckets, ulong timestamp, long value)
    {
        ref var e = ref buckets[rule.Hourly ? (int)(timestamp / 3_600_000 % 24) : 0];
        var alpha = rule.AlphaPerMille / 1000.0;
        var threshold = rule.ThresholdTenths / 10.0;
        if (e.Count == 0)
        {
            e = new Ewma(value, 0, 1);
            return 0;
        }
        var scale = Math.Max(1.4826 * e.Deviation, rule.MinDeviation);
        var z = Math.Abs(value - e.Mean) / scale;
        var outlier = e.Count >= rule.Warmup && z > threshold;
        // An outlier moves the history only as far as the threshold, so a burst of them cannot
        // teach the model that they are normal.
        var x = outlier ? e.Mean + (Math.Sign(value - e.Mean) * threshold * scale) : value;
        var mean = e.Mean + (alpha * (x - e.Mean));
        e = new Ewma(mean, e.Deviation + (alpha * (Math.Abs(x - e.Mean) - e.Deviation)), e.Count + 1);
        return outlier ? (ushort)Math.Min(FlagCodes.MaxScore, Math.Round(z * 100)) : (ushort)0;
    }

    private bool Duplicate(DuplicateStreamRule rule, DeviceState state, Reading reading)
    {
        state.Push(Fingerprint(reading.Values), Active(reading.Values));
        if (state.WindowCount < rule.Window || state.WindowUniform(rule.Window) || !state.WindowActive(rule.Window))
        {
            return false;
        }
        var key = state.WindowKey(rule.Window);
        if (_fingerprints.TryGetValue(key, out var seen))
        {
            var lag = reading.Timestamp > seen.Time ? reading.Timestamp - seen.Time : seen.Time - reading.Timestamp;
            if (lag <= (ulong)rule.MaxLagMs)
            {
                return seen.Device != reading.Device;
            }
            _fingerprints[key] = (reading.Device, reading.Timestamp);
            return false;
        }
        _fingerprints[key] = (reading.Device, reading.Timestamp);
        _fingerprintOrder.Enqueue(key);
        if (_fingerprintOrder.Count > MaxFingerprints)
        {
            _fingerprints.Remove(_fingerprintOrder.Dequeue());
        }
        return false;
    }

    /// <summary>Whether anything was consumed, produced or counted: a window where nothing was carries too little to tell devices apart.</summary>
    private bool Active(long[] values)
    {
        foreach (var field in _additive)
        {
            if (values[field] != 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The first 8 bytes of SHA-256 over the values: equal vectors give equal fingerprints, others practically never.</summary>
    private static ulong Fingerprint(long[] values)
    {
        Span<byte> bytes = stackalloc byte[8 * TelemetrySchema.MaxFields];
        for (var i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes[(i * 8)..], values[i]);
        }
        return Digest(bytes[..(values.Length * 8)]);
    }

    /// <summary>
    /// 64 bits from two differently primed passes of <see cref="HashCode"/>, whose seed is random per
    /// process: equal inputs always give equal keys, nobody can craft two inputs that collide, and it
    /// costs a fraction of a SHA-256 (screening runs it twice per reading, under the store's lock).
    /// </summary>
    private static ulong Digest(ReadOnlySpan<byte> bytes)
    {
        var high = new HashCode();
        high.AddBytes(bytes);
        var low = new HashCode();
        low.Add(LowPrimer);
        low.AddBytes(bytes);
        return ((ulong)(uint)high.ToHashCode() << 32) | (uint)low.ToHashCode();
    }

    private const int LowPrimer = 0x5bd1e995;

    /// <summary>A rule with its field indexes and its slot in the device state (an outlier rule's EWMA set, or a stateful detector's state).</summary>
    private readonly record struct Compiled(ScreeningRule Rule, int Field, int Other, int Slot);

    private readonly record struct Ewma(double Mean, double Deviation, int Count);

    private sealed class StuckState
    {
        public long Value;
        public long Run;
    }

    private sealed class SeasonalState(int buckets)
    {
        public readonly Ewma[] Buckets = new Ewma[buckets];
        public int Run;
        public double RunOffset;
        public int RunOutliers;
    }

    private sealed class CusumState(int buckets)
    {
        public readonly double[] Means = new double[buckets];
        public readonly int[] Seen = new int[buckets];
        public long Count;
        public double Deviation;
        public double High;
        public double Low;
    }

    /// <summary>The last values of a field, with their exact sum and sum of squares.</summary>
    private sealed class GaussianWindow(int capacity)
    {
        private readonly long[] _values = new long[capacity];
        private int _next;

        public int Capacity => _values.Length;

        public int Count { get; private set; }

        public Int128 Sum { get; private set; }

        public Int128 SumOfSquares { get; private set; }

        public void Push(long value)
        {
            if (Count == _values.Length)
            {
                var old = _values[_next];
                Sum -= old;
                SumOfSquares -= (Int128)old * old;
            }
            else
            {
                Count++;
            }
            _values[_next] = value;
            _next = (_next + 1) % _values.Length;
            Sum += value;
            SumOfSquares += (Int128)value * value;
        }
    }

    private sealed class DeviceState(int fields, int outliers, int window, int stateful)
    {
        private readonly object?[] _stateful = new object?[stateful];

        public long[] Trusted { get; } = new long[fields];

        public long[] Last { get; } = new long[fields];

        public T Stateful<T>(int index) where T : class, new() => (T)(_stateful[index] ??= new T());

        public T Stateful<T>(int index, Func<T> create) where T : class => (T)(_stateful[index] ??= create());

        public bool HasTrusted { get; set; }

        public ulong TrustedTime { get; set; }

        public bool HasLast { get; set; }

        public ulong LastTime { get; set; }

        public Ewma[][] Ewmas { get; } = Enumerable.Range(0, outliers).Select(_ => new Ewma[24]).ToArray();

        private readonly ulong[] _window = new ulong[Math.Max(window, 1)];
        private readonly bool[] _active = new bool[Math.Max(window, 1)];
        private int _next;

        public int WindowCount { get; private set; }

        public void Push(ulong fingerprint, bool active)
        {
            _window[_next] = fingerprint;
            _active[_next] = active;
            _next = (_next + 1) % _window.Length;
            WindowCount = Math.Min(WindowCount + 1, _window.Length);
        }

        private int Slot(int k) => (_next - 1 - k + (2 * _window.Length)) % _window.Length;

        private ulong Back(int k) => _window[Slot(k)];

        public bool WindowActive(int size)
        {
            for (var k = 0; k < size; k++)
            {
                if (_active[Slot(k)])
                {
                    return true;
                }
            }
            return false;
        }

        public bool WindowUniform(int size)
        {
            for (var k = 1; k < size; k++)
            {
                if (Back(k) != Back(0))
                {
                    return false;
                }
            }
            return true;
        }

        public ulong WindowKey(int size)
        {
            Span<byte> bytes = stackalloc byte[8 * 64];
            for (var k = size - 1; k >= 0; k--)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[((size - 1 - k) * 8)..], Back(k));
            }
            return Digest(bytes[..(size * 8)]);
        }
    }
}
