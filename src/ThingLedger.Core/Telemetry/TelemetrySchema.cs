using ThingLedger.Core.Codec;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Core.Telemetry;

/// <summary>
/// One measured quantity. Values are integers in units of 10^-<see cref="Decimals"/> of
/// <see cref="Unit"/> (an <c>energy_kwh</c> field with 3 decimals carries Wh), so no floating
/// point is ever signed, hashed or summed. Additive fields (energy used, distance, events) are
/// summed per device in anchors; the others (odometer, state of charge) are not.
/// </summary>
public sealed record SchemaField(string Name, string Unit, byte Decimals, long Min, long Max, bool Additive) : ICanonical
{
    public const int MaxNameBytes = 32;
    public const int MaxUnitBytes = 16;
    public const byte MaxDecimals = 9;

    public int EncodedLength => CanonicalSizes.String(Name) + CanonicalSizes.String(Unit) + 1 + 8 + 8 + 1;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Name);
        writer.WriteString(Unit);
        writer.WriteU8(Decimals);
        writer.WriteU64(unchecked((ulong)Min));
        writer.WriteU64(unchecked((ulong)Max));
        writer.WriteBool(Additive);
    }

    public static SchemaField Read(ref SpanReader reader) =>
        new(reader.ReadString(MaxNameBytes), reader.ReadString(MaxUnitBytes), reader.ReadU8(),
            unchecked((long)reader.ReadU64()), unchecked((long)reader.ReadU64()), reader.ReadBool());

    /// <summary>A field name: 1–32 of a-z, 0-9 and '_', starting with a letter.</summary>
    public bool IsValid() =>
        Name.Length is >= 1 and <= MaxNameBytes && char.IsAsciiLetterLower(Name[0]) &&
        Name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') &&
        Unit.Length <= MaxUnitBytes && Identifiers.IsText(Unit, MaxUnitBytes) &&
        Decimals <= MaxDecimals && Min <= Max;
}

/// <summary>
/// A registered telemetry schema: what a reading's values mean, in order. A version, once
/// registered on chain, never changes; a changed schema is a new version.
/// </summary>
public sealed record TelemetrySchema(string Id, ushort Version, SchemaField[] Fields) : ICanonical
{
    public const int MaxIdBytes = 32;
    public const int MaxFields = 32;
    public const int MinutesPerDay = 1440;

    /// <summary>
    /// The schema's summary period in minutes (a divisor of 1440), or 0 for one summary per day:
    /// anchors cut a device's summary where a reading falls into another period of the day, and
    /// each summary says its period (<see cref="SummaryPeriod"/>), so what a device measured in a
    /// quarter-hour is on chain. Encoded after the fields only when not 0 (docs/WIRE-FORMAT.md).
    /// </summary>
    public ushort SummaryMinutes { get; init; }

    public int EncodedLength => CoreLength + (SummaryMinutes == 0 ? 0 : 2);

    /// <summary>The id, version and fields: what a record that goes on after the schema holds of it before its own fields.</summary>
    public int CoreLength
    {
        get
        {
            var size = CanonicalSizes.String(Id) + 2 + CanonicalSizes.VarUInt((ulong)Fields.Length);
            foreach (var f in Fields)
            {
                size += f.EncodedLength;
            }
            return size;
        }
    }

    /// <summary>The schema as a payload of its own: its core, then the summary period when it has one.</summary>
    public void Write(ref SpanWriter writer)
    {
        WriteCore(ref writer);
        if (SummaryMinutes != 0)
        {
            writer.WriteU16(SummaryMinutes);
        }
    }

    public void WriteCore(ref SpanWriter writer)
    {
        writer.WriteString(Id);
        writer.WriteU16(Version);
        writer.WriteVarUInt((ulong)Fields.Length);
        foreach (var field in Fields)
        {
            field.Write(ref writer);
        }
    }

    /// <summary>A schema that is the whole payload: a summary period is there when bytes remain (and is then not 0).</summary>
    public static TelemetrySchema Read(ref SpanReader reader)
    {
        var schema = ReadCore(ref reader);
        return reader.Ok && reader.Remaining > 0 ? schema with { SummaryMinutes = ReadMinutes(ref reader) } : schema;
    }

    /// <summary>A summary period written after a schema's core: not 0, since 0 is written as nothing.</summary>
    public static ushort ReadMinutes(ref SpanReader reader)
    {
        var minutes = reader.ReadU16();
        if (reader.Ok && minutes == 0)
        {
            reader.Fail(CodecError.InvalidValue);
        }
        return minutes;
    }

    public static TelemetrySchema ReadCore(ref SpanReader reader)
    {
        var id = reader.ReadString(MaxIdBytes);
        var version = reader.ReadU16();
        var fields = new SchemaField[reader.ReadCount(MaxFields)];
        for (var i = 0; i < fields.Length && reader.Ok; i++)
        {
            fields[i] = SchemaField.Read(ref reader);
        }
        return new TelemetrySchema(id, version, reader.Ok ? fields : []);
    }

    /// <summary>The period of the day a reading at <paramref name="timestampMs"/> belongs to, or null for a schema summarised per day.</summary>
    public SummaryPeriod? PeriodOf(ulong timestampMs) =>
        SummaryMinutes == 0 ? null : new SummaryPeriod((ushort)(timestampMs % DeviceSummary.DayMs / 60_000 / SummaryMinutes * SummaryMinutes), SummaryMinutes);

    /// <summary>"ev@1": how readings, the API and the CLI name a schema version.</summary>
    public string Ref => $"{Id}@{Version}";

    /// <summary>The index of each additive field, in field order (the order of an anchor summary's sums).</summary>
    public int[] AdditiveFields()
    {
        var indexes = new List<int>();
        for (var i = 0; i < Fields.Length; i++)
        {
            if (Fields[i].Additive)
            {
                indexes.Add(i);
            }
        }
        return [.. indexes];
    }

    /// <summary>The index of each non-additive field (a level: odometer, state of charge), in field order (the order of an anchor summary's levels).</summary>
    public int[] LevelFields()
    {
        var indexes = new List<int>();
        for (var i = 0; i < Fields.Length; i++)
        {
            if (!Fields[i].Additive)
            {
                indexes.Add(i);
            }
        }
        return [.. indexes];
    }

    /// <summary>How many fields are additive (the length of an anchor summary's sums), without allocating.</summary>
    public int AdditiveCount()
    {
        var count = 0;
        foreach (var field in Fields)
        {
            count += field.Additive ? 1 : 0;
        }
        return count;
    }

    public int IndexOf(string field) => Array.FindIndex(Fields, f => f.Name == field);

    /// <summary>Ids are labels of a-z, 0-9 and '-'; fields valid and uniquely named; version from 1.</summary>
    public bool IsValid()
    {
        if (!Identifiers.IsOrgId(Id) || Version == 0 || Fields.Length is 0 or > MaxFields ||
            (SummaryMinutes != 0 && MinutesPerDay % SummaryMinutes != 0))
        {
            return false;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            if (!field.IsValid() || !names.Add(field.Name))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Null when every value is within its field's range, else the first offending field.</summary>
    public string? FindOutOfRange(ReadOnlySpan<long> values)
    {
        if (values.Length != Fields.Length)
        {
            return $"the schema has {Fields.Length} fields, the reading {values.Length} values";
        }
        for (var i = 0; i < values.Length; i++)
        {
            var f = Fields[i];
            if (values[i] < f.Min || values[i] > f.Max)
            {
                return $"{f.Name} = {FormatValue(values[i], f.Decimals)} is outside [{FormatValue(f.Min, f.Decimals)}, {FormatValue(f.Max, f.Decimals)}] {f.Unit}";
            }
        }
        return null;
    }

    /// <summary>An integer value in the field's decimal notation: 12345 with 3 decimals is "12.345".</summary>
    public static string FormatValue(long value, byte decimals)
    {
        if (decimals == 0)
        {
            return value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var negative = value < 0;
        var digits = ((UInt128)(negative ? (ulong)-(value + 1) + 1 : (ulong)value)).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
        var text = $"{digits[..^decimals]}.{digits[^decimals..]}";
        return negative ? "-" + text : text;
    }

    /// <summary>Parses an exact decimal ("12.5", "-3", "0.125") into units of 10^-decimals; false on more decimals or overflow.</summary>
    public static bool TryParseValue(ReadOnlySpan<char> text, byte decimals, out long value)
    {
        value = 0;
        var negative = text.StartsWith("-");
        var body = negative ? text[1..] : text;
        var dot = body.IndexOf('.');
        var whole = dot < 0 ? body : body[..dot];
        var fraction = dot < 0 ? ReadOnlySpan<char>.Empty : body[(dot + 1)..];
        if (whole.IsEmpty || (dot >= 0 && fraction.IsEmpty) || fraction.Length > decimals)
        {
            return false;
        }
        Int128 result = 0;
        foreach (var c in whole)
        {
            if (!char.IsAsciiDigit(c) || result > long.MaxValue)
            {
                return false;
            }
            result = (result * 10) + (c - '0');
        }
        for (var i = 0; i < decimals; i++)
        {
            var digit = i < fraction.Length ? fraction[i] : '0';
            if (!char.IsAsciiDigit(digit) || result > long.MaxValue)
            {
                return false;
            }
            result = (result * 10) + (digit - '0');
        }
        result = negative ? -result : result;
        if (result < long.MinValue || result > long.MaxValue)
        {
            return false;
        }
        value = (long)result;
        return true;
    }
}
