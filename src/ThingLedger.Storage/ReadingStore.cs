using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Storage;

/// <summary>What the store did with one upload item (a signed reading or a whole device batch).</summary>
public enum AppendStatus : byte
{
    Accepted = 0,
    /// <summary>Exactly these readings were accepted before: nothing new is stored or counted.</summary>
    Duplicate = 1,
    /// <summary>A sequence number at or below the device's last accepted one, with other content.</summary>
    Replayed = 2,
}

/// <summary>
/// One signed reading (one element, not a batch) or one device batch, to be stored whole or not at
/// all, with what screening said about each reading (null: none screened).
/// </summary>
public sealed record AppendItem(Reading[] Readings, byte[] Signature, bool IsBatch, ReadingScreen[]? Screens = null)
{
    /// <summary>The operator who authorised the item as a historic import (readings older than the freshness window), or null.</summary>
    public Address? HistoricBy { get; init; }

    public ReadingScreen ScreenOf(int index) => Screens?[index] ?? ReadingScreen.None;
}

/// <summary>A stored reading: its ingest number, and either its own signature or its device batch's number.</summary>
public sealed record StoredReading(ulong Ingest, Reading Reading, byte[]? Signature, long? Batch)
{
    /// <summary>What screening said about the reading when it was accepted.</summary>
    public ReadingScreen Screen { get; init; } = ReadingScreen.None;

    /// <summary>The operator of the custodian org who authorised the reading's upload as a historic import, or null for a live reading.</summary>
    public Address? HistoricBy { get; init; }
}

/// <summary>A stored device batch: its readings' sequence range and count, and the device's signature over their root.</summary>
public sealed record StoredBatch(long Ref, Address Device, ulong FirstSequence, ulong LastSequence, int Count, byte[] Signature);

/// <summary>An anchor as the custodian records it: the ingest range it covers and the tx that committed it.</summary>
public sealed record AnchorRecord(ulong FirstIngest, ulong LastIngest, Hash TxId, ulong Height);

/// <summary>
/// The custodian's off-chain reading store (<c>readings.db</c>): SQLite in WAL mode with
/// synchronous=FULL, one transaction per upload, so an accepted reading survives kill -9 once
/// <see cref="Append"/> returns. Readings are numbered in acceptance order (their ingest number,
/// the row id), an upload's readings grouped by device (so an anchor summarises a device's run of
/// them in one summary, not one per reading); device ids and schemas are stored once and referred
/// to by small integers.
/// One writer at a time; readers open their own pooled connections.
/// </summary>
public sealed partial class ReadingStore : IDisposable
{
    public const string DatabaseFileName = "readings.db";
    private const string Format = "thingledger-readings/3";
    private const string Format2 = "thingledger-readings/2";

    private readonly SqliteConnection _writer;
    private readonly string _readConnectionString;
    private readonly object _writeLock = new();
    private readonly List<QueuedUpload> _queue = [];
    // Written under the write lock, read by queries on other threads.
    private readonly ConcurrentDictionary<Address, long> _deviceRefs = [];
    private readonly ConcurrentDictionary<long, Address> _devices = [];
    private readonly ConcurrentDictionary<(string Id, ushort Version), long> _schemaRefs = [];
    private readonly ConcurrentDictionary<long, (string Id, ushort Version)> _schemas = [];
    private readonly ConcurrentDictionary<string, long> _modelRefs = [];
    private readonly ConcurrentDictionary<long, string> _models = [];
    private readonly Dictionary<Address, ulong> _lastSequence = [];
    private long _lastIngest;
    private long _lastAnchored;
    private long _highestAnchorHeight;
    private byte[] _body = new byte[4096];

    // Readings accepted since the last anchor, in ingest order, so the anchorer need not read them
    // back from disk. Bounded: past the limit it is dropped and the anchorer reads from disk until
    // it has caught up with what is held here again (as after a restart).
    private const int MaxUnanchoredInMemory = 2_000_000;
    private readonly List<StoredReading> _unanchored = [];

    private ReadingStore(SqliteConnection writer, string readConnectionString)
    {
        _writer = writer;
        _readConnectionString = readConnectionString;
    }

    /// <summary>The newest ingest number handed out (0 when empty).</summary>
    public ulong LastIngest => (ulong)Interlocked.Read(ref _lastIngest);

    /// <summary>The last ingest number covered by a recorded anchor (0 before the first).</summary>
    public ulong LastAnchoredIngest => (ulong)Interlocked.Read(ref _lastAnchored);

    /// <summary>The highest block height a recorded anchor was committed in (0 before the first): the ledger must have reached it.</summary>
    public ulong HighestAnchorHeight => (ulong)Interlocked.Read(ref _highestAnchorHeight);

    /// <summary>
    /// Opens (or creates) the reading store in <paramref name="directory"/> for chain <paramref name="chainId"/>,
    /// converting a store of the previous format; <paramref name="progress"/> hears about long work.
    /// </summary>
    public static ReadingStore Open(string directory, string chainId, Action<string>? progress = null)
    {
        var (writer, connectionString) = SqliteFile.Open(directory, DatabaseFileName, ReadingSchema.Create, "ThingLedger reading store");
        var path = Path.Combine(directory, DatabaseFileName);
        var store = new ReadingStore(writer, connectionString);
        try
        {
            store.CheckOrWriteMeta(path, chainId, progress);
            store.LoadIndexes();
        }
        catch
        {
            store.Dispose();
            throw;
        }
        return store;
    }

    /// <summary>The device's last accepted sequence number, or null before its first reading.</summary>
    public ulong? LastSequence(Address device)
    {
        lock (_writeLock)
        {
            return _lastSequence.TryGetValue(device, out var last) ? last : null;
        }
    }

    /// <summary>
    /// The readings to anchor next: from <paramref name="firstIngest"/> on, in ingest order, at most
    /// <paramref name="limit"/>. Served from memory when it holds them, else read from disk.
    /// </summary>
    public IReadOnlyList<StoredReading> Unanchored(ulong firstIngest, int limit)
    {
        lock (_unanchored)
        {
            var start = _unanchored.Count == 0 ? -1 : (long)firstIngest - (long)_unanchored[0].Ingest;
            if (start >= 0 && start < _unanchored.Count)
            {
                return _unanchored.GetRange((int)start, (int)Math.Min(limit, _unanchored.Count - start));
            }
        }
        var upTo = LastIngest;
        lock (_unanchored)
        {
            if (_unanchored.Count > 0 && _unanchored[0].Ingest > firstIngest)
            {
                upTo = _unanchored[0].Ingest - 1;
            }
        }
        return ReadIngestRange(firstIngest, upTo, limit);
    }

    private long DeviceRef(Address device) =>
        Ref(_deviceRefs, _devices, device, "INSERT INTO devices (id) VALUES ($a) RETURNING ref", device.ToArray());

    private long SchemaRef(string schema, ushort version) =>
        Ref(_schemaRefs, _schemas, (schema, version), "INSERT INTO schemas (id, version) VALUES ($a, $b) RETURNING ref", schema, (int)version);

    private long ModelRef(string model) =>
        Ref(_modelRefs, _models, model, "INSERT INTO models (name) VALUES ($a) RETURNING ref", model);

    /// <summary>
    /// The small integer a device, schema or model is stored under: known already, or inserted now
    /// (with <paramref name="columns"/> bound to $a, $b) and remembered both ways.
    /// </summary>
    private long Ref<TKey>(ConcurrentDictionary<TKey, long> refs, ConcurrentDictionary<long, TKey> keys, TKey key,
        string insert, params object[] columns) where TKey : notnull
    {
        if (refs.TryGetValue(key, out var known))
        {
            return known;
        }
        using var cmd = _writer.CreateCommand();
        cmd.CommandText = insert;
        for (var i = 0; i < columns.Length; i++)
        {
            cmd.Parameters.AddWithValue(i == 0 ? "$a" : "$b", columns[i]);
        }
        var id = (long)cmd.ExecuteScalar()!;
        refs[key] = id;
        keys[id] = key;
        return id;
    }

    /// <summary>A failed transaction rolled back its new devices, schemas and models: reload what is really on disk.</summary>
    private void ForgetUncommittedRefs()
    {
        _deviceRefs.Clear();
        _devices.Clear();
        _schemaRefs.Clear();
        _schemas.Clear();
        _modelRefs.Clear();
        _models.Clear();
        LoadRefs();
    }

    /// <summary>Records that a committed anchor tx covers an ingest range (which must follow the last one recorded).</summary>
    public void RecordAnchor(AnchorRecord anchor) => RecordAnchors([anchor]);

    /// <summary>Records consecutive anchors, in order, in one durable transaction: all of them or none.</summary>
    public void RecordAnchors(IReadOnlyList<AnchorRecord> anchors)
    {
        if (anchors.Count == 0)
        {
            return;
        }
        lock (_writeLock)
        {
            var last = LastAnchoredIngest;
            foreach (var anchor in anchors)
            {
                if (anchor.FirstIngest != last + 1 || anchor.LastIngest < anchor.FirstIngest)
                {
                    throw new InvalidOperationException($"anchor [{anchor.FirstIngest}, {anchor.LastIngest}] does not follow the last anchored reading {last}");
                }
                last = anchor.LastIngest;
            }
            try
            {
                SqliteFile.InTransaction(_writer, () =>
                {
                    using var cmd = _writer.CreateCommand();
                    cmd.CommandText = "INSERT INTO anchors (first, last, tx, height) VALUES ($f, $l, $tx, $h)";
                    var pFirst = cmd.Parameters.Add("$f", SqliteType.Integer);
                    var pLast = cmd.Parameters.Add("$l", SqliteType.Integer);
                    var pTx = cmd.Parameters.Add("$tx", SqliteType.Blob);
                    var pHeight = cmd.Parameters.Add("$h", SqliteType.Integer);
                    foreach (var anchor in anchors)
                    {
                        pFirst.Value = (long)anchor.FirstIngest;
                        pLast.Value = (long)anchor.LastIngest;
                        pTx.Value = anchor.TxId.ToArray();
                        pHeight.Value = (long)anchor.Height;
                        cmd.ExecuteNonQuery();
                    }
                });
            }
            catch (Exception e) when (e is SqliteException or IOException)
            {
                throw StorageException.ForFailedWrite("the anchors could not be recorded", e);
            }
            Interlocked.Exchange(ref _lastAnchored, (long)last);
            Interlocked.Exchange(ref _highestAnchorHeight, Math.Max(_highestAnchorHeight, (long)anchors[^1].Height));
        }
        var lastIngest = anchors[^1].LastIngest;
        lock (_unanchored)
        {
            var covered = 0;
            while (covered < _unanchored.Count && _unanchored[covered].Ingest <= lastIngest)
            {
                covered++;
            }
            _unanchored.RemoveRange(0, covered);
        }
    }

    private void CheckOrWriteMeta(string path, string chainId, Action<string>? progress)
    {
        var meta = SqliteFile.ReadMeta(_writer);
        if (meta.Count == 0)
        {
            if (SqliteFile.Scalar(_writer, "SELECT EXISTS (SELECT 1 FROM items)") != 0)
            {
                throw new StorageException($"{path} holds readings but no metadata: it is damaged; refusing to touch it");
            }
            SqliteFile.WriteMeta(_writer, ("format", Format), ("chain_id", chainId));
            return;
        }
        var format = meta.GetValueOrDefault("format");
        if (format is not (Format or Format2))
        {
            throw new StorageException($"{path} has format '{format}', this node reads '{Format}' and converts '{Format2}'");
        }
        if (meta.GetValueOrDefault("chain_id") != chainId)
        {
            throw new StorageException($"{path} holds readings of chain '{meta.GetValueOrDefault("chain_id")}', not '{chainId}'; refusing to mix them");
        }
        if (format == Format2)
        {
            MigrateFromFormat2(progress);
        }
    }

    private void LoadIndexes()
    {
        LoadRefs();
        using (var cmd = _writer.CreateCommand())
        {
            cmd.CommandText = "SELECT device, MAX(seq + seq_span) FROM items GROUP BY device";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                _lastSequence[_devices[reader.GetInt64(0)]] = unchecked((ulong)reader.GetInt64(1));
            }
        }
        _lastIngest = SqliteFile.Scalar(_writer, "SELECT COALESCE((SELECT first + count - 1 FROM items ORDER BY first DESC LIMIT 1), 0)");
        _lastAnchored = SqliteFile.Scalar(_writer, "SELECT COALESCE(MAX(last), 0) FROM anchors");
        _highestAnchorHeight = SqliteFile.Scalar(_writer, "SELECT COALESCE(MAX(height), 0) FROM anchors");
    }

    private void LoadRefs()
    {
        using (var cmd = _writer.CreateCommand())
        {
            cmd.CommandText = "SELECT ref, id FROM devices";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var device = new Address((byte[])reader.GetValue(1));
                _deviceRefs[device] = reader.GetInt64(0);
                _devices[reader.GetInt64(0)] = device;
            }
        }
        using (var cmd = _writer.CreateCommand())
        {
            cmd.CommandText = "SELECT ref, id, version FROM schemas";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var schema = (reader.GetString(1), (ushort)reader.GetInt32(2));
                _schemaRefs[schema] = reader.GetInt64(0);
                _schemas[reader.GetInt64(0)] = schema;
            }
        }
        using (var cmd = _writer.CreateCommand())
        {
            cmd.CommandText = "SELECT ref, name FROM models";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                _modelRefs[reader.GetString(1)] = reader.GetInt64(0);
                _models[reader.GetInt64(0)] = reader.GetString(1);
            }
        }
        lock (_historic)
        {
            _historic.Clear();
            using var cmd = _writer.CreateCommand();
            cmd.CommandText = "SELECT first, operator FROM historic";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                _historic[reader.GetInt64(0)] = new Address((byte[])reader.GetValue(1));
            }
        }
    }

    /// <summary>Historic-import items by their first ingest number, and who authorised each (few: loaded whole).</summary>
    private readonly Dictionary<long, Address> _historic = [];

    /// <summary>
    /// Folds the write-ahead log into the database file and returns the file's size in bytes:
    /// what the stored readings occupy on disk (benchmarks report it per reading).
    /// </summary>
    public long CheckpointAndMeasure()
    {
        lock (_writeLock)
        {
            SqliteFile.Execute(_writer, "PRAGMA wal_checkpoint(TRUNCATE);");
            return new FileInfo(_writer.DataSource).Length;
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        SqliteConnection.ClearPool(_writer);
    }
}
