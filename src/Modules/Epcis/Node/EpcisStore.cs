using Microsoft.Data.Sqlite;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Epcis;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Epcis;

/// <summary>A capture as stored: its event count, the capturer's key, each chunk's signature, and the document's @context.</summary>
public sealed record StoredCapture(long Id, uint Count, PublicKey CapturerKey, IReadOnlyList<byte[]> Signatures, string Context, ulong ReceivedMs);

/// <summary>An event as stored: its number at this node, its capture, its place in the document and its chunk, its record and JSON.</summary>
public sealed record StoredEvent(ulong Seq, long Capture, int Index, int Chunk, int ChunkSize, EpcisEventRecord Record, string Json, ulong ReceivedMs);

/// <summary>Which of this node's events an anchor tx covers, and its block.</summary>
public sealed record EpcisAnchorRow(ulong First, ulong Last, Hash Tx, ulong Height);

/// <summary>
/// The events this node captured (epcis.db in the data directory): every capture and its
/// events, numbered 1, 2, … in capture order; which anchor covers which numbers; and an index of
/// the identifiers each event names, for queries and traces. A capture is written in one durable
/// transaction before it is acknowledged.
/// </summary>
public sealed class EpcisStore : IDisposable
{
    public const string FileName = "epcis.db";
    private const string Format = "1";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS captures (id INTEGER PRIMARY KEY, count INTEGER NOT NULL, capturer_key BLOB NOT NULL, signatures BLOB NOT NULL,
            context TEXT NOT NULL, received_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, capture INTEGER NOT NULL, idx INTEGER NOT NULL, chunk INTEGER NOT NULL, chunk_size INTEGER NOT NULL, digest BLOB NOT NULL UNIQUE,
            record BLOB NOT NULL, json TEXT NOT NULL, time_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS event_ids (id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (id, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS anchors (first INTEGER PRIMARY KEY, last INTEGER NOT NULL, tx BLOB NOT NULL, height INTEGER NOT NULL);
        """;

    private readonly SqliteConnection _writer;
    private readonly string _connectionString;
    private readonly object _writeLock = new();

    private EpcisStore(SqliteConnection writer, string connectionString)
    {
        _writer = writer;
        _connectionString = connectionString;
        LastEvent = (ulong)SqliteFile.Scalar(_writer, "SELECT COALESCE(MAX(seq), 0) FROM events");
        LastAnchored = (ulong)SqliteFile.Scalar(_writer, "SELECT COALESCE(MAX(last), 0) FROM anchors");
    }

    /// <summary>The number of the last event stored (0 when none).</summary>
    public ulong LastEvent { get; private set; }

    /// <summary>The number of the last event an anchor covers.</summary>
    public ulong LastAnchored { get; private set; }

    public static EpcisStore Open(string directory, string chainId)
    {
        var (writer, connectionString) = SqliteFile.Open(directory, FileName, Schema, "EPCIS event store");
        var meta = SqliteFile.ReadMeta(writer);
        if (meta.Count == 0)
        {
            SqliteFile.WriteMeta(writer, ("format", Format), ("chain", chainId));
        }
        else if (meta.GetValueOrDefault("chain") != chainId || meta.GetValueOrDefault("format") != Format)
        {
            writer.Dispose();
            throw new StorageException($"{Path.Combine(directory, FileName)} holds events of chain '{meta.GetValueOrDefault("chain")}' (format {meta.GetValueOrDefault("format")}), not of '{chainId}'");
        }
        return new EpcisStore(writer, connectionString);
    }

    /// <summary>Stores a capture and its events in one durable transaction; returns the capture's id and its first event's number.</summary>
    public (long Capture, ulong First) Append(PublicKey capturerKey, IReadOnlyList<byte[]> signatures, string context, ulong receivedMs, IReadOnlyList<EpcisParsedEvent> events)
    {
        lock (_writeLock)
        {
            long capture = 0;
            var first = LastEvent + 1;
            SqliteFile.InTransaction(_writer, () =>
            {
                using (var insert = new SqliteStatement(_writer, "INSERT INTO captures (count, capturer_key, signatures, context, received_ms) VALUES ($1, $2, $3, $4, $5)"))
                {
                    capture = insert.Bind(1, events.Count).Bind(2, capturerKey.Bytes).Bind(3, signatures.SelectMany(b => b).ToArray()).Bind(4, context).Bind(5, (long)receivedMs).ExecuteInsert();
                }
                var chunks = EpcisCaptureSigning.Chunks([.. events.Select(e => e.Record)]);
                using var insertEvent = new SqliteStatement(_writer, "INSERT INTO events (seq, capture, idx, chunk, chunk_size, digest, record, json, time_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
                using var insertId = new SqliteStatement(_writer, "INSERT OR IGNORE INTO event_ids (id, seq) VALUES ($1, $2)");
                var seq = first;
                var chunk = 0;
                for (var i = 0; i < events.Count; i++)
                {
                    var e = events[i];
                    chunk += i == chunks[chunk].Start + chunks[chunk].Count ? 1 : 0;
                    insertEvent.Bind(1, (long)seq).Bind(2, capture).Bind(3, i).Bind(4, chunk).Bind(5, chunks[chunk].Count).Bind(6, e.Record.Digest.ToArray())
                        .Bind(7, Canonical.Encode(e.Record)).Bind(8, e.Json).Bind(9, (long)e.Record.TimeMs).Execute();
                    foreach (var id in e.Record.Ids.Append(e.Record.Location).Where(i => i.Length > 0).Distinct(StringComparer.Ordinal))
                    {
                        insertId.Bind(1, id).Bind(2, (long)seq).Execute();
                    }
                    seq++;
                }
            });
            LastEvent = first + (ulong)events.Count - 1;
            return (capture, first);
        }
    }

    public void RecordAnchors(IReadOnlyList<EpcisAnchorRow> anchors)
    {
        if (anchors.Count == 0)
        {
            return;
        }
        lock (_writeLock)
        {
            SqliteFile.InTransaction(_writer, () =>
            {
                using var insert = new SqliteStatement(_writer, "INSERT OR REPLACE INTO anchors (first, last, tx, height) VALUES ($1, $2, $3, $4)");
                foreach (var a in anchors)
                {
                    insert.Bind(1, (long)a.First).Bind(2, (long)a.Last).Bind(3, a.Tx.ToArray()).Bind(4, (long)a.Height).Execute();
                }
            });
            LastAnchored = Math.Max(LastAnchored, anchors.Max(a => a.Last));
        }
    }

    /// <summary>Events from number <paramref name="from"/> on, at most <paramref name="limit"/>.</summary>
    public List<StoredEvent> Events(ulong from, int limit) =>
        Query(EventColumns + "WHERE seq >= $a ORDER BY seq LIMIT $n", ReadEvent, ("$a", (long)from), ("$n", limit));

    /// <summary>
    /// Events from number <paramref name="first"/> to <paramref name="last"/>, at most
    /// <paramref name="limit"/>, without their JSON (empty) and receipt time (0): what anchoring and
    /// the item rules read, which is a fraction of the bytes.
    /// </summary>
    public List<StoredEvent> Records(ulong first, ulong last, int limit) =>
        Query("SELECT seq, capture, idx, chunk, chunk_size, record FROM events WHERE seq >= $a AND seq <= $b ORDER BY seq LIMIT $n", ReadRecord,
            ("$a", (long)first), ("$b", (long)Math.Min(last, long.MaxValue)), ("$n", limit));

    public StoredEvent? FindEvent(in Hash digest) =>
        Query(EventColumns + "WHERE digest = $d", ReadEvent, ("$d", digest.ToArray())).FirstOrDefault();

    public StoredCapture? Capture(long id) =>
        Query("SELECT id, count, capturer_key, signatures, context, received_ms FROM captures WHERE id = $c", r => new StoredCapture(
            r.GetInt64(0), (uint)r.GetInt64(1), PublicKey.TryCreate((byte[])r[2], out var key) ? key! : throw new StorageCorruptException($"capture {r.GetInt64(0)} in {FileName} has a damaged key"),
            [.. ((byte[])r[3]).Chunk(64)], r.GetString(4), (ulong)r.GetInt64(5)), ("$c", id)).FirstOrDefault();

    public EpcisAnchorRow? AnchorOf(ulong seq) =>
        Query("SELECT first, last, tx, height FROM anchors WHERE first <= $s ORDER BY first DESC LIMIT 1",
            r => new EpcisAnchorRow((ulong)r.GetInt64(0), (ulong)r.GetInt64(1), new Hash((byte[])r[2]), (ulong)r.GetInt64(3)), ("$s", (long)seq))
        .FirstOrDefault(a => a.Last >= seq);

    /// <summary>The numbers of the events after <paramref name="after"/> that name <paramref name="id"/> (or an identifier starting with it), in order, at most <paramref name="limit"/>.</summary>
    public List<ulong> EventsNaming(string id, bool prefix, ulong after, int limit) => prefix
        ? Query("SELECT seq FROM event_ids WHERE id >= $id AND id < $end AND seq > $a LIMIT $n", r => (ulong)r.GetInt64(0),
            ("$id", id), ("$end", id + '\uffff'), ("$a", (long)after), ("$n", limit))
        : Query("SELECT seq FROM event_ids WHERE id = $id AND seq > $a ORDER BY seq LIMIT $n", r => (ulong)r.GetInt64(0), ("$id", id), ("$a", (long)after), ("$n", limit));

    /// <summary>The events of these numbers, in order.</summary>
    public List<StoredEvent> EventsNumbered(IReadOnlyCollection<ulong> seqs) =>
        seqs.Count == 0 ? [] : Query(EventColumns + $"WHERE seq IN ({string.Join(',', seqs)}) ORDER BY seq", ReadEvent);

    private const string EventColumns = "SELECT seq, capture, idx, chunk, chunk_size, record, json, (SELECT received_ms FROM captures WHERE id = capture) FROM events ";

    private static StoredEvent ReadEvent(SqliteDataReader r) => ReadRecord(r) with { Json = r.GetString(6), ReceivedMs = (ulong)r.GetInt64(7) };

    private static StoredEvent ReadRecord(SqliteDataReader r)
    {
        var bytes = (byte[])r[5];
        var reader = new SpanReader(bytes);
        var record = EpcisEventRecord.Read(ref reader);
        if (reader.Finish() != CodecError.None)
        {
            throw new StorageCorruptException($"event {r.GetInt64(0)} in {FileName} has a damaged record");
        }
        return new StoredEvent((ulong)r.GetInt64(0), r.GetInt64(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), record, string.Empty, 0);
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object Value)[] parameters) =>
        SqliteFile.Query(_connectionString, sql, read, parameters);

    public void Dispose() => _writer.Dispose();
}
