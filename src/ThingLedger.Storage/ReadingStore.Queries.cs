using Microsoft.Data.Sqlite;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Storage;

public sealed partial class ReadingStore
{
    private const string Columns = "ingest, device, seq, ts, schema, vals, sig, batch, model, flags";

    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>The reading of <paramref name="device"/> with sequence <paramref name="sequence"/>, if stored.</summary>
    public StoredReading? Find(Address device, ulong sequence)
    {
        if (!_deviceRefs.TryGetValue(device, out var deviceRef))
        {
            return null;
        }
        return Query($"SELECT {Columns} FROM readings WHERE device = $d AND seq = $s",
            ("$d", deviceRef), ("$s", unchecked((long)sequence))).FirstOrDefault();
    }

    /// <summary>The newest reading of a device, if any.</summary>
    public StoredReading? Latest(Address device) => History(device, null, null, null, 1).FirstOrDefault();

    /// <summary>
    /// A device's readings, newest first: measured in [from, to] (ms, inclusive, either open), with a
    /// sequence below <paramref name="beforeSequence"/> (the cursor of the previous page).
    /// </summary>
    public IReadOnlyList<StoredReading> History(Address device, ulong? from, ulong? to, ulong? beforeSequence, int limit)
    {
        if (!_deviceRefs.TryGetValue(device, out var deviceRef))
        {
            return [];
        }
        return Query($"SELECT {Columns} FROM readings WHERE device = $d AND ts >= $from AND ts <= $to AND seq < $before ORDER BY seq DESC LIMIT $n",
            ("$d", deviceRef), ("$from", unchecked((long)(from ?? 0))), ("$to", unchecked((long)Math.Min(to ?? long.MaxValue, long.MaxValue))),
            ("$before", unchecked((long)Math.Min(beforeSequence ?? long.MaxValue, long.MaxValue))), ("$n", limit));
    }

    /// <summary>Readings by ingest number from <paramref name="firstIngest"/>, in order, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<StoredReading> ReadIngestRange(ulong firstIngest, ulong lastIngest, int limit) =>
        Query($"SELECT {Columns} FROM readings WHERE ingest >= $f AND ingest <= $l ORDER BY ingest LIMIT $n",
            ("$f", (long)firstIngest), ("$l", (long)Math.Min(lastIngest, long.MaxValue)), ("$n", limit));

    /// <summary>A device batch and its readings in sequence order.</summary>
    public (StoredBatch Batch, IReadOnlyList<StoredReading> Readings)? GetBatch(long batchRef)
    {
        using var connection = OpenReader();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT device, first_seq, last_seq, count, sig FROM batches WHERE ref = $r";
        cmd.Parameters.AddWithValue("$r", batchRef);
        using var reader = cmd.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }
        var batch = new StoredBatch(batchRef, _devices[reader.GetInt64(0)], unchecked((ulong)reader.GetInt64(1)), unchecked((ulong)reader.GetInt64(2)),
            reader.GetInt32(3), (byte[])reader.GetValue(4));
        var readings = Query($"SELECT {Columns} FROM readings WHERE device = $d AND seq >= $f AND seq <= $l AND batch = $b ORDER BY seq",
            ("$d", reader.GetInt64(0)), ("$f", reader.GetInt64(1)), ("$l", reader.GetInt64(2)), ("$b", batchRef));
        return (batch, readings);
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

    private List<StoredReading> Query(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenReader();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        using var reader = cmd.ExecuteReader();
        var rows = new List<StoredReading>();
        while (reader.Read())
        {
            var (schema, version) = _schemas[reader.GetInt64(4)];
            var reading = ReadingRows.Rebuild(_devices[reader.GetInt64(1)], unchecked((ulong)reader.GetInt64(2)), unchecked((ulong)reader.GetInt64(3)),
                schema, version, (byte[])reader.GetValue(5)) ?? throw new StorageException($"reading {reader.GetInt64(0)} in {DatabaseFileName} is damaged");
            var screen = ReadingScreen.None;
            if (!reader.IsDBNull(8))
            {
                var flags = reader.IsDBNull(9) ? [] : ReadingScreen.DecodeFlags((byte[])reader.GetValue(9))
                    ?? throw new StorageException($"the flags of reading {reader.GetInt64(0)} in {DatabaseFileName} are damaged");
                screen = new ReadingScreen(_models[reader.GetInt64(8)], flags);
            }
            rows.Add(new StoredReading((ulong)reader.GetInt64(0), reading,
                reader.IsDBNull(6) ? null : (byte[])reader.GetValue(6), reader.IsDBNull(7) ? null : reader.GetInt64(7))
            { Screen = screen });
        }
        return rows;
    }
}

/// <summary>How a reading is split into columns and put back together, byte for byte.</summary>
internal static class ReadingRows
{
    /// <summary>The value section of the reading's bytes: varint count ‖ zigzag values.</summary>
    public static byte[] ValuesOf(Reading reading)
    {
        return reading.Encoded.Span[^CanonicalSizes.VarInts(reading.Values)..].ToArray();
    }

    public static Reading? Rebuild(Address device, ulong sequence, ulong timestamp, string schema, ushort version, byte[] values)
    {
        var head = new Reading(device, sequence, timestamp, schema, version, []);
        var headBytes = head.EncodedLength - 1;
        var bytes = new byte[headBytes + values.Length];
        head.Encoded.Span[..headBytes].CopyTo(bytes);
        values.CopyTo(bytes, headBytes);
        return Reading.TryDecode(bytes, out var reading) == CodecError.None ? reading : null;
    }
}
