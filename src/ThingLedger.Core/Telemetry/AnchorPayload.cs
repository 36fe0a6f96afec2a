using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Telemetry;

/// <summary>
/// What an anchor says about one device's readings of one schema: how many, the sequence range
/// they span, and the sum of each additive field (in the schema's field order).
/// </summary>
public sealed record DeviceSummary(Address Device, string Schema, ushort SchemaVersion, uint Count, ulong FirstSequence, ulong LastSequence, long[] Sums) : ICanonical
{
    public string SchemaRef => $"{Schema}@{SchemaVersion}";

    public int EncodedLength
    {
        get
        {
            return Address.Size + CanonicalSizes.String(Schema) + 2 + 4 + 8 + 8 + CanonicalSizes.VarInts(Sums);
        }
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(Device);
        writer.WriteString(Schema);
        writer.WriteU16(SchemaVersion);
        writer.WriteU32(Count);
        writer.WriteU64(FirstSequence);
        writer.WriteU64(LastSequence);
        writer.WriteVarInts(Sums);
    }

    public static DeviceSummary Read(ref SpanReader reader)
    {
        var device = reader.ReadAddress();
        var schema = reader.ReadString(TelemetrySchema.MaxIdBytes);
        var version = reader.ReadU16();
        var count = reader.ReadU32();
        var first = reader.ReadU64();
        var last = reader.ReadU64();
        return new DeviceSummary(device, schema, version, count, first, last, reader.ReadVarInts(TelemetrySchema.MaxFields));
    }
}

/// <summary>
/// Payload of telemetry "anchor": the Merkle root over the readings a custodian accepted in its
/// ingest range [FirstIngest, LastIngest] (in that order), their count and time range, and one
/// summary per device and schema, sorted by device, then first sequence.
/// </summary>
public sealed record AnchorPayload(Hash Root, ulong Count, ulong FromTime, ulong ToTime, ulong FirstIngest, ulong LastIngest, DeviceSummary[] Summaries) : ICanonical
{
    public const int MaxSummaries = 4_096;

    public int EncodedLength
    {
        get
        {
            var size = Hash.Size + (8 * 5) + CanonicalSizes.VarUInt((ulong)Summaries.Length);
            foreach (var s in Summaries)
            {
                size += s.EncodedLength;
            }
            return size;
        }
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(Root);
        writer.WriteU64(Count);
        writer.WriteU64(FromTime);
        writer.WriteU64(ToTime);
        writer.WriteU64(FirstIngest);
        writer.WriteU64(LastIngest);
        writer.WriteVarUInt((ulong)Summaries.Length);
        foreach (var s in Summaries)
        {
            s.Write(ref writer);
        }
    }

    public static AnchorPayload Read(ref SpanReader reader)
    {
        var root = reader.ReadHash();
        var count = reader.ReadU64();
        var from = reader.ReadU64();
        var to = reader.ReadU64();
        var firstIngest = reader.ReadU64();
        var lastIngest = reader.ReadU64();
        var summaries = new DeviceSummary[reader.ReadCount(MaxSummaries)];
        for (var i = 0; i < summaries.Length && reader.Ok; i++)
        {
            summaries[i] = DeviceSummary.Read(ref reader);
        }
        return new AnchorPayload(root, count, from, to, firstIngest, lastIngest, reader.Ok ? summaries : []);
    }
}
