using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using ThingLedger.Core.Codec;
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
    public ReadingScreen ScreenOf(int index) => Screens?[index] ?? ReadingScreen.None;
}

/// <summary>A stored reading: its ingest number, and either its own signature or its device batch's number.</summary>
public sealed record StoredReading(ulong Ingest, Reading Reading, byte[]? Signature, long? Batch)
{
    /// <summary>What screening said about the reading when it was accepted.</summary>
    public ReadingScreen Screen { get; init; } = ReadingScreen.None;
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

    public static ReadingStore Open(string directory, string chainId)
    {
        var (writer, connectionString) = SqliteFile.Open(directory, DatabaseFileName, ReadingSchema.Create, "ThingLedger reading store");
        var path = Path.Combine(directory, DatabaseFileName);
        var store = new ReadingStore(writer, connectionString);
        try
        {
            store.CheckOrWriteMeta(path, chainId);
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
    /// Stores the items that continue their device's sequence, each whole or not at all, in one
    /// durable transaction (shared with the uploads that queued while another was being written:
    /// a group commit, one fsync for all of them). Items must already be checked (signatures, schema, ranges, device)
    /// and must not repeat a (device, sequence) pair among themselves. Accepted items are numbered
    /// device by device (devices in the order of their first item, each device's items in upload
    /// order), so an upload from a gateway of many devices still gives each device one run of
    /// consecutive ingest numbers. <paramref name="screen"/>, when given, is asked what screening
    /// says of each accepted item's readings, in that order and under the write lock, so a
    /// screening model sees exactly the readings stored, in the order they are stored (a resent or
    /// replayed item never reaches it).
    /// </summary>
    public AppendStatus[] Append(IReadOnlyList<AppendItem> items, Func<Reading[], ReadingScreen[]?>? screen = null)
    {
        // Group commit: an upload joins the queue, and whoever holds the write lock next stores
        // every upload queued by then in one transaction and one fsync. Each upload is still
        // classified, numbered and screened in queue order exactly as if it had been written
        // alone after the ones before it; none is answered before the transaction is durable.
        var upload = new QueuedUpload(items, screen);
        lock (_queue)
        {
            _queue.Add(upload);
        }
        lock (_writeLock)
        {
            if (upload.Statuses is null && upload.Failure is null)
            {
                List<QueuedUpload> group;
                lock (_queue)
                {
                    group = [.. _queue];
                    _queue.Clear();
                }
                WriteGroup(group);
            }
        }
        if (upload.Failure is { } failure)
        {
            throw new StorageException($"the readings could not be stored: {failure.Message}", failure);
        }
        return upload.Statuses!;
    }

    /// <summary>Uploads queued for the next group (tests hold <see cref="WriteLockForTests"/> to make one).</summary>
    internal int QueuedUploads
    {
        get
        {
            lock (_queue)
            {
                return _queue.Count;
            }
        }
    }

    internal object WriteLockForTests => _writeLock;

    /// <summary>Transactions that stored readings since the store opened.</summary>
    internal int GroupsWritten { get; private set; }

    /// <summary>An upload waiting for its group's transaction, and what became of it.</summary>
    private sealed class QueuedUpload(IReadOnlyList<AppendItem> items, Func<Reading[], ReadingScreen[]?>? screen)
    {
        public IReadOnlyList<AppendItem> Items { get; } = items;

        public Func<Reading[], ReadingScreen[]?>? Screen { get; } = screen;

        public AppendStatus[]? Statuses { get; set; }

        public Exception? Failure { get; set; }
    }

    /// <summary>Classifies, screens and stores a group of uploads, in queue order; every upload gets its statuses, or all get the failure.</summary>
    private void WriteGroup(List<QueuedUpload> group)
    {
        AppendStatus[][] statuses;
        try
        {
            statuses = StoreGroup(group);
        }
        catch (Exception e)
        {
            foreach (var upload in group)
            {
                upload.Failure = e;
            }
            return;
        }
        for (var u = 0; u < group.Count; u++)
        {
            group[u].Statuses = statuses[u];
        }
    }

    private AppendStatus[][] StoreGroup(List<QueuedUpload> group)
    {
        // Last sequence per device including what the group accepts, and the items accepted by
        // earlier uploads of the group (a resend of those is a duplicate, as it would be once stored).
        var next = new Dictionary<Address, ulong>();
        var earlier = new Dictionary<Address, List<Reading[]>>();
        var writes = new List<AppendItem>();
        var statuses = new AppendStatus[group.Count][];
        for (var u = 0; u < group.Count; u++)
        {
            var items = group[u].Items;
            statuses[u] = new AppendStatus[items.Count];
            var accepted = new List<int>(items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                statuses[u][i] = Classify(items[i], next, earlier);
                if (statuses[u][i] == AppendStatus.Accepted)
                {
                    accepted.Add(i);
                    var last = items[i].Readings[^1];
                    next[last.Device] = last.Sequence;
                }
            }
            foreach (var i in accepted.GroupBy(i => items[i].Readings[0].Device).SelectMany(device => device))
            {
                var item = group[u].Screen is { } screen ? items[i] with { Screens = screen(items[i].Readings) } : items[i];
                writes.Add(item);
            }
            foreach (var i in accepted)
            {
                var device = items[i].Readings[0].Device;
                if (!earlier.TryGetValue(device, out var runs))
                {
                    earlier[device] = runs = [];
                }
                runs.Add(items[i].Readings);
            }
        }
        if (writes.Count > 0)
        {
            Write(writes);
            GroupsWritten++;
            foreach (var (device, sequence) in next)
            {
                _lastSequence[device] = sequence;
            }
        }
        return statuses;
    }

    private AppendStatus Classify(AppendItem item, Dictionary<Address, ulong> pending, Dictionary<Address, List<Reading[]>> earlier)
    {
        var device = item.Readings[0].Device;
        ulong? last = pending.TryGetValue(device, out var p) ? p : _lastSequence.TryGetValue(device, out var s) ? s : null;
        if (last is null || item.Readings[0].Sequence > last)
        {
            return AppendStatus.Accepted;
        }
        var (first, lastOfItem) = (item.Readings[0].Sequence, item.Readings[^1].Sequence);
        // Readings accepted earlier in this group are not on disk yet: look for them there first.
        var found = new List<Reading>();
        if (earlier.TryGetValue(device, out var runs))
        {
            foreach (var run in runs)
            {
                found.AddRange(run.Where(r => r.Sequence >= first && r.Sequence <= lastOfItem));
            }
        }
        if (found.Count == 0)
        {
            found.AddRange(Range(device, first, lastOfItem).Select(stored => stored.Reading));
        }
        if (found.Count != item.Readings.Length)
        {
            return AppendStatus.Replayed;
        }
        for (var k = 0; k < found.Count; k++)
        {
            if (!found[k].Encoded.Span.SequenceEqual(item.Readings[k].Encoded.Span))
            {
                return AppendStatus.Replayed;
            }
        }
        return AppendStatus.Duplicate;
    }

    private void Write(List<AppendItem> items)
    {
        var ingest = _lastIngest;
        var added = new List<StoredReading>();
        using var transaction = _writer.BeginTransaction();
        using var insert = InsertItemStatement();
        foreach (var item in items)
        {
            var first = ingest + 1;
            InsertItem(insert, first, item, transaction);
            for (var k = 0; k < item.Readings.Length; k++)
            {
                added.Add(new StoredReading((ulong)++ingest, item.Readings[k], item.IsBatch ? null : item.Signature, item.IsBatch ? first : null)
                { Screen = item.ScreenOf(k) });
            }
        }
        try
        {
            transaction.Commit();
        }
        catch
        {
            ForgetUncommittedRefs();
            throw;
        }
        Interlocked.Exchange(ref _lastIngest, ingest);
        lock (_unanchored)
        {
            if (_unanchored.Count + added.Count > MaxUnanchoredInMemory)
            {
                _unanchored.Clear();
            }
            _unanchored.AddRange(added);
        }
    }

    private SqliteStatement InsertItemStatement() =>
        new(_writer, $"INSERT INTO items ({ReadingItems.Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");

    /// <summary>Inserts one item's row; its readings take the ingest numbers from <paramref name="first"/> on.</summary>
    private void InsertItem(SqliteStatement insert, long first, AppendItem item, SqliteTransaction transaction)
    {
        var (minTs, maxTs) = ReadingItems.TimeRange(item.Readings);
        var body = EncodeBody(item, minTs, transaction);
        insert.Bind(1, first)
            .Bind(2, DeviceRef(item.Readings[0].Device, transaction))
            .Bind(3, unchecked((long)item.Readings[0].Sequence))
            .Bind(4, unchecked((long)(item.Readings[^1].Sequence - item.Readings[0].Sequence)))
            .Bind(5, item.Readings.Length)
            .Bind(6, unchecked((long)minTs))
            .Bind(7, unchecked((long)(maxTs - minTs)))
            .Bind(8, item.IsBatch ? 1 : 0)
            .Bind(9, item.Signature)
            .Bind(10, body)
            .Execute();
    }

    /// <summary>An item's row body (see <see cref="ReadingItems"/>), in a buffer reused from one item to the next.</summary>
    private ReadOnlySpan<byte> EncodeBody(AppendItem item, ulong earliest, SqliteTransaction transaction)
    {
        var length = 0;
        for (var k = 0; k < item.Readings.Length; k++)
        {
            length += ReadingItems.MaxEntryLength(item.Readings[k], item.ScreenOf(k));
        }
        if (_body.Length < length)
        {
            _body = new byte[Math.Max(length, _body.Length * 2)];
        }
        var writer = new SpanWriter(_body);
        var (previousSeq, previousTs) = (item.Readings[0].Sequence, earliest);
        for (var k = 0; k < item.Readings.Length; k++)
        {
            var reading = item.Readings[k];
            var screen = item.ScreenOf(k);
            var model = screen.Model.Length == 0 ? 0 : ModelRef(screen.Model, transaction);
            ReadingItems.WriteEntry(ref writer, reading, previousSeq, previousTs, SchemaRef(reading.Schema, reading.SchemaVersion, transaction), model, screen);
            (previousSeq, previousTs) = (reading.Sequence, reading.Timestamp);
        }
        return _body.AsSpan(0, writer.Position);
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

    private long DeviceRef(Address device, SqliteTransaction transaction) =>
        Ref(_deviceRefs, _devices, device, transaction, "INSERT INTO devices (id) VALUES ($a) RETURNING ref", device.ToArray());

    private long SchemaRef(string schema, ushort version, SqliteTransaction transaction) =>
        Ref(_schemaRefs, _schemas, (schema, version), transaction, "INSERT INTO schemas (id, version) VALUES ($a, $b) RETURNING ref", schema, (int)version);

    private long ModelRef(string model, SqliteTransaction transaction) =>
        Ref(_modelRefs, _models, model, transaction, "INSERT INTO models (name) VALUES ($a) RETURNING ref", model);

    /// <summary>
    /// The small integer a device, schema or model is stored under: known already, or inserted now
    /// (with <paramref name="columns"/> bound to $a, $b) and remembered both ways.
    /// </summary>
    private long Ref<TKey>(ConcurrentDictionary<TKey, long> refs, ConcurrentDictionary<long, TKey> keys, TKey key, SqliteTransaction transaction,
        string insert, params object[] columns) where TKey : notnull
    {
        if (refs.TryGetValue(key, out var known))
        {
            return known;
        }
        using var cmd = _writer.CreateCommand();
        cmd.Transaction = transaction;
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
            using var transaction = _writer.BeginTransaction();
            using var cmd = _writer.CreateCommand();
            cmd.Transaction = transaction;
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
            transaction.Commit();
            Interlocked.Exchange(ref _lastAnchored, (long)last);
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

    private void CheckOrWriteMeta(string path, string chainId)
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
        if (meta.GetValueOrDefault("format") == Format2)
        {
            MigrateFromFormat2();
            return;
        }
        if (meta.GetValueOrDefault("format") != Format)
        {
            throw new StorageException($"{path} has format '{meta.GetValueOrDefault("format")}', this node reads '{Format}'");
        }
        if (meta.GetValueOrDefault("chain_id") != chainId)
        {
            throw new StorageException($"{path} holds readings of chain '{meta.GetValueOrDefault("chain_id")}', not '{chainId}'; refusing to mix them");
        }
    }

    /// <summary>
    /// Rewrites a store of format 2 (a row per reading, device batches in a table of their own) as
    /// one row per upload item, in one transaction: the same readings under the same ingest numbers,
    /// signatures and screening. Interrupted, it leaves format 2 in place and runs again on the
    /// next open. A former batch number becomes the batch's first ingest number.
    /// </summary>
    private void MigrateFromFormat2()
    {
        LoadRefs();
        using var transaction = _writer.BeginTransaction();
        using (var insert = InsertItemStatement())
        using (var cmd = _writer.CreateCommand())
        {
            cmd.Transaction = transaction;
            cmd.CommandText = "SELECT r.ingest, r.device, r.seq, r.ts, r.schema, r.vals, r.sig, r.batch, r.model, r.flags, b.sig " +
                "FROM readings r LEFT JOIN batches b ON b.ref = r.batch ORDER BY r.ingest";
            using var reader = cmd.ExecuteReader();
            var group = new List<(Reading Reading, ReadingScreen Screen)>();
            (long First, long? Batch, byte[] Signature) current = (0, null, []);
            void Flush()
            {
                if (group.Count > 0)
                {
                    var item = new AppendItem([.. group.Select(g => g.Reading)], current.Signature, current.Batch is not null, [.. group.Select(g => g.Screen)]);
                    InsertItem(insert, current.First, item, transaction);
                    group.Clear();
                }
            }
            while (reader.Read())
            {
                var ingest = reader.GetInt64(0);
                long? batch = reader.IsDBNull(7) ? null : reader.GetInt64(7);
                if (group.Count == 0 || batch is null || batch != current.Batch)
                {
                    Flush();
                    var signature = reader.IsDBNull(batch is null ? 6 : 10) ? null : (byte[])reader.GetValue(batch is null ? 6 : 10);
                    current = (ingest, batch, signature ?? throw Damaged2(ingest));
                }
                if (ingest != current.First + group.Count)
                {
                    throw Damaged2(ingest);
                }
                var values = new SpanReader((byte[])reader.GetValue(5));
                var decoded = values.ReadVarInts(TelemetrySchema.MaxFields);
                if (!values.Ok || values.Remaining != 0 || !_devices.TryGetValue(reader.GetInt64(1), out var device) ||
                    !_schemas.TryGetValue(reader.GetInt64(4), out var schema))
                {
                    throw Damaged2(ingest);
                }
                var screen = ReadingScreen.None;
                if (!reader.IsDBNull(8))
                {
                    var flags = reader.IsDBNull(9) ? [] : ReadingScreen.DecodeFlags((byte[])reader.GetValue(9)) ?? throw Damaged2(ingest);
                    screen = new ReadingScreen(_models.TryGetValue(reader.GetInt64(8), out var model) ? model : throw Damaged2(ingest), flags);
                }
                group.Add((new Reading(device, unchecked((ulong)reader.GetInt64(2)), unchecked((ulong)reader.GetInt64(3)), schema.Id, schema.Version, decoded), screen));
            }
            Flush();
        }
        using (var cmd = _writer.CreateCommand())
        {
            cmd.Transaction = transaction;
            cmd.CommandText = $"DROP TABLE readings; DROP TABLE batches; UPDATE meta SET value = '{Format}' WHERE key = 'format';";
            cmd.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static StorageException Damaged2(long ingest) =>
        new($"{DatabaseFileName} (format 2) cannot be converted: reading {ingest} or its device batch is damaged; nothing was changed");

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
    }

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
