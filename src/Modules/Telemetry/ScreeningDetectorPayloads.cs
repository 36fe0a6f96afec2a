using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Execution.Modules.Telemetry;

// The detectors a member's model file can use beyond the built-in models' rules (docs/SCREENING.md, "Model files").

/// <summary>The field stays within [<paramref name="Min"/>, <paramref name="Max"/>] (what the sensor can physically report).</summary>
public sealed record RangeRule(FlagCode Code, string Field, long Min, long Max) : ScreeningRule(Code)
{
    public const byte KindId = 7;

    public override byte Kind => KindId;

    public override string Describe() => $"{Field} in [{Min}, {Max}]";

    public override IEnumerable<string> Fields => [Field];

    public override string? Problem() => Check((Min <= Max, $"range [{Min}, {Max}] is empty"));

    public override int BodyLength => CanonicalSizes.String(Field) + CanonicalSizes.VarInt(Min) + CanonicalSizes.VarInt(Max);

    public override void WriteBody(ref SpanWriter writer)
    {
        writer.WriteString(Field);
        writer.WriteVarInt(Min);
        writer.WriteVarInt(Max);
    }
}

/// <summary>
/// The field moves by at most <paramref name="MaxPerHour"/> × hours since the device's previous
/// reading + <paramref name="Tolerance"/>, either way (a temperature cannot jump 40 degrees in a
/// minute). A spike is flagged on the way up and on the way back.
/// </summary>
public sealed record RateOfChangeRule(FlagCode Code, string Field, long MaxPerHour, long Tolerance) : ScreeningRule(Code)
{
    public const byte KindId = 8;

    public override byte Kind => KindId;

    public override string Describe() => $"|change of {Field}| ≤ {MaxPerHour}/h × elapsed + {Tolerance}";

    public override IEnumerable<string> Fields => [Field];

    public override string? Problem() => Check((MaxPerHour >= 0, "the rate per hour must not be negative"), (Tolerance >= 0, "the tolerance must not be negative"),
        (MaxPerHour > 0 || Tolerance > 0, "a rate of 0 with no tolerance flags every change"));

    public override int BodyLength => CanonicalSizes.String(Field) + CanonicalSizes.VarInt(MaxPerHour) + CanonicalSizes.VarInt(Tolerance);

    public override void WriteBody(ref SpanWriter writer)
    {
        writer.WriteString(Field);
        writer.WriteVarInt(MaxPerHour);
        writer.WriteVarInt(Tolerance);
    }
}

/// <summary>The field has reported exactly the same value <paramref name="Readings"/> times in a row (a frozen sensor): that reading and every further one of the run are flagged.</summary>
public sealed record StuckRule(FlagCode Code, string Field, long Readings) : ScreeningRule(Code)
{
    public const byte KindId = 9;

    public override byte Kind => KindId;

    public override string Describe() => $"{Field} not the same {Readings} readings in a row";

    public override IEnumerable<string> Fields => [Field];

    public override string? Problem() => Check((Readings is >= 2 and <= 100_000, $"a run of {Readings} readings: must be 2–100,000"));

    public override int BodyLength => CanonicalSizes.String(Field) + CanonicalSizes.VarInt(Readings);

    public override void WriteBody(ref SpanWriter writer)
    {
        writer.WriteString(Field);
        writer.WriteVarInt(Readings);
    }
}

/// <summary>
/// A robust seasonal z-score: per season bucket (<see cref="Seasonality"/>), an exponentially
/// weighted mean and mean absolute deviation of the field (weight <paramref name="AlphaPerMille"/>/1000).
/// A value is flagged when |x − mean| / max(1.4826 × deviation, <paramref name="MinDeviation"/>)
/// exceeds <paramref name="ThresholdTenths"/>/10, once its bucket has seen <paramref name="Warmup"/>
/// values; a flagged value moves the mean only as far as the threshold and not the deviation.
/// After <paramref name="ShiftAfter"/> readings in a row beyond half the threshold on one side,
/// one of them flagged (0: never), the level shift is taken as real: every bucket's mean moves by
/// the run's mean offset, and flagging stops.
/// </summary>
public sealed record SeasonalZRule(FlagCode Code, string Field, long ThresholdTenths, long MinDeviation, Seasonality Seasonality, long Warmup, long AlphaPerMille, long ShiftAfter)
    : ScreeningRule(Code)
{
    public const byte KindId = 10;

    public override byte Kind => KindId;

    public override string Describe() =>
        $"{Field}: robust z ≤ {ThresholdTenths / 10.0:0.0} per {Seasonalities.Text(Seasonality)} (α {AlphaPerMille / 1000.0:0.000}, deviation ≥ {MinDeviation}, after {Warmup} values" +
        (ShiftAfter > 0 ? $", a level shift accepted after {ShiftAfter} in a row)" : ")");

    public override IEnumerable<string> Fields => [Field];

    public override string? Problem() => Check([.. OutlierRule.ZParameters(ThresholdTenths, MinDeviation, Warmup, AlphaPerMille),
        (Seasonalities.IsKnown(Seasonality), $"seasonality {(byte)Seasonality} is none of none, hour-of-day, day-of-week"),
        (ShiftAfter is >= 0 and <= 100_000, $"shift-after {ShiftAfter} must be 0–100,000 readings")]);

    public override int BodyLength =>
        CanonicalSizes.String(Field) + CanonicalSizes.VarInt(ThresholdTenths) + CanonicalSizes.VarInt(MinDeviation) + 1 + CanonicalSizes.VarInt(Warmup) +
        CanonicalSizes.VarInt(AlphaPerMille) + CanonicalSizes.VarInt(ShiftAfter);

    public override void WriteBody(ref SpanWriter writer)
    {
        writer.WriteString(Field);
        writer.WriteVarInt(ThresholdTenths);
        writer.WriteVarInt(MinDeviation);
        writer.WriteU8((byte)Seasonality);
        writer.WriteVarInt(Warmup);
        writer.WriteVarInt(AlphaPerMille);
        writer.WriteVarInt(ShiftAfter);
    }
}

/// <summary>
/// Change-point detection by a two-sided CUSUM of standardised residuals: z = (x − baseline) / scale,
/// S⁺ = max(0, S⁺ + z − k), S⁻ = max(0, S⁻ − z − k), with k = <paramref name="SlackTenths"/>/10; an
/// alarm when either exceeds h = <paramref name="LimitTenths"/>/10 flags that reading (a level
/// shift at once, a drift once it has added up) and re-bases the baseline at the new level. The
/// baseline is per season bucket, learned over <paramref name="Warmup"/> readings and then by an
/// EWMA of weight <paramref name="AlphaPerMille"/>/1000 (slow, so that a drift adds up faster than
/// the baseline follows it); the scale is 1.4826 × the EWMA absolute deviation, at least <paramref name="MinDeviation"/>.
/// </summary>
public sealed record CusumRule(FlagCode Code, string Field, long SlackTenths, long LimitTenths, long MinDeviation, Seasonality Seasonality, long Warmup, long AlphaPerMille)
    : ScreeningRule(Code)
{
    public const byte KindId = 11;

    public override byte Kind => KindId;

    public override string Describe() =>
        $"{Field}: CUSUM k {SlackTenths / 10.0:0.0}, h {LimitTenths / 10.0:0.0} per {Seasonalities.Text(Seasonality)} (α {AlphaPerMille / 1000.0:0.000}, deviation ≥ {MinDeviation}, after {Warmup} values)";

    public override IEnumerable<string> Fields => [Field];

    public override string? Problem() => Check(
        (SlackTenths is >= 0 and <= 100, $"slack k {SlackTenths / 10.0} must be 0–10"),
        (LimitTenths is > 0 and <= 10_000, $"limit h {LimitTenths / 10.0} must be above 0 and at most 1,000"),
        (MinDeviation > 0, $"deviation floor {MinDeviation} must be above 0 (a floor of 0 divides by zero on a flat series)"),
        (Seasonalities.IsKnown(Seasonality), $"seasonality {(byte)Seasonality} is none of none, hour-of-day, day-of-week"),
        (Warmup is >= 1 and <= 100_000, $"warm-up {Warmup} must be 1–100,000 readings"),
        (AlphaPerMille is > 0 and <= 1_000, $"alpha {AlphaPerMille / 1000.0} must be above 0 and at most 1"));

    public override int BodyLength =>
        CanonicalSizes.String(Field) + CanonicalSizes.VarInt(SlackTenths) + CanonicalSizes.VarInt(LimitTenths) + CanonicalSizes.VarInt(MinDeviation) + 1 +
        CanonicalSizes.VarInt(Warmup) + CanonicalSizes.VarInt(AlphaPerMille);

    public override void WriteBody(ref SpanWriter writer)
    {
        writer.WriteString(Field);
        writer.WriteVarInt(SlackTenths);
        writer.WriteVarInt(LimitTenths);
        writer.WriteVarInt(MinDeviation);
        writer.WriteU8((byte)Seasonality);
        writer.WriteVarInt(Warmup);
        writer.WriteVarInt(AlphaPerMille);
    }
}

/// <summary>
/// The common baseline detector: the mean and standard deviation of the device's last
/// <paramref name="Window"/> values; a value more than <paramref name="ThresholdTenths"/>/10
/// deviations (at least <paramref name="MinDeviation"/>) from the mean is flagged. Every value
/// enters the window, flagged or not.
/// </summary>
public sealed record WindowedGaussianRule(FlagCode Code, string Field, long Window, long ThresholdTenths, long MinDeviation) : ScreeningRule(Code)
{
    public const byte KindId = 12;

    public override byte Kind => KindId;

    public override string Describe() => $"{Field}: z ≤ {ThresholdTenths / 10.0:0.0} against the last {Window} values (deviation ≥ {MinDeviation})";

    public override IEnumerable<string> Fields => [Field];

    public override string? Problem() => Check((Window is >= 2 and <= 4_096, $"window {Window} must be 2–4,096 readings"),
        (ThresholdTenths is > 0 and <= 1_000, $"threshold {ThresholdTenths / 10.0} must be above 0 and at most 100"),
        (MinDeviation > 0, $"deviation floor {MinDeviation} must be above 0 (a floor of 0 divides by zero on a flat series)"));

    public override int BodyLength => CanonicalSizes.String(Field) + CanonicalSizes.VarInt(Window) + CanonicalSizes.VarInt(ThresholdTenths) + CanonicalSizes.VarInt(MinDeviation);

    public override void WriteBody(ref SpanWriter writer)
    {
        writer.WriteString(Field);
        writer.WriteVarInt(Window);
        writer.WriteVarInt(ThresholdTenths);
        writer.WriteVarInt(MinDeviation);
    }
}

/// <summary>
/// A model a member trained elsewhere and brings as an ONNX file (a multivariate detector, e.g.
/// the Mahalanobis distance `thingledger screening train` writes, or an autoencoder's
/// reconstruction error): its input is float [1, n] of <paramref name="Inputs"/> in their units,
/// its first output a score; a reading whose score exceeds <paramref name="ThresholdMilli"/>/1000
/// is flagged. <paramref name="File"/> is the file's SHA-256: registered on chain, it is the
/// file's provenance, and a node runs only a file with exactly that hash.
/// </summary>
public sealed record OnnxRule(FlagCode Code, string[] Inputs, Hash File, long ThresholdMilli) : ScreeningRule(Code)
{
    public const byte KindId = 13;

    public const int MaxInputs = 32;

    public override byte Kind => KindId;

    public override string Describe() => $"ONNX model {File} over ({string.Join(", ", Inputs)}): score ≤ {ThresholdMilli / 1000.0:0.###}";

    public override IEnumerable<string> Fields => Inputs;

    public override string? Problem() => Check((Inputs.Length is > 0 and <= MaxInputs, $"an ONNX model reads 1 to {MaxInputs} fields, not {Inputs.Length}"),
        (Inputs.Distinct().Count() == Inputs.Length, "an ONNX model reads each field once"), (ThresholdMilli > 0, "the score threshold must be above 0"),
        (!File.IsZero, "the model file's hash is missing"));

    public override int BodyLength => CanonicalSizes.VarUInt((ulong)Inputs.Length) + Inputs.Sum(CanonicalSizes.String) + Hash.Size + CanonicalSizes.VarInt(ThresholdMilli);

    public override void WriteBody(ref SpanWriter writer)
    {
        writer.WriteVarUInt((ulong)Inputs.Length);
        foreach (var input in Inputs)
        {
            writer.WriteString(input);
        }
        writer.WriteHash(File);
        writer.WriteVarInt(ThresholdMilli);
    }

    internal static OnnxRule ReadBody(FlagCode code, ref SpanReader reader)
    {
        var inputs = new string[reader.ReadCount(MaxInputs)];
        for (var i = 0; i < inputs.Length && reader.Ok; i++)
        {
            inputs[i] = reader.ReadString(64);
        }
        return new OnnxRule(code, inputs, reader.ReadHash(), reader.ReadVarInt());
    }

    public bool Equals(OnnxRule? other) =>
        other is not null && Code == other.Code && Inputs.SequenceEqual(other.Inputs) && File == other.File && ThresholdMilli == other.ThresholdMilli;

    public override int GetHashCode() => HashCode.Combine(Code, File, ThresholdMilli);
}
