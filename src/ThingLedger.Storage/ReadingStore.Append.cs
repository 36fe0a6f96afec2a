using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Storage;

/// <summary>Appending uploads: classification, group commit, and the rows they become.</summary>
public sealed partial class ReadingStore
{
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
            throw StorageException.ForFailedWrite("the readings could not be stored", failure);
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

    /// <summary>Runs just before each transaction of readings commits; a test makes it throw to fail the write.</summary>
    internal Action? BeforeCommitForTests { get; set; }

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
        try
        {
            SqliteFile.InTransaction(_writer, () =>
            {
                using var insert = InsertItemStatement();
                SqliteStatement? historic = null;
                foreach (var item in items)
                {
                    var first = ingest + 1;
                    InsertItem(insert, first, item);
                    if (item.HistoricBy is { } by)
                    {
                        historic ??= new SqliteStatement(_writer, "INSERT INTO historic (first, operator) VALUES (?1, ?2)");
                        historic.Bind(1, first).Bind(2, by.ToArray()).Execute();
                    }
                    for (var k = 0; k < item.Readings.Length; k++)
                    {
                        added.Add(new StoredReading((ulong)++ingest, item.Readings[k], item.IsBatch ? null : item.Signature, item.IsBatch ? first : null)
                        { Screen = item.ScreenOf(k), HistoricBy = item.HistoricBy });
                    }
                }
                historic?.Dispose();
                BeforeCommitForTests?.Invoke();
            });
            lock (_historic)
            {
                for (long first = _lastIngest + 1, i = 0; i < items.Count; first += items[(int)i].Readings.Length, i++)
                {
                    if (items[(int)i].HistoricBy is { } by)
                    {
                        _historic[first] = by;
                    }
                }
            }
        }
        catch
        {
            // Rolled back (the connection has no transaction open again), so the devices, schemas
            // and models it added are not on disk after all: read them again.
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
    private void InsertItem(SqliteStatement insert, long first, AppendItem item)
    {
        var (minTs, maxTs) = ReadingItems.TimeRange(item.Readings);
        var body = EncodeBody(item, minTs);
        insert.Bind(1, first)
            .Bind(2, DeviceRef(item.Readings[0].Device))
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
    private ReadOnlySpan<byte> EncodeBody(AppendItem item, ulong earliest)
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
            var model = screen.Model.Length == 0 ? 0 : ModelRef(screen.Model);
            ReadingItems.WriteEntry(ref writer, reading, previousSeq, previousTs, SchemaRef(reading.Schema, reading.SchemaVersion), model, screen);
            (previousSeq, previousTs) = (reading.Sequence, reading.Timestamp);
        }
        return _body.AsSpan(0, writer.Position);
    }
}
