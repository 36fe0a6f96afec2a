using Microsoft.Data.Sqlite;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;

namespace ThingLedger.Storage;

/// <summary>
/// The ledger on disk (SQLite, WAL, synchronous=FULL) and its authenticated state in memory.
/// Each block, with its txs, receipts, certificate and state changes, is one SQLite
/// transaction: when <see cref="CommitBlock"/> returns, the block survives kill -9 and power loss.
/// </summary>
public sealed partial class LedgerStore : IStateReader, IDisposable
{
    public const string DatabaseFileName = "ledger.db";

    private readonly SqliteConnection _writer;
    private readonly string _readConnectionString;
    private readonly AuthenticatedState _state = new();
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    // Held for a whole commit: one writer at a time, and proofs never see a tree ahead of the head.
    private readonly object _commitGate = new();
    private volatile ChainHead? _head;
    private bool _faulted;

    private readonly EventCatalog _events;

    private LedgerStore(SqliteConnection writer, string readConnectionString, Genesis genesis, EventCatalog events)
    {
        _events = events;
        _writer = writer;
        _readConnectionString = readConnectionString;
        Genesis = genesis;
    }

    public Genesis Genesis { get; }

    /// <summary>The newest committed block, or null before genesis has been committed.</summary>
    public ChainHead? Head => _head;

    /// <summary>Number of keys in state.</summary>
    public int StateCount
    {
        get
        {
            lock (_commitGate)
            {
                return _state.Count;
            }
        }
    }

    /// <summary>
    /// Opens (or creates) the ledger in <paramref name="directory"/> for <paramref name="genesis"/>.
    /// Refuses a database of another chain, another format, or whose state does not match its head.
    /// A database of the previous format is converted; <paramref name="progress"/> hears about long work.
    /// The activity index reads receipts' events through <paramref name="events"/> (the modules' declarations).
    /// </summary>
    public static LedgerStore Open(string directory, Genesis genesis, EventCatalog events, Action<string>? progress = null)
    {
        var (writer, connectionString) = SqliteFile.Open(directory, DatabaseFileName, Schema.Create, "ThingLedger database");
        var path = Path.Combine(directory, DatabaseFileName);
        var store = new LedgerStore(writer, connectionString, genesis, events);
        try
        {
            store.CheckOrWriteMeta(path);
            store.LoadState(path);
            store.IndexActivityOfOlderBlocks(progress);
        }
        catch
        {
            store.Dispose();
            throw;
        }
        return store;
    }

    private void CheckOrWriteMeta(string path)
    {
        var meta = SqliteFile.ReadMeta(_writer);
        if (meta.Count == 0)
        {
            if (SqliteFile.Scalar(_writer, "SELECT COUNT(*) FROM blocks") != 0 || SqliteFile.Scalar(_writer, "SELECT COUNT(*) FROM state") != 0)
            {
                throw new StorageException($"{path} holds blocks but no metadata: it is damaged; refusing to touch it");
            }
            SqliteFile.WriteMeta(_writer, ("format", Schema.Format), ("chain_id", Genesis.ChainId), ("genesis_hash", Genesis.Hash.ToString()),
                (Schema.ActivityIndexed, "1"));
            return;
        }
        if (!meta.TryGetValue("format", out var format) || format is not (Schema.Format or Schema.Format2))
        {
            throw new StorageException($"{path} has format '{format}', this node reads '{Schema.Format}' and converts '{Schema.Format2}'");
        }
        if (meta.GetValueOrDefault("chain_id") != Genesis.ChainId || meta.GetValueOrDefault("genesis_hash") != Genesis.Hash.ToString())
        {
            throw new StorageException(
                $"{path} belongs to chain '{meta.GetValueOrDefault("chain_id")}' (genesis {meta.GetValueOrDefault("genesis_hash")}), " +
                $"not to '{Genesis.ChainId}' (genesis {Genesis.Hash}); refusing to mix them");
        }
        if (format == Schema.Format2)
        {
            ConvertFromFormat2();
        }
    }

    private void LoadState(string path)
    {
        using (var cmd = _writer.CreateCommand())
        {
            cmd.CommandText = "SELECT key, value FROM state";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                _state.Load(reader.GetString(0), (byte[])reader.GetValue(1));
            }
        }
        using (var cmd = _writer.CreateCommand())
        {
            cmd.CommandText = "SELECT height, hash, header, certificate FROM blocks ORDER BY height DESC LIMIT 1";
            using var reader = cmd.ExecuteReader();
            if (!reader.Read())
            {
                if (_state.Count != 0)
                {
                    throw new StorageException($"{path} has state but no blocks: it is damaged");
                }
                return;
            }
            var head = DecodeHead(reader, 1);
            if (head is null || head.Height != (ulong)reader.GetInt64(0))
            {
                throw new StorageException($"{path}: the head block record is damaged");
            }
            if (head.Header.StateRoot != _state.Root)
            {
                throw new StorageException(
                    $"{path}: state root {_state.Root} does not match block {head.Height}'s state root {head.Header.StateRoot}; the data directory is corrupt");
            }
            _head = head;
        }
    }

    /// <summary>Reads hash (col), header (col+1), certificate (col+2) and checks the hash.</summary>
    private static ChainHead? DecodeHead(SqliteDataReader reader, int column)
    {
        var hash = (byte[])reader.GetValue(column);
        if (BlockHeader.TryDecode((byte[])reader.GetValue(column + 1), out var header) != CodecError.None ||
            FinalityCertificate.TryDecode((byte[])reader.GetValue(column + 2), out var certificate) != CodecError.None ||
            !header!.Hash.ToArray().AsSpan().SequenceEqual(hash))
        {
            return null;
        }
        return new ChainHead(header, certificate!);
    }

    /// <summary>The committed value of a key (what execution reads).</summary>
    public byte[]? Get(string key)
    {
        _lock.EnterReadLock();
        try
        {
            return _state.Get(key);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> with no block committing meanwhile, so every key it reads is of
    /// the one head it is given (a contract query reads many keys). Keep it short: commits wait.
    /// </summary>
    public T Consistent<T>(Func<ChainHead, T> read)
    {
        lock (_commitGate)
        {
            return read(_head ?? throw new InvalidOperationException("the chain has no blocks yet"));
        }
    }

    /// <summary>A key's value (or absence) with its proof against the head's state root, read atomically.</summary>
    public (byte[]? Value, StateProof Proof, ChainHead Head) GetWithProof(string key)
    {
        lock (_commitGate)
        {
            var head = _head ?? throw new InvalidOperationException("the chain has no blocks yet");
            return (_state.Get(key), _state.Prove(key), head);
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _lock.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
