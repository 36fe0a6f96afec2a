using Microsoft.Data.Sqlite;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Epcis;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Epcis;

/// <summary>An anchored event as the chain recorded it: its record, the block and anchor tx, its chunk and place in the chunk, and who captured it.</summary>
public sealed record AnchoredEvent(EpcisEventRecord Record, ulong Height, Hash Tx, int Chunk, int Position, string Org, Address Capturer);

/// <summary>An item flagged by an anchored event (an item-flagged event of an anchor tx): the block, the item, the rule's code, the event's hash, the capturing organisation.</summary>
public sealed record FlaggedItem(long Number, ulong Height, string Item, string Code, string Event, string Org);

/// <summary>How an anchored event names an identifier.</summary>
public enum EpcisLink : byte
{
    /// <summary>An item or lot the event is about (epcList, childEPCs, quantity classes).</summary>
    Names = 0,
    /// <summary>The parent of an aggregation.</summary>
    Parent = 1,
    /// <summary>An input of a transformation.</summary>
    Input = 2,
    /// <summary>An output of a transformation.</summary>
    Output = 3,
}

/// <summary>
/// Every event anchored on the chain, whichever node captured it (epcis-chain.db in the data
/// directory, built from the blocks and rebuilt from them when deleted): each event's record, its
/// anchor tx and place in it, its capturer, and which identifiers it names in which role. Traces
/// and journeys read it, so they cross organisations and nodes; it holds records, not documents
/// (a document stays at the node that captured it).
/// </summary>
public sealed class EpcisChainIndex : IDisposable
{
    public const string FileName = "epcis-chain.db";
    private const string Format = "2";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS anchored (n INTEGER PRIMARY KEY, digest BLOB NOT NULL, height INTEGER NOT NULL, tx BLOB NOT NULL, chunk INTEGER NOT NULL, position INTEGER NOT NULL,
            org TEXT NOT NULL, capturer BLOB NOT NULL, record BLOB NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS anchored_digest ON anchored (digest);
        CREATE TABLE IF NOT EXISTS links (id TEXT NOT NULL, role INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (id, role, n)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS flags (n INTEGER PRIMARY KEY, height INTEGER NOT NULL, item TEXT NOT NULL, code TEXT NOT NULL, event TEXT NOT NULL, org TEXT NOT NULL);
        """;

    private const string Columns = "record, height, tx, chunk, position, org, capturer";

    private readonly SqliteConnection _writer;
    private readonly string _connectionString;
    private readonly object _writeLock = new();
    private long _writtenAt;
    private bool _disposed;

    private EpcisChainIndex(SqliteConnection writer, string connectionString, ulong height)
    {
        _writer = writer;
        _connectionString = connectionString;
        Height = height;
    }

    /// <summary>The last block whose anchors are indexed.</summary>
    public ulong Height { get; private set; }

    /// <summary>Opens the index; one of another format, or a file that does not open, is deleted and rebuilt from the blocks.</summary>
    public static EpcisChainIndex Open(string directory, string chainId)
    {
        SqliteConnection writer;
        string connectionString;
        try
        {
            (writer, connectionString) = SqliteFile.Open(directory, FileName, Schema, "EPCIS chain index", durable: false);
        }
        catch (StorageException)
        {
            // Damaged, or not SQLite at all: what it held is in the blocks.
            Delete(directory);
            (writer, connectionString) = SqliteFile.Open(directory, FileName, Schema, "EPCIS chain index", durable: false);
        }
        var meta = SqliteFile.ReadMeta(writer);
        if (meta.Count > 0 && meta.GetValueOrDefault("chain") == chainId && meta.GetValueOrDefault("format") != Format)
        {
            writer.Dispose();
            Delete(directory);
            (writer, connectionString) = SqliteFile.Open(directory, FileName, Schema, "EPCIS chain index", durable: false);
            meta.Clear();
        }
        if (meta.Count == 0)
        {
            SqliteFile.WriteMeta(writer, ("format", Format), ("chain", chainId), ("height", "0"));
            meta["height"] = "0";
        }
        else if (meta.GetValueOrDefault("chain") != chainId)
        {
            writer.Dispose();
            throw new StorageException($"{Path.Combine(directory, FileName)} indexes chain '{meta.GetValueOrDefault("chain")}', not '{chainId}'; delete it and the node rebuilds it from the blocks");
        }
        return new EpcisChainIndex(writer, connectionString, ulong.Parse(meta["height"], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void Delete(string directory)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path.Combine(directory, FileName + suffix));
        }
    }

    /// <summary>Indexes the anchored events of blocks up to <paramref name="height"/> (none may be below <see cref="Height"/>) in one transaction.</summary>
    public void Add(ulong height, IReadOnlyList<AnchoredEvent> events, IReadOnlyList<FlaggedItem> flags)
    {
        lock (_writeLock)
        {
            if (height <= Height)
            {
                return;
            }
            var before = Height;
            try
            {
                SqliteFile.InTransaction(_writer, () => Write(height, events, flags));
            }
            catch
            {
                Height = before;
                throw;
            }
        }
    }

    private void Write(ulong height, IReadOnlyList<AnchoredEvent> events, IReadOnlyList<FlaggedItem> flags)
    {
        using (var flag = new SqliteStatement(_writer, "INSERT INTO flags (height, item, code, event, org) VALUES ($1, $2, $3, $4, $5)"))
        {
            foreach (var f in flags)
            {
                flag.Bind(1, (long)f.Height).Bind(2, f.Item).Bind(3, f.Code).Bind(4, f.Event).Bind(5, f.Org).Execute();
            }
        }
        using var insert = new SqliteStatement(_writer, $"INSERT OR IGNORE INTO anchored (digest, {Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        using var link = new SqliteStatement(_writer, "INSERT OR IGNORE INTO links (id, role, n) VALUES ($1, $2, $3)");
        foreach (var e in events)
        {
            // An event anchored twice is indexed once, as execution counted it once.
            if (insert.Bind(1, e.Record.Digest.ToArray()).Bind(2, Canonical.Encode(e.Record)).Bind(3, (long)e.Height).Bind(4, e.Tx.ToArray()).Bind(5, e.Chunk).Bind(6, e.Position)
                .Bind(7, e.Org).Bind(8, e.Capturer.ToArray()).ExecuteInsertIfNew() is not { } n)
            {
                continue;
            }
            void Link(string id, EpcisLink role) => link.Bind(1, id).Bind(2, (long)role).Bind(3, n).Execute();
            if (e.Record.Parent.Length > 0)
            {
                Link(e.Record.Parent, EpcisLink.Parent);
            }
            foreach (var id in e.Record.Epcs)
            {
                Link(id, EpcisLink.Names);
            }
            foreach (var id in e.Record.Inputs)
            {
                Link(id, EpcisLink.Input);
            }
            foreach (var id in e.Record.Outputs)
            {
                Link(id, EpcisLink.Output);
            }
        }
        Height = height;
        WriteHeight();
    }

    /// <summary>
    /// Blocks up to <paramref name="height"/> hold no anchors: the index is current to there. Written
    /// down at most every few seconds (a restart then reads at most those blocks again).
    /// </summary>
    public void Advance(ulong height)
    {
        lock (_writeLock)
        {
            if (height <= Height)
            {
                return;
            }
            Height = height;
            if (Environment.TickCount64 - _writtenAt >= 5_000)
            {
                WriteHeight();
            }
        }
    }

    private void WriteHeight()
    {
        using var mark = new SqliteStatement(_writer, "UPDATE meta SET value = $1 WHERE key = 'height'");
        mark.Bind(1, Height.ToString(System.Globalization.CultureInfo.InvariantCulture)).Execute();
        _writtenAt = Environment.TickCount64;
    }

    /// <summary>Flagged items, newest first, before flag number <paramref name="before"/> (all when null), at most <paramref name="limit"/>.</summary>
    public List<FlaggedItem> Flags(long? before, int limit) =>
        SqliteFile.Query(_connectionString, "SELECT n, height, item, code, event, org FROM flags WHERE n < $b ORDER BY n DESC LIMIT $n",
            r => new FlaggedItem(r.GetInt64(0), (ulong)r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)), ("$b", before ?? long.MaxValue), ("$n", limit));

    /// <summary>Whether any anchored event names <paramref name="id"/>.</summary>
    public bool Knows(string id) => SqliteFile.Query(_connectionString, "SELECT 1 FROM links WHERE id = $id LIMIT 1", _ => true, ("$id", id)).Count > 0;

    public AnchoredEvent? Find(in Hash digest) =>
        SqliteFile.Query(_connectionString, $"SELECT {Columns} FROM anchored WHERE digest = $d", Read, ("$d", digest.ToArray())).FirstOrDefault();

    /// <summary>The anchored events that name <paramref name="id"/> in any role, at most <paramref name="limit"/>.</summary>
    public List<AnchoredEvent> Naming(string id, int limit) =>
        SqliteFile.Query(_connectionString, $"SELECT {Columns} FROM anchored WHERE n IN (SELECT DISTINCT n FROM links WHERE id = $id LIMIT $n)", Read,
            ("$id", id), ("$n", limit));

    private static AnchoredEvent Read(SqliteDataReader r)
    {
        var reader = new SpanReader((byte[])r[0]);
        var record = EpcisEventRecord.Read(ref reader);
        if (reader.Finish() != CodecError.None)
        {
            throw new StorageCorruptException($"an event record in {FileName} is damaged; delete the file and the node rebuilds it from the blocks");
        }
        return new AnchoredEvent(record, (ulong)r.GetInt64(1), new Hash((byte[])r[2]), r.GetInt32(3), r.GetInt32(4), r.GetString(5), new Address((byte[])r[6]));
    }

    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            WriteHeight();
            _writer.Dispose();
        }
    }
}
