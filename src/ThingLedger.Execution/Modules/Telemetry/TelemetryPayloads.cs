using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Execution.Modules.Telemetry;

/// <summary>A registered schema with the organisation that registered it.</summary>
public sealed record SchemaRecord(TelemetrySchema Schema, string Org, ulong Height) : ICanonical
{
    public int EncodedLength => Schema.EncodedLength + CanonicalSizes.String(Org) + 8;

    public void Write(ref SpanWriter writer)
    {
        Schema.Write(ref writer);
        writer.WriteString(Org);
        writer.WriteU64(Height);
    }

    public static SchemaRecord Read(ref SpanReader reader) =>
        new(TelemetrySchema.Read(ref reader), reader.ReadString(64), reader.ReadU64());
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
