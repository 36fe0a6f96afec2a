using Microsoft.Data.Sqlite;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Merkle;

namespace ThingLedger.Storage;

/// <summary>A committed tx with the Merkle proofs that tie it and its receipt to a final header.</summary>
public sealed record TxInclusion(StoredTx Stored, MerkleProof TxProof, MerkleProof ReceiptProof, BlockHeader Header, FinalityCertificate Certificate);

public sealed partial class LedgerStore
{
    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    public ChainHead? GetHead(ulong height)
    {
        using var connection = OpenReader();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT height, hash, header, certificate FROM blocks WHERE height = $h";
        cmd.Parameters.AddWithValue("$h", (long)height);
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? DecodeHead(reader, 1) ?? throw Damaged($"block {height}") : null;
    }

    public ChainHead? GetHeadByHash(Hash hash)
    {
        using var connection = OpenReader();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT height, hash, header, certificate FROM blocks WHERE hash = $hash";
        cmd.Parameters.AddWithValue("$hash", hash.ToArray());
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? DecodeHead(reader, 1) ?? throw Damaged($"block {hash}") : null;
    }

    /// <summary>
    /// Committed txs in all blocks: a walk over the block table (one small row per block), for
    /// tools and benchmarks, not for pages.
    /// </summary>
    public long CountTxs()
    {
        using var connection = OpenReader();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT coalesce(sum(tx_count), 0) FROM blocks";
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>The newest blocks at or below <paramref name="fromHeight"/>, newest first (headers and certificates).</summary>
    public IReadOnlyList<ChainHead> RecentBlocks(ulong fromHeight, int limit)
    {
        using var connection = OpenReader();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT height, hash, header, certificate FROM blocks WHERE height <= $h ORDER BY height DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$h", (long)Math.Min(fromHeight, long.MaxValue));
        cmd.Parameters.AddWithValue("$n", limit);
        using var reader = cmd.ExecuteReader();
        var heads = new List<ChainHead>();
        while (reader.Read())
        {
            heads.Add(DecodeHead(reader, 1) ?? throw Damaged($"block {reader.GetInt64(0)}"));
        }
        return heads;
    }

    public StoredBlock? GetBlock(ulong height)
    {
        var head = GetHead(height);
        if (head is null)
        {
            return null;
        }
        var txs = new List<Transaction>();
        var receipts = new List<Receipt>();
        using var connection = OpenReader();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT raw, receipt FROM txs WHERE height = $h ORDER BY idx";
        cmd.Parameters.AddWithValue("$h", (long)height);
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var (tx, receipt) = DecodeTx(reader, 0);
            txs.Add(tx);
            receipts.Add(receipt);
        }
        return new StoredBlock(head.Header, head.Certificate, txs, receipts);
    }

    /// <summary>Up to <paramref name="limit"/> distinct committed tx ids whose hex starts with <paramref name="hexPrefix"/> (lower-case hex, 1–64 digits): one index range.</summary>
    public IReadOnlyList<Hash> TxIdsStartingWith(string hexPrefix, int limit) => HashesStartingWith("SELECT DISTINCT id FROM txs WHERE id BETWEEN $lo AND $hi ORDER BY id LIMIT $n", hexPrefix, limit);

    /// <summary>Up to <paramref name="limit"/> block hashes whose hex starts with <paramref name="hexPrefix"/>.</summary>
    public IReadOnlyList<Hash> BlockHashesStartingWith(string hexPrefix, int limit) => HashesStartingWith("SELECT hash FROM blocks WHERE hash BETWEEN $lo AND $hi ORDER BY hash LIMIT $n", hexPrefix, limit);

    private List<Hash> HashesStartingWith(string sql, string hexPrefix, int limit)
    {
        if (hexPrefix.Length is 0 or > Hash.Size * 2 || !hexPrefix.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            return [];
        }
        var lo = Convert.FromHexString(hexPrefix.PadRight(Hash.Size * 2, '0'));
        var hi = Convert.FromHexString(hexPrefix.PadRight(Hash.Size * 2, 'f'));
        using var connection = OpenReader();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$lo", lo);
        cmd.Parameters.AddWithValue("$hi", hi);
        cmd.Parameters.AddWithValue("$n", limit);
        using var reader = cmd.ExecuteReader();
        var found = new List<Hash>();
        while (reader.Read())
        {
            found.Add(new Hash((byte[])reader.GetValue(0)));
        }
        return found;
    }

    public StoredTx? GetTx(Hash id)
    {
        using var connection = OpenReader();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT raw, receipt, height, idx FROM txs WHERE id = $id ORDER BY height LIMIT 1";
        cmd.Parameters.AddWithValue("$id", id.ToArray());
        using var reader = cmd.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }
        var (tx, receipt) = DecodeTx(reader, 0);
        return new StoredTx(tx, receipt, (ulong)reader.GetInt64(2), reader.GetInt32(3));
    }

    /// <summary>The tx with inclusion proofs for it and its receipt, or null when not committed.</summary>
    public TxInclusion? GetTxInclusion(Hash id)
    {
        var stored = GetTx(id);
        if (stored is null)
        {
            return null;
        }
        var block = GetBlock(stored.Height) ?? throw Damaged($"block {stored.Height}");
        var txProof = MerkleTree.Prove(BlockBuilder.TxLeaves(block.Transactions), stored.Index);
        var receiptProof = MerkleTree.Prove(BlockBuilder.ReceiptLeaves(block.Receipts), stored.Index);
        return new TxInclusion(stored, txProof, receiptProof, block.Header, block.Certificate);
    }

    /// <summary>Txs signed by <paramref name="signer"/>, newest first, before <paramref name="before"/>.</summary>
    public IReadOnlyList<StoredTx> TxsBySigner(Address signer, int limit, TxPosition? before = null) => ReadTxs(
        "SELECT raw, receipt, height, idx FROM txs WHERE signer = $key AND (height, idx) < ($h, $i) ORDER BY height DESC, idx DESC LIMIT $n",
        signer.ToArray(), before, limit);

    /// <summary>The newest committed txs before <paramref name="before"/> (or from the head), newest first.</summary>
    public IReadOnlyList<StoredTx> RecentTxs(TxPosition? before, int limit) => ReadTxs(
        "SELECT raw, receipt, height, idx FROM txs WHERE (height, idx) < ($h, $i) ORDER BY height DESC, idx DESC LIMIT $n",
        null, before, limit);

    private List<StoredTx> ReadTxs(string sql, object? key, TxPosition? before, int limit)
    {
        using var connection = OpenReader();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        if (key is not null)
        {
            cmd.Parameters.AddWithValue("$key", key);
        }
        cmd.Parameters.AddWithValue("$h", before is { } b ? (long)b.Height : long.MaxValue);
        cmd.Parameters.AddWithValue("$i", before is { } c ? c.Index : int.MaxValue);
        cmd.Parameters.AddWithValue("$n", limit);
        using var reader = cmd.ExecuteReader();
        var result = new List<StoredTx>();
        while (reader.Read())
        {
            var (tx, receipt) = DecodeTx(reader, 0);
            result.Add(new StoredTx(tx, receipt, (ulong)reader.GetInt64(2), reader.GetInt32(3)));
        }
        return result;
    }

    /// <summary>Committed state entries whose key starts with <paramref name="prefix"/>, in key order, after <paramref name="after"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> Scan(string prefix, string? after, int limit)
    {
        using var connection = OpenReader();
        using var cmd = connection.CreateCommand();
        // Keys are ASCII by construction; prefix + U+FFFF is above every key that starts with prefix.
        cmd.CommandText = "SELECT key, value FROM state WHERE key >= $from AND key < $to AND key > $after ORDER BY key LIMIT $n";
        cmd.Parameters.AddWithValue("$from", prefix);
        cmd.Parameters.AddWithValue("$to", prefix + '\uffff');
        cmd.Parameters.AddWithValue("$after", after ?? string.Empty);
        cmd.Parameters.AddWithValue("$n", limit);
        using var reader = cmd.ExecuteReader();
        var result = new List<KeyValuePair<string, byte[]>>();
        while (reader.Read())
        {
            result.Add(new(reader.GetString(0), (byte[])reader.GetValue(1)));
        }
        return result;
    }

    private static (Transaction Tx, Receipt Receipt) DecodeTx(SqliteDataReader reader, int column)
    {
        if (Transaction.TryDecode((byte[])reader.GetValue(column), out var tx) != CodecError.None ||
            Receipt.TryDecode((byte[])reader.GetValue(column + 1), out var receipt) != CodecError.None)
        {
            throw Damaged("a stored transaction");
        }
        return (tx!, receipt!);
    }

    private static StorageException Damaged(string what) => new($"the database holds a damaged record: {what}");
}
