using Microsoft.Data.Sqlite;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Storage;

public sealed partial class ReadingStore
{
    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>The reading of <paramref name="device"/> with sequence <paramref name="sequence"/>, if stored.</summary>
    public StoredReading? Find(Address device, ulong sequence)
    {
        var found = Range(device, sequence, sequence);
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>The stored readings of <paramref name="device"/> with a sequence in [first, last], in sequence order.</summary>
    private List<StoredReading> Range(Address device, ulong first, ulong last)
    {
        var found = new List<StoredReading>();
        if (!_deviceRefs.TryGetValue(device, out var deviceRef))
        {
            return found;
        }
        // Items of one device do not overlap, so the one starting at or before `first` and those
        // starting up to `last` hold every reading in the range.
        var rows = Query($"SELECT {ReadingItems.Columns} FROM items WHERE device = $d AND seq <= $l AND " +
            "seq >= (SELECT COALESCE(MAX(seq), 0) FROM items WHERE device = $d AND seq <= $f) ORDER BY seq",
            ("$d", deviceRef), ("$f", unchecked((long)first)), ("$l", unchecked((long)last)));
        foreach (var row in rows)
        {
            foreach (var stored in Expand(row))
            {
                if (stored.Reading.Sequence >= first && stored.Reading.Sequence <= last)
                {
                    found.Add(stored);
                }
            }
        }
        return found;
    }

    /// <summary>The newest reading of a device, if any.</summary>
    public StoredReading? Latest(Address device) => History(device, null, null, null, 1).FirstOrDefault();

    /// <summary>
    /// A device's readings, newest first: measured in [from, to] (ms, inclusive, either open), with a
    /// sequence below <paramref name="beforeSequence"/> (the cursor of the previous page).
    /// </summary>
    public IReadOnlyList<StoredReading> History(Address device, ulong? from, ulong? to, ulong? beforeSequence, int limit)
    {
        var page = new List<StoredReading>();
        if (!_deviceRefs.TryGetValue(device, out var deviceRef) || limit <= 0)
        {
            return page;
        }
        var (earliest, latest) = (from ?? 0, Math.Min(to ?? long.MaxValue, long.MaxValue));
        var before = beforeSequence ?? ulong.MaxValue;
        var rows = Query($"SELECT {ReadingItems.Columns} FROM items WHERE device = $d AND seq < $before AND ts <= $to AND ts + ts_span >= $from ORDER BY seq DESC",
            ("$d", deviceRef), ("$from", unchecked((long)earliest)), ("$to", unchecked((long)latest)), ("$before", unchecked((long)Math.Min(before, long.MaxValue))));
        foreach (var row in rows)
        {
            var readings = Expand(row);
            for (var k = readings.Count - 1; k >= 0; k--)
            {
                var reading = readings[k].Reading;
                if (reading.Sequence < before && reading.Timestamp >= earliest && reading.Timestamp <= latest)
                {
                    page.Add(readings[k]);
                    if (page.Count == limit)
                    {
                        return page;
                    }
                }
            }
        }
        return page;
    }

    /// <summary>Readings by ingest number from <paramref name="firstIngest"/>, in order, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<StoredReading> ReadIngestRange(ulong firstIngest, ulong lastIngest, int limit)
    {
        var found = new List<StoredReading>();
        var last = Math.Min(lastIngest, long.MaxValue);
        var rows = Query($"SELECT {ReadingItems.Columns} FROM items WHERE first <= $l AND " +
            "first >= (SELECT COALESCE(MAX(first), 0) FROM items WHERE first <= $f) ORDER BY first",
            ("$f", (long)Math.Min(firstIngest, long.MaxValue)), ("$l", (long)last));
        foreach (var row in rows)
        {
            foreach (var stored in Expand(row))
            {
                if (stored.Ingest >= firstIngest && stored.Ingest <= last)
                {
                    found.Add(stored);
                    if (found.Count == limit)
                    {
                        return found;
                    }
                }
            }
        }
        return found;
    }

    /// <summary>A device batch (its number is its first reading's ingest number) and its readings in sequence order.</summary>
    public (StoredBatch Batch, IReadOnlyList<StoredReading> Readings)? GetBatch(long batchRef)
    {
        foreach (var row in Query($"SELECT {ReadingItems.Columns} FROM items WHERE first = $r AND batch = 1", ("$r", batchRef)))
        {
            var batch = new StoredBatch(batchRef, _devices[row.Device], row.Sequence, row.Sequence + row.SequenceSpan, row.Count, row.Signature);
            return (batch, Expand(row));
        }
        return null;
    }

    /// <summary>The recorded anchor whose ingest range holds <paramref name="ingest"/>, if it is anchored yet.</summary>
    public AnchorRecord? FindAnchor(ulong ingest)
    {
        using var connection = OpenReader();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT first, last, tx, height FROM anchors WHERE first <= $i ORDER BY first DESC LIMIT 1";
        cmd.Parameters.AddWithValue("$i", (long)ingest);
        using var reader = cmd.ExecuteReader();
        if (!reader.Read() || (ulong)reader.GetInt64(1) < ingest)
        {
            return null;
        }
        return new AnchorRecord((ulong)reader.GetInt64(0), (ulong)reader.GetInt64(1), new Hash((byte[])reader.GetValue(2)), (ulong)reader.GetInt64(3));
    }

    /// <summary>Number of readings stored, and of devices that sent them.</summary>
    public (long Readings, int Devices) Counts() => ((long)LastIngest, _deviceRefs.Count);

    /// <summary>The item rows a query selects (its columns: <see cref="ReadingItems.Columns"/>), read lazily.</summary>
    private IEnumerable<ItemRow> Query(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenReader();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            yield return ItemRow.Read(reader);
        }
    }

    /// <summary>An item row's readings, in sequence order, with their ingest numbers.</summary>
    private List<StoredReading> Expand(ItemRow row)
    {
        var readings = (_devices.TryGetValue(row.Device, out var device) ? ReadingItems.Decode(row, device, _schemas, _models) : null)
            ?? throw new StorageException($"the item of readings from ingest number {row.First} in {DatabaseFileName} is damaged");
        Address by;
        lock (_historic)
        {
            if (!_historic.TryGetValue(row.First, out by))
            {
                return readings;
            }
        }
        for (var k = 0; k < readings.Count; k++)
        {
            readings[k] = readings[k] with { HistoricBy = by };
        }
        return readings;
    }
}

/// <summary>One row of the <c>items</c> table.</summary>
internal sealed record ItemRow(long First, long Device, ulong Sequence, ulong SequenceSpan, int Count, ulong Timestamp, ulong TimestampSpan,
    bool IsBatch, byte[] Signature, byte[] Body)
{
    public static ItemRow Read(SqliteDataReader reader) => new(reader.GetInt64(0), reader.GetInt64(1), unchecked((ulong)reader.GetInt64(2)),
        unchecked((ulong)reader.GetInt64(3)), reader.GetInt32(4), unchecked((ulong)reader.GetInt64(5)), unchecked((ulong)reader.GetInt64(6)),
        reader.GetInt64(7) == 1, (byte[])reader.GetValue(8), (byte[])reader.GetValue(9));
}

/// <summary>
/// How an upload item's readings are packed into its row's body and unpacked, byte for byte (the
/// layout is in <see cref="ReadingSchema"/>). A reading's bytes are rebuilt from its device, the
/// sequence and timestamp steps, its schema and its stored value section.
/// </summary>
internal static class ReadingItems
{
    public const string Columns = "first, device, seq, seq_span, count, ts, ts_span, batch, sig, body";

    /// <summary>The earliest and latest timestamps of an item's readings.</summary>
    public static (ulong Min, ulong Max) TimeRange(Reading[] readings)
    {
        var (min, max) = (ulong.MaxValue, ulong.MinValue);
        foreach (var reading in readings)
        {
            min = Math.Min(min, reading.Timestamp);
            max = Math.Max(max, reading.Timestamp);
        }
        return (min, max);
    }

    /// <summary>An upper bound on the bytes <see cref="WriteEntry"/> writes for a reading.</summary>
    public static int MaxEntryLength(Reading reading, ReadingScreen screen) =>
        (4 * 10) + (screen.Model.Length == 0 ? 0 : ReadingScreen.FlagsLength(screen.Flags)) + CanonicalSizes.VarInts(reading.Values);

    public static void WriteEntry(ref SpanWriter writer, Reading reading, ulong previousSequence, ulong previousTimestamp, long schema, long model,
        ReadingScreen screen)
    {
        writer.WriteVarUInt(reading.Sequence - previousSequence);
        writer.WriteVarInt(unchecked((long)(reading.Timestamp - previousTimestamp)));
        writer.WriteVarUInt((ulong)schema);
        writer.WriteVarUInt((ulong)model);
        if (model != 0)
        {
            ReadingScreen.WriteFlags(ref writer, screen.Flags);
        }
        // The value section is the tail of the reading's canonical bytes: copied, not encoded again.
        var encoded = reading.Encoded.Span;
        writer.WriteFixed(encoded[^CanonicalSizes.VarInts(reading.Values)..]);
    }

    /// <summary>The readings of <paramref name="row"/>, or null when its body is not exactly what <see cref="WriteEntry"/> wrote.</summary>
    public static List<StoredReading>? Decode(ItemRow row, Address device, IReadOnlyDictionary<long, (string Id, ushort Version)> schemas,
        IReadOnlyDictionary<long, string> models)
    {
        var readings = new List<StoredReading>(row.Count);
        var reader = new SpanReader(row.Body);
        var (sequence, timestamp) = (row.Sequence, row.Timestamp);
        for (var k = 0; k < row.Count && reader.Ok; k++)
        {
            var step = reader.ReadVarUInt();
            sequence += step;
            timestamp = unchecked(timestamp + (ulong)reader.ReadVarInt());
            var schemaRef = (long)reader.ReadVarUInt();
            var modelRef = (long)reader.ReadVarUInt();
            var model = string.Empty;
            if (modelRef != 0 && !models.TryGetValue(modelRef, out model))
            {
                return null;
            }
            var screen = modelRef == 0 ? ReadingScreen.None : new ReadingScreen(model!, ReadingScreen.ReadFlags(ref reader));
            var values = reader.ReadVarInts(TelemetrySchema.MaxFields);
            // The first reading is the row's first sequence; each next one lies strictly above.
            if (!reader.Ok || (step == 0) != (k == 0) || !schemas.TryGetValue(schemaRef, out var schema))
            {
                return null;
            }
            var (id, version) = schema;
            readings.Add(new StoredReading((ulong)row.First + (ulong)k, new Reading(device, sequence, timestamp, id, version, values),
                row.IsBatch ? null : row.Signature, row.IsBatch ? row.First : null)
            { Screen = screen });
        }
        var whole = reader.Ok && reader.Remaining == 0 && readings.Count == row.Count && sequence == row.Sequence + row.SequenceSpan;
        return whole ? readings : null;
    }
}
