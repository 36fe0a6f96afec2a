using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Execution.Modules.Telemetry;

/// <summary>
/// One check of a screening model. Limits are integers in the schema's own units (a field with
/// one decimal holds tenths), rates are per hour of the time elapsed since the device's last
/// trusted reading. Every rule raises one flag code.
/// </summary>
public abstract record ScreeningRule(FlagCode Code)
{
    public abstract byte Kind { get; }

    /// <summary>The rule in words, for operators (`thingledger screening models`).</summary>
    public abstract string Describe();

    public abstract void WriteBody(ref SpanWriter writer);

    public abstract int BodyLength { get; }

    internal static ScreeningRule? Read(ref SpanReader reader)
    {
        var kind = reader.ReadU8();
        var code = (FlagCode)reader.ReadU16();
        return kind switch
        {
            CeilingRule.KindId => new CeilingRule(code, reader.ReadString(64), reader.ReadVarInt()),
            NonDecreasingRule.KindId => new NonDecreasingRule(code, reader.ReadString(64)),
            RatioBandRule.KindId => new RatioBandRule(code, reader.ReadString(64), reader.ReadString(64), reader.ReadVarInt(), reader.ReadVarInt(), reader.ReadVarInt()),
            RateRule.KindId => new RateRule(code, reader.ReadString(64), reader.ReadBool(), reader.ReadVarInt(), reader.ReadVarInt()),
            OutlierRule.KindId => new OutlierRule(code, reader.ReadString(64), reader.ReadVarInt(), reader.ReadVarInt(), reader.ReadBool(), (int)reader.ReadVarInt(), (int)reader.ReadVarInt()),
            DuplicateStreamRule.KindId => new DuplicateStreamRule(code, (int)reader.ReadVarInt(), reader.ReadVarInt()),
            RangeRule.KindId => new RangeRule(code, reader.ReadString(64), reader.ReadVarInt(), reader.ReadVarInt()),
            RateOfChangeRule.KindId => new RateOfChangeRule(code, reader.ReadString(64), reader.ReadVarInt(), reader.ReadVarInt()),
            StuckRule.KindId => new StuckRule(code, reader.ReadString(64), reader.ReadVarInt()),
            SeasonalZRule.KindId => new SeasonalZRule(code, reader.ReadString(64), reader.ReadVarInt(), reader.ReadVarInt(), (Seasonality)reader.ReadU8(),
                reader.ReadVarInt(), reader.ReadVarInt(), reader.ReadVarInt()),
            CusumRule.KindId => new CusumRule(code, reader.ReadString(64), reader.ReadVarInt(), reader.ReadVarInt(), reader.ReadVarInt(), (Seasonality)reader.ReadU8(),
                reader.ReadVarInt(), reader.ReadVarInt()),
            WindowedGaussianRule.KindId => new WindowedGaussianRule(code, reader.ReadString(64), reader.ReadVarInt(), reader.ReadVarInt(), reader.ReadVarInt()),
            OnnxRule.KindId => OnnxRule.ReadBody(code, ref reader),
            _ => null,
        };
    }

    /// <summary>The fields the rule reads.</summary>
    public abstract IEnumerable<string> Fields { get; }

    /// <summary>What is wrong with the rule's parameters (null when nothing is): checked at registration and before a node runs it.</summary>
    public virtual string? Problem() => null;

    /// <summary>The common parameter checks, in the words an operator sees in MODEL_INVALID.</summary>
    protected static string? Check(params (bool Ok, string Why)[] checks) => checks.FirstOrDefault(c => !c.Ok).Why;
}

/// <summary>How a detector splits a device's history by time: one baseline, one per hour of the (UTC) day, or one per day of the week.</summary>
public enum Seasonality : byte
{
    None = 0,
    HourOfDay = 1,
    DayOfWeek = 2,
}

/// <summary>The text names of <see cref="Seasonality"/> as model files and operators write them.</summary>
public static class Seasonalities
{
    public static string Text(Seasonality s) => s switch
    {
        Seasonality.HourOfDay => "hour-of-day",
        Seasonality.DayOfWeek => "day-of-week",
        _ => "none",
    };

    public static bool TryParse(string text, out Seasonality seasonality)
    {
        seasonality = text switch
        {
            "none" => Seasonality.None,
            "hour-of-day" => Seasonality.HourOfDay,
            "day-of-week" => Seasonality.DayOfWeek,
            _ => (Seasonality)255,
        };
        return seasonality != (Seasonality)255;
    }

    public static bool IsKnown(Seasonality s) => s is Seasonality.None or Seasonality.HourOfDay or Seasonality.DayOfWeek;

    /// <summary>How many baselines the seasonality keeps.</summary>
    public static int Buckets(Seasonality s) => s switch
    {
        Seasonality.HourOfDay => 24,
        Seasonality.DayOfWeek => 7,
        _ => 1,
    };

    /// <summary>The baseline a reading measured at <paramref name="timestampMs"/> belongs to (1970-01-01 was a Thursday: day 0 is Thursday).</summary>
    public static int Bucket(Seasonality s, ulong timestampMs) => s switch
    {
        Seasonality.HourOfDay => (int)(timestampMs / 3_600_000 % 24),
        Seasonality.DayOfWeek => (int)(timestampMs / 86_400_000 % 7),
        _ => 0,
    };
}

/// <summary>The field never exceeds <paramref name="Max"/> (e.g. speed above what any car does).</summary>
public sealed record CeilingRule(FlagCode Code, string Field, long Max) : ScreeningRule(Code)
{
    public const byte KindId = 1;

    public override byte Kind => KindId;

    public override string Describe() => $"{Field} ≤ {Max}";

    public override IEnumerable<string> Fields => [Field];

    public override int BodyLength => CanonicalSizes.String(Field) + CanonicalSizes.VarInt(Max);

    public override void WriteBody(ref SpanWriter writer)
    {
        writer.WriteString(Field);
        writer.WriteVarInt(Max);
    }
}

/// <summary>The field never goes below its last trusted value (an odometer).</summary>
public sealed record NonDecreasingRule(FlagCode Code, string Field) : ScreeningRule(Code)
{
    public const byte KindId = 2;

    public override byte Kind => KindId;

    public override string Describe() => $"{Field} never decreases";

    public override IEnumerable<string> Fields => [Field];

    public override int BodyLength => CanonicalSizes.String(Field);

    public override void WriteBody(ref SpanWriter writer) => writer.WriteString(Field);
}

/// <summary>
/// numerator × 1000 / denominator stays within [<paramref name="Min"/>, <paramref name="Max"/>]
/// whenever the denominator is at least <paramref name="MinDenominator"/> (energy per km while driving).
/// </summary>
public sealed record RatioBandRule(FlagCode Code, string Numerator, string Denominator, long Min, long Max, long MinDenominator) : ScreeningRule(Code)
{
    public const byte KindId = 3;

    public override byte Kind => KindId;

    public override string Describe() => $"{Numerator} × 1000 / {Denominator} in [{Min}, {Max}] when {Denominator} ≥ {MinDenominator}";

    public override IEnumerable<string> Fields => [Numerator, Denominator];

    public override string? Problem() => Check((Min <= Max, $"ratio band [{Min}, {Max}] is empty"), (MinDenominator > 0, "the denominator's minimum must be above 0"));

    public override int BodyLength =>
        CanonicalSizes.String(Numerator) + CanonicalSizes.String(Denominator) + CanonicalSizes.VarInt(Min) + CanonicalSizes.VarInt(Max) + CanonicalSizes.VarInt(MinDenominator);

    public override void WriteBody(ref SpanWriter writer)
    {
        writer.WriteString(Numerator);
        writer.WriteString(Denominator);
        writer.WriteVarInt(Min);
        writer.WriteVarInt(Max);
        writer.WriteVarInt(MinDenominator);
    }
}

/// <summary>
/// How fast a field may grow: an additive field's value itself (energy exported since the last
/// reading), or a level's rise over its last trusted value (state of charge, odometer), may not
/// exceed <paramref name="MaxPerHour"/> × hours elapsed + <paramref name="Tolerance"/>.
/// </summary>
public sealed record RateRule(FlagCode Code, string Field, bool Additive, long MaxPerHour, long Tolerance) : ScreeningRule(Code)
{
    public const byte KindId = 4;

    public override byte Kind => KindId;

    public override string Describe() => $"{(Additive ? Field : "rise of " + Field)} ≤ {MaxPerHour}/h × elapsed + {Tolerance}";

    public override IEnumerable<string> Fields => [Field];

    public override string? Problem() => Check((MaxPerHour >= 0, "the rate per hour must not be negative"), (Tolerance >= 0, "the tolerance must not be negative"));

    public override int BodyLength => CanonicalSizes.String(Field) + 1 + CanonicalSizes.VarInt(MaxPerHour) + CanonicalSizes.VarInt(Tolerance);

    public override void WriteBody(ref SpanWriter writer)
    {
        writer.WriteString(Field);
        writer.WriteBool(Additive);
        writer.WriteVarInt(MaxPerHour);
        writer.WriteVarInt(Tolerance);
    }
}

/// <summary>
/// A robust z-score against the device's own history: an exponentially weighted mean and mean
/// absolute deviation (weight <paramref name="AlphaPerMille"/>/1000), one pair per hour of the
/// day when <paramref name="Hourly"/>. A value is an outlier when |x − mean| / max(1.4826 × deviation,
/// <paramref name="MinDeviation"/>) exceeds <paramref name="ThresholdTenths"/>/10, once the bucket has
/// seen <paramref name="Warmup"/> values. Outliers move the history only as far as the threshold.
/// </summary>
public sealed record OutlierRule(FlagCode Code, string Field, long ThresholdTenths, long MinDeviation, bool Hourly, int Warmup, int AlphaPerMille) : ScreeningRule(Code)
{
    public const byte KindId = 5;

    public override byte Kind => KindId;

    public override string Describe() =>
        $"{Field}: robust z ≤ {ThresholdTenths / 10.0:0.0} against the device's EWMA{(Hourly ? " per hour of day" : string.Empty)} (α {AlphaPerMille / 1000.0:0.000}, deviation ≥ {MinDeviation}, after {Warmup} values)";

    public override IEnumerable<string> Fields => [Field];

    public override string? Problem() => Check(ZParameters(ThresholdTenths, MinDeviation, Warmup, AlphaPerMille));

    /// <summary>The checks every z-score detector shares.</summary>
    internal static (bool, string)[] ZParameters(long thresholdTenths, long minDeviation, long warmup, long alphaPerMille) =>
    [
        (thresholdTenths is > 0 and <= 1_000, $"threshold {thresholdTenths / 10.0} must be above 0 and at most 100"),
        (minDeviation > 0, $"deviation floor {minDeviation} must be above 0 (a floor of 0 divides by zero on a flat series)"),
        (warmup is >= 0 and <= 100_000, $"warm-up {warmup} must be 0–100,000 readings"),
        (alphaPerMille is > 0 and <= 1_000, $"alpha {alphaPerMille / 1000.0} must be above 0 and at most 1"),
    ];

    public override int BodyLength =>
        CanonicalSizes.String(Field) + CanonicalSizes.VarInt(ThresholdTenths) + CanonicalSizes.VarInt(MinDeviation) + 1 + CanonicalSizes.VarInt(Warmup) + CanonicalSizes.VarInt(AlphaPerMille);

    public override void WriteBody(ref SpanWriter writer)
    {
        writer.WriteString(Field);
        writer.WriteVarInt(ThresholdTenths);
        writer.WriteVarInt(MinDeviation);
        writer.WriteBool(Hourly);
        writer.WriteVarInt(Warmup);
        writer.WriteVarInt(AlphaPerMille);
    }
}

/// <summary>
/// The last <paramref name="Window"/> value vectors of a device equal another device's last
/// <paramref name="Window"/>, measured within <paramref name="MaxLagMs"/> of each other (a cloned
/// stream). Windows whose vectors are all the same (a parked car), or in which no additive field
/// moved (nothing consumed, produced or counted), carry too little to tell devices apart and are
/// not compared.
/// </summary>
public sealed record DuplicateStreamRule(FlagCode Code, int Window, long MaxLagMs) : ScreeningRule(Code)
{
    public const byte KindId = 6;

    public override byte Kind => KindId;

    public override string Describe() => $"last {Window} value vectors differ from any other device's within {MaxLagMs / 1000} s";

    public override IEnumerable<string> Fields => [];

    public override string? Problem() => Check((Window is >= 1 and <= 64, $"window {Window} must be 1–64 readings"), (MaxLagMs > 0, "the lag must be above 0"));

    public override int BodyLength => CanonicalSizes.VarInt(Window) + CanonicalSizes.VarInt(MaxLagMs);

    public override void WriteBody(ref SpanWriter writer)
    {
        writer.WriteVarInt(Window);
        writer.WriteVarInt(MaxLagMs);
    }
}

/// <summary>
/// A screening model's configuration: its name, the schema it screens and its rules. Its
/// canonical bytes are what the chain's registry commits to (<see cref="ParametersHash"/>), so a
/// custodian cannot quietly run other parameters under a registered name.
/// </summary>
public sealed record ScreeningModelConfig(string Id, ushort Version, string Schema, ushort SchemaVersion, ScreeningRule[] Rules) : ICanonical
{
    public const int MaxRules = 32;

    public string Name => $"{Id}@{Version}";

    public string SchemaRef => $"{Schema}@{SchemaVersion}";

    public Hash ParametersHash => Hash.Sha256(Canonical.Encode(this));

    /// <summary>The `telemetry/register-model` payload that puts this model on chain, its parameters included.</summary>
    public ModelRegistration Registration()
    {
        var parameters = Canonical.Encode(this);
        return new(Id, Version, Schema, SchemaVersion, Hash.Sha256(parameters), parameters);
    }

    /// <summary>
    /// What is wrong with the model for <paramref name="schema"/>, in words for MODEL_INVALID, or
    /// null: the schema must be the one it names, every field must exist, every code be known,
    /// every parameter in range, and there is at most one duplicate-stream rule.
    /// </summary>
    public string? Problem(TelemetrySchema schema)
    {
        if (!Core.Ledger.Identifiers.IsOrgId(Id) || Version == 0 || System.Text.Encoding.UTF8.GetByteCount(Name) > DeviceSummary.MaxModelBytes)
        {
            return $"'{Name}' is not a model name: a lower-case id (letters, digits, '-') and a version from 1, at most {DeviceSummary.MaxModelBytes} bytes";
        }
        if (Schema != schema.Id || SchemaVersion != schema.Version)
        {
            return $"model {Name} screens {SchemaRef}, not {schema.Ref}";
        }
        if (Rules.Length is 0 or > MaxRules)
        {
            return $"a model has 1 to {MaxRules} rules, not {Rules.Length}";
        }
        for (var i = 0; i < Rules.Length; i++)
        {
            var rule = Rules[i];
            var where = $"rule {i + 1} ({FlagCodes.Text(rule.Code)})";
            if (!FlagCodes.IsKnown(rule.Code))
            {
                return $"rule {i + 1} raises unknown flag code {(ushort)rule.Code}";
            }
            foreach (var field in rule.Fields)
            {
                if (schema.IndexOf(field) < 0)
                {
                    return $"{where}: schema {schema.Ref} has no field '{field}' (it has {string.Join(", ", schema.Fields.Select(f => f.Name))})";
                }
            }
            if (rule.Problem() is { } problem)
            {
                return $"{where}: {problem}";
            }
        }
        return Rules.Count(r => r is DuplicateStreamRule) > 1 ? "a model has at most one duplicate-stream rule" : null;
    }

    public int EncodedLength
    {
        get
        {
            var size = CanonicalSizes.String(Id) + 2 + CanonicalSizes.String(Schema) + 2 + CanonicalSizes.VarUInt((ulong)Rules.Length);
            foreach (var rule in Rules)
            {
                size += 1 + 2 + rule.BodyLength;
            }
            return size;
        }
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Id);
        writer.WriteU16(Version);
        writer.WriteString(Schema);
        writer.WriteU16(SchemaVersion);
        writer.WriteVarUInt((ulong)Rules.Length);
        foreach (var rule in Rules)
        {
            writer.WriteU8(rule.Kind);
            writer.WriteU16((ushort)rule.Code);
            rule.WriteBody(ref writer);
        }
    }

    /// <summary>A config as <see cref="Write"/> wrote it; an unknown rule kind fails the reader.</summary>
    public static ScreeningModelConfig Read(ref SpanReader reader)
    {
        var id = reader.ReadString(DeviceSummary.MaxModelBytes);
        var version = reader.ReadU16();
        var schema = reader.ReadString(TelemetrySchema.MaxIdBytes);
        var schemaVersion = reader.ReadU16();
        var rules = new ScreeningRule[reader.ReadCount(MaxRules)];
        for (var i = 0; i < rules.Length && reader.Ok; i++)
        {
            if (ScreeningRule.Read(ref reader) is not { } rule)
            {
                reader.Fail(CodecError.InvalidValue);
                break;
            }
            rules[i] = rule;
        }
        return new ScreeningModelConfig(id, version, schema, schemaVersion, reader.Ok ? rules : []);
    }

    /// <summary>A config's canonical bytes, or null when the bytes are not exactly one.</summary>
    public static ScreeningModelConfig? Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var config = Read(ref reader);
        return reader.Ok && reader.Remaining == 0 ? config : null;
    }

    public bool Equals(ScreeningModelConfig? other) =>
        other is not null && Id == other.Id && Version == other.Version && Schema == other.Schema && SchemaVersion == other.SchemaVersion && Rules.SequenceEqual(other.Rules);

    public override int GetHashCode() => HashCode.Combine(Id, Version, Schema, SchemaVersion, Rules.Length);
}
