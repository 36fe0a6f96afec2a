using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Telemetry;

/// <summary>
/// What an anchor says about one device's readings of one schema on one UTC day: how many, the
/// sequence range they span, the sum of each additive field (in the schema's field order), and
/// what the custodian's screening model flagged among them.
/// </summary>
public sealed record DeviceSummary(Address Device, string Schema, ushort SchemaVersion, uint Count, ulong FirstSequence, ulong LastSequence, long[] Sums) : ICanonical
{
    public const int MaxModelBytes = 64;
    public const int MaxFlags = 16;
    public const ulong DayMs = 86_400_000;

    public string SchemaRef => $"{Schema}@{SchemaVersion}";

    /// <summary>The UTC day (days since the Unix epoch) of every reading in the summary.</summary>
    public uint Day { get; init; }

    /// <summary>The screening model that looked at the readings ("id@version"), or empty when none did.</summary>
    public string Model { get; init; } = string.Empty;

    /// <summary>How many of the readings carry at least one flag.</summary>
    public uint Flagged { get; init; }

    /// <summary>Sums of the additive fields over the flagged readings only; empty exactly when none is flagged.</summary>
    public long[] FlaggedSums { get; init; } = [];

    /// <summary>One tally per flag code present, in ascending code order; empty exactly when none is flagged.</summary>
    public FlagTally[] Flags { get; init; } = [];

    public static uint DayOf(ulong timestampMs) => (uint)(timestampMs / DayMs);

    public int EncodedLength
    {
        get
        {
            return Address.Size + CanonicalSizes.String(Schema) + 2 + 4 + 8 + 8 + CanonicalSizes.VarInts(Sums) +
                4 + CanonicalSizes.String(Model) + 4 + CanonicalSizes.VarInts(FlaggedSums) +
                FlagTally.ListLength(Flags);
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
        writer.WriteU32(Day);
        writer.WriteString(Model);
        writer.WriteU32(Flagged);
        writer.WriteVarInts(FlaggedSums);
        FlagTally.WriteList(ref writer, Flags);
    }

    public static DeviceSummary Read(ref SpanReader reader)
    {
        var device = reader.ReadAddress();
        var schema = reader.ReadString(TelemetrySchema.MaxIdBytes);
        var version = reader.ReadU16();
        var count = reader.ReadU32();
        var first = reader.ReadU64();
        var last = reader.ReadU64();
        var sums = reader.ReadVarInts(TelemetrySchema.MaxFields);
        var day = reader.ReadU32();
        var model = reader.ReadString(MaxModelBytes);
        var flagged = reader.ReadU32();
        var flaggedSums = reader.ReadVarInts(TelemetrySchema.MaxFields);
        var flags = FlagTally.ReadList(ref reader, MaxFlags);
        return new DeviceSummary(device, schema, version, count, first, last, sums)
        {
            Day = day,
            Model = model,
            Flagged = flagged,
            FlaggedSums = flaggedSums,
            Flags = flags,
        };
    }

    /// <summary>
    /// The rules a well-formed summary keeps beyond its encoding: flags present exactly when
    /// readings are flagged, in ascending code order, each counted within the flagged readings.
    /// </summary>
    public bool FlagsConsistent()
    {
        // Flagged sums are there exactly when readings are flagged, one per additive field (none
        // for a schema without additive fields).
        if (Flagged > Count || (Flagged == 0) != (Flags.Length == 0) || (Flagged == 0 && FlaggedSums.Length != 0) ||
            (Flagged != 0 && FlaggedSums.Length != Sums.Length) || (Model.Length == 0 && Flagged != 0))
        {
            return false;
        }
        for (var i = 0; i < Flags.Length; i++)
        {
            var flag = Flags[i];
            if (!FlagCodes.IsKnown(flag.Code) || flag.Count == 0 || flag.Count > Flagged || flag.MaxScore > FlagCodes.MaxScore ||
                (i > 0 && Flags[i - 1].Code >= flag.Code))
            {
                return false;
            }
        }
        return true;
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

    /// <summary>
    /// The ingest ranges of the anchor that were uploaded as a historic import (older than the
    /// custodian's freshness window), each with the custodian's operator who authorised it; in
    /// ingest order, not overlapping. Written after the summaries only when there are any.
    /// </summary>
    public HistoricImport[] Historic { get; init; } = [];

    public int EncodedLength
    {
        get
        {
            var size = Hash.Size + (8 * 5) + CanonicalSizes.VarUInt((ulong)Summaries.Length);
            foreach (var s in Summaries)
            {
                size += s.EncodedLength;
            }
            return Historic.Length == 0 ? size : size + CanonicalSizes.VarUInt((ulong)Historic.Length) + (Historic.Length * HistoricImport.EncodedLength);
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
        if (Historic.Length > 0)
        {
            writer.WriteVarUInt((ulong)Historic.Length);
            foreach (var h in Historic)
            {
                h.Write(ref writer);
            }
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
        var historic = Array.Empty<HistoricImport>();
        if (reader.Ok && reader.Remaining > 0)
        {
            historic = new HistoricImport[reader.ReadCount(MaxSummaries)];
            if (historic.Length == 0)
            {
                reader.Fail(CodecError.InvalidValue); // an empty list is written as nothing
            }
            for (var i = 0; i < historic.Length && reader.Ok; i++)
            {
                historic[i] = HistoricImport.Read(ref reader);
            }
        }
        return new AnchorPayload(root, count, from, to, firstIngest, lastIngest, reader.Ok ? summaries : []) { Historic = reader.Ok ? historic : [] };
    }

    /// <summary>Whether the historic ranges lie inside the anchor's ingest range, each not empty, in order and apart.</summary>
    public bool HistoricConsistent()
    {
        var after = FirstIngest;
        for (var i = 0; i < Historic.Length; i++)
        {
            var h = Historic[i];
            if (h.FirstIngest < after || h.LastIngest < h.FirstIngest || h.LastIngest > LastIngest || (i > 0 && h.FirstIngest <= Historic[i - 1].LastIngest))
            {
                return false;
            }
            after = h.FirstIngest;
        }
        return true;
    }
}

/// <summary>Readings [FirstIngest, LastIngest] of an anchor came in as a historic import authorised by <paramref name="Operator"/>.</summary>
public readonly record struct HistoricImport(ulong FirstIngest, ulong LastIngest, Address Operator)
{
    public const int EncodedLength = 8 + 8 + Address.Size;

    public ulong Count => LastIngest - FirstIngest + 1;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(FirstIngest);
        writer.WriteU64(LastIngest);
        writer.WriteAddress(Operator);
    }

    public static HistoricImport Read(ref SpanReader reader) => new(reader.ReadU64(), reader.ReadU64(), reader.ReadAddress());
}
