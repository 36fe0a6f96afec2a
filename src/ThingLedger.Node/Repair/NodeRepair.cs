using Microsoft.Data.Sqlite;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Storage;

namespace ThingLedger.Node.Repair;

/// <summary>What repair did to one database file.</summary>
public sealed record RepairOutcome(string File, bool Usable, string What);

/// <summary>
/// <c>thingledger node repair</c>: makes a damaged data directory usable again, keeping a copy of
/// every file it replaces. For each database it first rebuilds the indexes in place (indexes
/// hold nothing that is not in the tables; SQLite can do this only when it can still read the
/// damaged pages). A ledger that this does not mend is rebuilt from its own blocks: every block that can still
/// be read is executed again in order on a new file and must reproduce its stored header exactly
/// (so the rebuilt ledger is the same chain, state root for state root); the rebuild stops at the
/// first block that cannot be read or reproduced and says how far it got. The reading store cannot
/// be rebuilt from anything (its readings exist only there): if rebuilding its indexes does not
/// mend it, repair says so and leaves it as it was. The node must not be running.
/// </summary>
public static class NodeRepair
{
    public static IReadOnlyList<RepairOutcome> Run(string directory, Action<string> progress)
    {
        var genesis = DataDirectory.LoadGenesis(directory);
        var outcomes = new List<RepairOutcome>();
        var ledger = Path.Combine(directory, LedgerStore.DatabaseFileName);
        if (File.Exists(ledger))
        {
            outcomes.Add(RepairLedger(directory, ledger, genesis, progress));
        }
        var readings = Path.Combine(directory, ReadingStore.DatabaseFileName);
        if (File.Exists(readings))
        {
            outcomes.Add(RepairReadings(directory, readings, genesis, progress));
        }
        return outcomes;
    }

    private static RepairOutcome RepairLedger(string directory, string path, Genesis genesis, Action<string> progress)
    {
        void Open() => LedgerStore.Open(directory, genesis, StateMachine.Create(genesis.ChainId).Events).Dispose();
        if (Passes(path) && Opens(Open))
        {
            return new RepairOutcome(path, true, "no damage found");
        }
        var backup = Backup(path, progress);
        if (Reindex(path, progress) && Opens(Open))
        {
            return new RepairOutcome(path, true, $"indexes rebuilt; the damaged file is kept as {backup}");
        }
        progress($"{path}: rebuilding from the blocks of {backup}");
        var rebuilt = Path.Combine(directory, "repair-in-progress");
        if (Directory.Exists(rebuilt))
        {
            // Left by a repair that was interrupted: it never replaced anything.
            Directory.Delete(rebuilt, recursive: true);
        }
        Directory.CreateDirectory(rebuilt);
        var (height, stoppedBecause) = Rebuild(backup, rebuilt, genesis, progress);
        SqliteConnection.ClearAllPools();
        DeleteDatabase(path);
        File.Move(Path.Combine(rebuilt, LedgerStore.DatabaseFileName), path);
        Directory.Delete(rebuilt, recursive: true);
        return new RepairOutcome(path, true, stoppedBecause is null
            ? $"rebuilt from its blocks: all {height + 1} blocks (0 to {height}) executed again and reproduced; the damaged file is kept as {backup}"
            : $"rebuilt from its blocks up to block {height}; {stoppedBecause}. Later blocks are lost from this file (the damaged one is kept as {backup}): " +
              "a consortium peer fetches them from the others; a solo node refuses to start below a block it signed (restore a backup)");
    }

    private static RepairOutcome RepairReadings(string directory, string path, Genesis genesis, Action<string> progress)
    {
        void Open() => ReadingStore.Open(directory, genesis.ChainId).Dispose();
        if (Passes(path) && Opens(Open))
        {
            return new RepairOutcome(path, true, "no damage found");
        }
        var backup = Backup(path, progress);
        if (Reindex(path, progress) && Opens(Open))
        {
            return new RepairOutcome(path, true, $"indexes rebuilt; the damaged file is kept as {backup}");
        }
        return new RepairOutcome(path, false,
            $"damaged beyond its indexes, and its readings exist nowhere else: restore readings.db from this node's backup (a copy of the damaged file is in {backup})");
    }

    private static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static bool Passes(string path)
    {
        try
        {
            using var connection = Connect(path);
            return QuickCheck(connection);
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>Rebuilds every index of the file; true when it passes SQLite's quick check afterwards.</summary>
    private static bool Reindex(string path, Action<string> progress)
    {
        try
        {
            using var connection = Connect(path);
            progress($"{path}: rebuilding its indexes");
            using (var reindex = connection.CreateCommand())
            {
                reindex.CommandText = "REINDEX";
                reindex.ExecuteNonQuery();
            }
            return QuickCheck(connection);
        }
        catch (SqliteException e)
        {
            progress($"{path}: rebuilding the indexes did not mend it ({e.Message})");
            return false;
        }
    }

    private static bool QuickCheck(SqliteConnection connection)
    {
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA quick_check(1)";
        return check.ExecuteScalar() as string == "ok";
    }

    private static bool Opens(Action open)
    {
        try
        {
            open();
            return true;
        }
        catch (StorageException)
        {
            return false;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>
    /// Re-executes the blocks of <paramref name="damaged"/> into a new ledger in <paramref name="target"/>:
    /// returns the last block reproduced and, when it stopped early, why.
    /// </summary>
    internal static (ulong Height, string? StoppedBecause) Rebuild(string damaged, string target, Genesis genesis, Action<string> progress)
    {
        using var source = Connect(damaged);
        var machine = StateMachine.Create(genesis.ChainId);
        using var store = LedgerStore.Open(target, genesis, machine.Events);
        for (ulong height = 0; ; height++)
        {
            StoredBlockRecord? block;
            try
            {
                block = ReadBlock(source, height);
            }
            catch (SqliteException e)
            {
                return (height - 1, $"block {height} cannot be read ({e.Message})");
            }
            if (block is null)
            {
                return height == 0 ? throw new StorageException($"{damaged} has no readable genesis block; the ledger cannot be rebuilt from it") : (height - 1, null);
            }
            var (header, certificate, txs) = block.Value;
            try
            {
                if (height == 0)
                {
                    store.CommitBlock(header.Timestamp, [], [], machine.Genesis(genesis, store), _ => certificate, header);
                }
                else
                {
                    var executed = machine.ExecuteBlock(store, height, header.Timestamp, txs);
                    store.CommitBlock(header.Timestamp, txs, executed.Receipts, executed.Changes, _ => certificate, header);
                }
            }
            catch (BlockMismatchException e)
            {
                return (height - 1, $"block {height} does not reproduce its stored header ({e.Message})");
            }
            if (height % 10_000 == 0 && height > 0)
            {
                progress($"rebuilt {height} blocks");
            }
        }
    }

    private readonly record struct StoredBlockRecord(BlockHeader Header, FinalityCertificate Certificate, List<Transaction> Txs);

    /// <summary>A block's header, certificate and txs read through the tables' own keys (no secondary index), or null past the last block.</summary>
    private static StoredBlockRecord? ReadBlock(SqliteConnection source, ulong height)
    {
        BlockHeader? header;
        FinalityCertificate? certificate;
        using (var cmd = source.CreateCommand())
        {
            cmd.CommandText = "SELECT header, certificate FROM blocks WHERE height = $h";
            cmd.Parameters.AddWithValue("$h", (long)height);
            using var reader = cmd.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }
            if (BlockHeader.TryDecode((byte[])reader.GetValue(0), out header) != CodecError.None ||
                FinalityCertificate.TryDecode((byte[])reader.GetValue(1), out certificate) != CodecError.None || header!.Height != height)
            {
                throw new SqliteException($"the stored header or certificate of block {height} does not decode", 11);
            }
        }
        var txs = new List<Transaction>((int)header.TxCount);
        using (var cmd = source.CreateCommand())
        {
            cmd.CommandText = "SELECT raw FROM txs WHERE height = $h ORDER BY idx";
            cmd.Parameters.AddWithValue("$h", (long)height);
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                if (Transaction.TryDecode((byte[])reader.GetValue(0), out var tx) != CodecError.None)
                {
                    throw new SqliteException($"a stored tx of block {height} does not decode", 11);
                }
                txs.Add(tx!);
            }
        }
        if (txs.Count != header.TxCount)
        {
            throw new SqliteException($"block {height} holds {header.TxCount} txs, {txs.Count} could be read", 11);
        }
        return new StoredBlockRecord(header, certificate!, txs);
    }

    /// <summary>Copies the database and its WAL aside, before anything is changed, and returns the copy's path.</summary>
    private static string Backup(string path, Action<string> progress)
    {
        var stamp = $"{path}.damaged-{DateTime.UtcNow:yyyyMMddTHHmmss}";
        var backup = stamp;
        for (var n = 2; File.Exists(backup); n++)
        {
            backup = $"{stamp}-{n}";
        }
        File.Copy(path, backup);
        if (File.Exists(path + "-wal"))
        {
            File.Copy(path + "-wal", backup + "-wal");
        }
        progress($"copied {path} to {backup}");
        return backup;
    }

    private static void DeleteDatabase(string path)
    {
        File.Delete(path);
        File.Delete(path + "-wal");
        File.Delete(path + "-shm");
    }
}
