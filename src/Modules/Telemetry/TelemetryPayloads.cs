using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Execution.Modules.Telemetry;

/// <summary>A registered schema with the organisation that registered it; the schema's summary period, when it has one, last.</summary>
public sealed record SchemaRecord(TelemetrySchema Schema, string Org, ulong Height) : ICanonical
{
    public int EncodedLength => Schema.CoreLength + CanonicalSizes.String(Org) + 8 + (Schema.SummaryMinutes == 0 ? 0 : 2);

    public void Write(ref SpanWriter writer)
    {
        Schema.WriteCore(ref writer);
        writer.WriteString(Org);
        writer.WriteU64(Height);
        if (Schema.SummaryMinutes != 0)
        {
            writer.WriteU16(Schema.SummaryMinutes);
        }
    }

    public static SchemaRecord Read(ref SpanReader reader)
    {
        var schema = TelemetrySchema.ReadCore(ref reader);
        var org = reader.ReadString(64);
        var height = reader.ReadU64();
        return new(reader.Ok && reader.Remaining > 0 ? schema with { SummaryMinutes = TelemetrySchema.ReadMinutes(ref reader) } : schema, org, height);
    }
}

/// <summary>What the chain knows of a device's anchored readings: how many, the last sequence and time, by which custodian.</summary>
public sealed record DeviceTelemetryRecord(ulong Count, ulong LastSequence, ulong LastTime, Address Custodian, ulong Height) : ICanonical
{
    public int EncodedLength => 8 + 8 + 8 + Address.Size + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(Count);
        writer.WriteU64(LastSequence);
        writer.WriteU64(LastTime);
        writer.WriteAddress(Custodian);
        writer.WriteU64(Height);
    }

    public static DeviceTelemetryRecord Read(ref SpanReader reader) =>
        new(reader.ReadU64(), reader.ReadU64(), reader.ReadU64(), reader.ReadAddress(), reader.ReadU64());
}

/// <summary>Running sums of a device's additive fields for one schema, in field order.</summary>
public sealed record TotalsRecord(ulong Count, long[] Sums) : ICanonical
{
    public int EncodedLength
    {
        get
        {
            return 8 + CanonicalSizes.VarInts(Sums);
        }
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(Count);
        writer.WriteVarInts(Sums);
    }

    public static TotalsRecord Read(ref SpanReader reader)
    {
        var count = reader.ReadU64();
        return new TotalsRecord(count, reader.ReadVarInts(TelemetrySchema.MaxFields));
    }
}

/// <summary>A custodian's anchoring progress: the last ingest number anchored, and by which tx.</summary>
public sealed record CustodianRecord(string Org, ulong LastIngest, Hash LastAnchorTx, ulong Anchors) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Org) + 8 + Hash.Size + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Org);
        writer.WriteU64(LastIngest);
        writer.WriteHash(LastAnchorTx);
        writer.WriteU64(Anchors);
    }

    public static CustodianRecord Read(ref SpanReader reader) =>
        new(reader.ReadString(64), reader.ReadU64(), reader.ReadHash(), reader.ReadU64());
}

/// <summary>
/// A device's anchored readings of one schema on one UTC day, summed over every anchor that
/// carried them: what rewards and carbon credits are computed from. Clean sums are
/// <see cref="Sums"/> − <see cref="FlaggedSums"/>.
/// </summary>
public sealed record DayTotalsRecord(ulong Count, ulong Flagged, long[] Sums, long[] FlaggedSums, FlagTally[] Flags) : ICanonical
{
    public int EncodedLength => 8 + 8 + CanonicalSizes.VarInts(Sums) + CanonicalSizes.VarInts(FlaggedSums) +
        FlagTally.ListLength(Flags);

    /// <summary>The sum of additive field <paramref name="index"/> over readings no model flagged.</summary>
    public long CleanSum(int index) => checked(Sums[index] - FlaggedSums[index]);

    public bool HasDeviceLevelFlag() => FlagCodes.AnyDeviceLevel(Flags);

    /// <summary>These totals with one more summary of the same device, schema and day added.</summary>
    public static DayTotalsRecord Add(DayTotalsRecord? totals, DeviceSummary s)
    {
        var width = s.Sums.Length;
        var sums = new long[width];
        var flaggedSums = new long[width];
        for (var i = 0; i < width; i++)
        {
            sums[i] = checked((totals?.Sums[i] ?? 0) + s.Sums[i]);
            flaggedSums[i] = checked((totals?.FlaggedSums[i] ?? 0) + (s.FlaggedSums.Length == 0 ? 0 : s.FlaggedSums[i]));
        }
        return new DayTotalsRecord(checked((totals?.Count ?? 0) + s.Count), checked((totals?.Flagged ?? 0) + s.Flagged), sums, flaggedSums,
            MergeFlags(totals?.Flags ?? [], s.Flags));
    }

    /// <summary>Two ascending tallies merged into one: counts added, highest score kept.</summary>
    private static FlagTally[] MergeFlags(FlagTally[] a, FlagTally[] b)
    {
        var merged = new List<FlagTally>(a.Length + b.Length);
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            if (j == b.Length || (i < a.Length && a[i].Code < b[j].Code))
            {
                merged.Add(a[i++]);
            }
            else if (i == a.Length || b[j].Code < a[i].Code)
            {
                merged.Add(b[j++]);
            }
            else
            {
                merged.Add(new FlagTally(a[i].Code, checked(a[i].Count + b[j].Count), Math.Max(a[i].MaxScore, b[j].MaxScore)));
                i++;
                j++;
            }
        }
        return [.. merged];
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(Count);
        writer.WriteU64(Flagged);
        writer.WriteVarInts(Sums);
        writer.WriteVarInts(FlaggedSums);
        FlagTally.WriteList(ref writer, Flags);
    }

    public static DayTotalsRecord Read(ref SpanReader reader)
    {
        var count = reader.ReadU64();
        var flagged = reader.ReadU64();
        var sums = reader.ReadVarInts(TelemetrySchema.MaxFields);
        var flaggedSums = reader.ReadVarInts(TelemetrySchema.MaxFields);
        return new DayTotalsRecord(count, flagged, sums, flaggedSums, FlagTally.ReadList(ref reader, DeviceSummary.MaxFlags));
    }
}

/// <summary>
/// Payload of telemetry "register-model": a screening model's name, the schema it screens, the
/// SHA-256 of its canonical parameters and, since parameters went on chain, those parameters
/// themselves (a <see cref="ScreeningModelConfig"/>'s canonical bytes), so that every custodian's
/// node can run the model. A registration without them names parameters a node must already know
/// (a built-in model).
/// </summary>
public sealed record ModelRegistration(string Id, ushort Version, string Schema, ushort SchemaVersion, Hash ParametersHash, byte[]? Parameters = null) : ICanonical
{
    /// <summary>The most parameter bytes a registration carries.</summary>
    public const int MaxParametersBytes = 16 * 1024;

    public string Name => $"{Id}@{Version}";

    public int EncodedLength =>
        CanonicalSizes.String(Id) + 2 + CanonicalSizes.String(Schema) + 2 + Hash.Size + (Parameters is null ? 0 : CanonicalSizes.Bytes(Parameters.Length));

    public bool IsValid() =>
        Core.Ledger.Identifiers.IsOrgId(Id) && Version > 0 && System.Text.Encoding.UTF8.GetByteCount(Name) <= DeviceSummary.MaxModelBytes;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Id);
        writer.WriteU16(Version);
        writer.WriteString(Schema);
        writer.WriteU16(SchemaVersion);
        writer.WriteHash(ParametersHash);
        if (Parameters is not null)
        {
            writer.WriteBytes(Parameters);
        }
    }

    /// <summary>The fields a <see cref="ModelRecord"/> keeps: everything but the parameters, which live under their own key.</summary>
    public static ModelRegistration ReadHeader(ref SpanReader reader) =>
        new(reader.ReadString(DeviceSummary.MaxModelBytes), reader.ReadU16(), reader.ReadString(TelemetrySchema.MaxIdBytes), reader.ReadU16(), reader.ReadHash());

    /// <summary>The payload: the header, then the parameters when any bytes follow.</summary>
    public static ModelRegistration Read(ref SpanReader reader)
    {
        var header = ReadHeader(ref reader);
        return reader.Ok && reader.Remaining > 0 ? header with { Parameters = reader.ReadByteArray(MaxParametersBytes) } : header;
    }

    public bool Equals(ModelRegistration? other) =>
        other is not null && Id == other.Id && Version == other.Version && Schema == other.Schema && SchemaVersion == other.SchemaVersion &&
        ParametersHash == other.ParametersHash && (Parameters ?? []).AsSpan().SequenceEqual(other.Parameters ?? []);

    public override int GetHashCode() => HashCode.Combine(Id, Version, Schema, SchemaVersion, ParametersHash);
}

/// <summary>A registered screening model with the organisation that owns it.</summary>
public sealed record ModelRecord(ModelRegistration Model, string Org, ulong Height) : ICanonical
{
    public int EncodedLength => (Model with { Parameters = null }).EncodedLength + CanonicalSizes.String(Org) + 8;

    public void Write(ref SpanWriter writer)
    {
        (Model with { Parameters = null }).Write(ref writer);
        writer.WriteString(Org);
        writer.WriteU64(Height);
    }

    public static ModelRecord Read(ref SpanReader reader) =>
        new(ModelRegistration.ReadHeader(ref reader), reader.ReadString(64), reader.ReadU64());
}

/// <summary>The model that screens a schema's readings (state "telemetry/screening/{schema@version}"), and the org that made it so.</summary>
public sealed record ActiveModelRecord(string Model, string Org, ulong Height) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Model) + CanonicalSizes.String(Org) + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Model);
        writer.WriteString(Org);
        writer.WriteU64(Height);
    }

    public static ActiveModelRecord Read(ref SpanReader reader) => new(reader.ReadString(DeviceSummary.MaxModelBytes), reader.ReadString(64), reader.ReadU64());
}
