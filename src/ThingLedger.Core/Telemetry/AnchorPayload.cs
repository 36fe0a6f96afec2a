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

    /// <summary>
    /// The non-additive fields' levels over the unflagged readings (<see cref="SummaryLevels"/>), or
    /// null when the custodian gave none (every reading flagged, a schema without such fields, or an
    /// anchor written before levels). Encoded by the anchor after its summaries, not in the summary.
    /// </summary>
    public SummaryLevels? Levels { get; init; }

    /// <summary>
    /// The period of the day all of the summary's readings fall in, for a schema with a summary
    /// period (<see cref="TelemetrySchema.SummaryMinutes"/>); null for one summarised per day.
    /// Encoded by the anchor after its levels, not in the summary.
    /// </summary>
    public SummaryPeriod? Period { get; init; }

    /// <summary>Whether a reading measured at <paramref name="timestampMs"/> belongs to this summary's day and period.</summary>
    public bool HoldsTime(ulong timestampMs) =>
        Day == DayOf(timestampMs) && (Period is not { } p || p.Holds(timestampMs));

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
            var levels = LevelsLength();
            var periods = PeriodsLength();
            if (Historic.Length == 0 && levels == 0 && periods == 0)
            {
                return size;
            }
            // Periods come after the levels list, which is then written even when empty (count 0).
            return size + CanonicalSizes.VarUInt((ulong)Historic.Length) + (Historic.Length * HistoricImport.EncodedLength) +
                (periods == 0 ? levels : Math.Max(levels, 1) + periods);
        }
    }

    /// <summary>The size of the levels list (0 when no summary has levels, since it is then not written).</summary>
    private int LevelsLength()
    {
        int entries = 0, size = 0;
        for (var i = 0; i < Summaries.Length; i++)
        {
            if (Summaries[i].Levels is { } levels)
            {
                entries++;
                size += CanonicalSizes.VarUInt((ulong)i) + levels.EncodedLength;
            }
        }
        return entries == 0 ? 0 : CanonicalSizes.VarUInt((ulong)entries) + size;
    }

    /// <summary>The size of the periods list (0 when no summary has a period, since it is then not written).</summary>
    private int PeriodsLength()
    {
        int entries = 0, size = 0;
        for (var i = 0; i < Summaries.Length; i++)
        {
            if (Summaries[i].Period is not null)
            {
                entries++;
                size += CanonicalSizes.VarUInt((ulong)i) + SummaryPeriod.EncodedLength;
            }
        }
        return entries == 0 ? 0 : CanonicalSizes.VarUInt((ulong)entries) + size;
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
        int levelled = 0, periodic = 0;
        foreach (var s in Summaries)
        {
            levelled += s.Levels is null ? 0 : 1;
            periodic += s.Period is null ? 0 : 1;
        }
        if (Historic.Length == 0 && levelled == 0 && periodic == 0)
        {
            return;
        }
        writer.WriteVarUInt((ulong)Historic.Length);
        foreach (var h in Historic)
        {
            h.Write(ref writer);
        }
        if (levelled == 0 && periodic == 0)
        {
            return;
        }
        writer.WriteVarUInt((ulong)levelled);
        for (var i = 0; i < Summaries.Length; i++)
        {
            if (Summaries[i].Levels is { } levels)
            {
                writer.WriteVarUInt((ulong)i);
                levels.Write(ref writer);
            }
        }
        if (periodic == 0)
        {
            return;
        }
        writer.WriteVarUInt((ulong)periodic);
        for (var i = 0; i < Summaries.Length; i++)
        {
            if (Summaries[i].Period is { } period)
            {
                writer.WriteVarUInt((ulong)i);
                period.Write(ref writer);
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
            for (var i = 0; i < historic.Length && reader.Ok; i++)
            {
                historic[i] = HistoricImport.Read(ref reader);
            }
            // Both lists empty are written as nothing; an empty historic list only comes before levels.
            if (reader.Ok && historic.Length == 0 && reader.Remaining == 0)
            {
                reader.Fail(CodecError.InvalidValue);
            }
        }
        if (reader.Ok && reader.Remaining > 0)
        {
            ReadLevels(ref reader, summaries);
        }
        if (reader.Ok && reader.Remaining > 0)
        {
            ReadPeriods(ref reader, summaries);
        }
        return new AnchorPayload(root, count, from, to, firstIngest, lastIngest, reader.Ok ? summaries : []) { Historic = reader.Ok ? historic : [] };
    }

    /// <summary>Levels entries: varint count ‖ (varint summary index, strictly increasing ‖ levels)…; a count of 0 only before periods.</summary>
    private static void ReadLevels(ref SpanReader reader, DeviceSummary[] summaries)
    {
        var entries = reader.ReadCount(summaries.Length);
        if (entries == 0 && reader.Remaining == 0)
        {
            reader.Fail(CodecError.InvalidValue);
        }
        var previous = -1L;
        for (var n = 0; n < entries && reader.Ok; n++)
        {
            var index = reader.ReadVarUInt();
            var levels = SummaryLevels.Read(ref reader);
            if (!reader.Ok || (long)Math.Min(index, int.MaxValue) <= previous || index >= (ulong)summaries.Length)
            {
                reader.Fail(CodecError.InvalidValue);
                return;
            }
            previous = (long)index;
            summaries[index] = summaries[index] with { Levels = levels };
        }
    }

    /// <summary>Periods entries: varint count (≥ 1) ‖ (varint summary index, strictly increasing ‖ period)….</summary>
    private static void ReadPeriods(ref SpanReader reader, DeviceSummary[] summaries)
    {
        var entries = reader.ReadCount(summaries.Length);
        if (entries == 0)
        {
            reader.Fail(CodecError.InvalidValue);
        }
        var previous = -1L;
        for (var n = 0; n < entries && reader.Ok; n++)
        {
            var index = reader.ReadVarUInt();
            var period = SummaryPeriod.Read(ref reader);
            if (!reader.Ok || (long)Math.Min(index, int.MaxValue) <= previous || index >= (ulong)summaries.Length || !period.IsValid)
            {
                reader.Fail(CodecError.InvalidValue);
                return;
            }
            previous = (long)index;
            summaries[index] = summaries[index] with { Period = period };
        }
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

/// <summary>
/// The levels of a summary's non-additive fields (in the schema's order of those fields) over its
/// unflagged readings: the lowest value, and the value of the last unflagged reading by sequence.
/// What a level field did between readings is not claimed; the last value follows every lower one
/// seen before it, so last − min is a rise the device measured.
/// </summary>
public sealed record SummaryLevels(long[] Min, long[] Last) : ICanonical
{
    public int EncodedLength => CanonicalSizes.VarInts(Min) + CanonicalSizes.VarInts(Last);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteVarInts(Min);
        writer.WriteVarInts(Last);
    }

    public static SummaryLevels Read(ref SpanReader reader)
    {
        var min = reader.ReadVarInts(TelemetrySchema.MaxFields);
        var last = reader.ReadVarInts(TelemetrySchema.MaxFields);
        if (reader.Ok && (min.Length == 0 || min.Length != last.Length))
        {
            reader.Fail(CodecError.InvalidValue);
        }
        return new SummaryLevels(min, last);
    }

    /// <summary>One level per field of <paramref name="schema"/>'s non-additive fields, each min ≤ last, within the field's range.</summary>
    public bool ConsistentWith(TelemetrySchema schema)
    {
        var k = 0;
        foreach (var field in schema.Fields)
        {
            if (field.Additive)
            {
                continue;
            }
            if (k >= Min.Length || Min[k] > Last[k] || Min[k] < field.Min || Last[k] > field.Max)
            {
                return false;
            }
            k++;
        }
        return k == Min.Length;
    }
}

/// <summary>
/// A period of a UTC day: <paramref name="From"/> minutes after midnight, <paramref name="Minutes"/>
/// long (a divisor of 1440, with From a multiple of it). Encoded u16 ‖ u16.
/// </summary>
public readonly record struct SummaryPeriod(ushort From, ushort Minutes)
{
    public const int EncodedLength = 4;

    public bool IsValid => Minutes != 0 && TelemetrySchema.MinutesPerDay % Minutes == 0 && From % Minutes == 0 && From < TelemetrySchema.MinutesPerDay;

    /// <summary>Whether the minute of the day of <paramref name="timestampMs"/> lies in the period.</summary>
    public bool Holds(ulong timestampMs)
    {
        var minute = timestampMs % DeviceSummary.DayMs / 60_000;
        return minute >= From && minute < (ulong)From + Minutes;
    }

    /// <summary>When the period starts on <paramref name="day"/> (days since the epoch), in ms since the epoch.</summary>
    public ulong StartMs(uint day) => (day * DeviceSummary.DayMs) + (From * 60_000UL);

    public ulong EndMs(uint day) => StartMs(day) + (Minutes * 60_000UL);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU16(From);
        writer.WriteU16(Minutes);
    }

    public static SummaryPeriod Read(ref SpanReader reader) => new(reader.ReadU16(), reader.ReadU16());

    public override string ToString() => $"{From / 60:D2}:{From % 60:D2}+{Minutes}m";
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
