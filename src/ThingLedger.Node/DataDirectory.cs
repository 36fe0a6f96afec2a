using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Storage;

namespace ThingLedger.Node;

/// <summary>
/// The files of a node's data directory: genesis.json (the chain it serves), node.key (its
/// validator key, PKCS#8 PEM, readable by the owner only), signer-state (the highest block that
/// key attested), ledger.db and readings.db.
/// </summary>
public static class DataDirectory
{
    public const string GenesisFile = "genesis.json";
    public const string NodeKeyFile = "node.key";

    public static string GenesisPath(string directory) => Path.Combine(directory, GenesisFile);

    public static string NodeKeyPath(string directory) => Path.Combine(directory, NodeKeyFile);

    /// <summary>
    /// Creates <paramref name="directory"/> with a <c>.gitignore</c> that ignores all of it: a data
    /// directory holds private keys and databases, and must never be committed by accident, wherever
    /// it is created (inside a repository included).
    /// </summary>
    public static void CreateIgnored(string directory)
    {
        Directory.CreateDirectory(directory);
        var ignore = Path.Combine(directory, ".gitignore");
        if (!File.Exists(ignore))
        {
            File.WriteAllText(ignore, "# A ThingLedger data directory: private keys and databases. Never commit it.\n*\n");
        }
    }

    public static Genesis LoadGenesis(string directory)
    {
        var path = GenesisPath(directory);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} not found: this is not a ThingLedger data directory (run `thingledger init`)");
        }
        return Genesis.Parse(File.ReadAllText(path));
    }

    public static KeyPair LoadNodeKey(string directory)
    {
        var path = NodeKeyPath(directory);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} not found: the node needs its validator key");
        }
        return KeyPair.ImportPem(File.ReadAllText(path));
    }

    /// <summary>
    /// Checks that the stores of a data directory tell one story before the node serves anything:
    /// the ledger must have reached every block the reading store recorded an anchor in and every
    /// block the validator key attested, and the reading store must hold every reading the chain
    /// says this node anchored. A store that is behind (restored from an old backup, emptied,
    /// replaced) is refused with what to do, because a node started on it would sign a second,
    /// different block at a height it signed before. A consortium peer whose ledger alone is behind
    /// may start: it takes the missing blocks from the consortium, attesting none of the heights
    /// it already attested, and accepts no txs or readings until it has caught up; the height it
    /// must reach is returned (null when nothing is behind).
    /// </summary>
    /// <summary>
    /// Refuses a data directory whose ledger file is missing while the files that record what the
    /// node did are there, before anything creates an empty ledger in its place.
    /// </summary>
    public static void CheckLedgerPresent(string directory)
    {
        var ledger = Path.Combine(directory, LedgerStore.DatabaseFileName);
        if (File.Exists(ledger))
        {
            return;
        }
        var witness = new[] { ReadingStore.DatabaseFileName, SignerState.FileName }.FirstOrDefault(f => File.Exists(Path.Combine(directory, f)));
        if (witness is not null)
        {
            throw new DataDirectoryException(
                $"{ledger} is missing, but {witness} shows this node has run on this data directory: starting on an empty ledger could sign " +
                "a second block at a height it signed before. Restore ledger.db from the backup of this data directory");
        }
    }

    public static ulong? CheckStoresAgree(string directory, LedgerStore ledger, ReadingStore readings, SignerState signer, Address validator, bool consortium)
    {
        var head = ledger.Head?.Height;
        var headText = head is null ? "no block (it is empty)" : $"block {head}";
        var custodian = head is null ? null : TelemetryModule.ReadCustodian(ledger, validator);
        if (custodian is not null && custodian.LastIngest > readings.LastIngest)
        {
            throw new DataDirectoryException(
                $"{Path.Combine(directory, LedgerStore.DatabaseFileName)} says this node anchored readings up to ingest number {custodian.LastIngest}, " +
                $"but {Path.Combine(directory, ReadingStore.DatabaseFileName)} ends at {readings.LastIngest}: the reading store is missing, behind or another node's. " +
                "Restore this node's readings.db from its backup; the readings it anchored exist nowhere else");
        }
        var behindReadings = readings.HighestAnchorHeight > 0 && (head is null || head < readings.HighestAnchorHeight);
        var behindSigner = signer.Height is { } signed && (head is null || head < signed);
        if (!behindReadings && !behindSigner)
        {
            return null;
        }
        var target = Math.Max(readings.HighestAnchorHeight, signer.Height ?? 0);
        var evidence = string.Join(" and ", new[]
        {
            behindReadings ? $"{ReadingStore.DatabaseFileName} recorded anchors committed up to block {readings.HighestAnchorHeight}" : null,
            behindSigner ? $"this validator key attested block {signer.Height} ({SignerState.FileName})" : null,
        }.OfType<string>());
        if (consortium)
        {
            return target;
        }
        throw new DataDirectoryException(
            $"{Path.Combine(directory, LedgerStore.DatabaseFileName)} holds {headText}, but {evidence}: the ledger is behind what this node already did. " +
            "Starting would sign a different block at a height this node signed before. Restore ledger.db from the backup of this data directory " +
            "(or `thingledger node repair --data DIR` if the file is damaged)");
    }
}

/// <summary>The files of a data directory contradict each other; nothing was started or changed.</summary>
public sealed class DataDirectoryException(string message) : StorageException(message);
