using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Node.Screening;

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
            _ => null,
        };
    }
}

/// <summary>The field never exceeds <paramref name="Max"/> (e.g. speed above what any car does).</summary>
public sealed record CeilingRule(FlagCode Code, string Field, long Max) : ScreeningRule(Code)
{
    public const byte KindId = 1;

    public override byte Kind => KindId;

    public override string Describe() => $"{Field} ≤ {Max}";

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

    /// <summary>What `telemetry/register-model` records of this model on chain.</summary>
    public ModelRegistration Registration() => new(Id, Version, Schema, SchemaVersion, ParametersHash);

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

    public static ScreeningModelConfig? Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var id = reader.ReadString(DeviceSummary.MaxModelBytes);
        var version = reader.ReadU16();
        var schema = reader.ReadString(TelemetrySchema.MaxIdBytes);
        var schemaVersion = reader.ReadU16();
        var rules = new ScreeningRule[reader.ReadCount(MaxRules)];
        for (var i = 0; i < rules.Length && reader.Ok; i++)
        {
            if (ScreeningRule.Read(ref reader) is not { } rule)
            {
                return null;
            }
            rules[i] = rule;
        }
        return reader.Ok && reader.Remaining == 0 ? new ScreeningModelConfig(id, version, schema, schemaVersion, rules) : null;
    }
}
