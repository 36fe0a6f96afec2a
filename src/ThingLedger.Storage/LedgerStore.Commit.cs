using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;

namespace ThingLedger.Storage;

public sealed partial class LedgerStore
{
    /// <summary>
    /// Applies an executed block: updates state, builds the header, has it attested, and writes
    /// everything in one SQLite transaction. If anything fails the store is faulted and refuses
    /// further commits; a restart recovers from what is on disk.
    /// </summary>
    /// <remarks>
    /// Readers of committed values (admission's nonce checks, queries) are excluded only while
    /// the block's values are staged and while it is published, not while it is written to disk:
    /// until publication they keep seeing the previous block's values. Proofs and the head
    /// change together, at publication.
    /// </remarks>
    /// <param name="expected">
    /// A header this block must reproduce exactly (a block fetched from another peer). When the
    /// locally computed header differs, nothing is written, state is left as it was, and
    /// <see cref="BlockMismatchException"/> is thrown.
    /// </param>
    public ChainHead CommitBlock(ulong timestamp, IReadOnlyList<Transaction> txs, IReadOnlyList<Receipt> receipts,
        StateChange[] changes, Func<BlockHeader, FinalityCertificate> attest, BlockHeader? expected = null)
    {
        if (txs.Count != receipts.Count)
        {
            throw new ArgumentException("one receipt per tx", nameof(receipts));
        }
        lock (_commitGate)
        {
            if (_faulted)
            {
                throw new StorageException("the store failed an earlier commit; restart the node to recover from disk");
            }
            _faulted = true;
            var head = _head;
            var height = head is null ? 0 : head.Height + 1;
            var previous = head?.Header.Hash ?? Genesis.Hash;
            WithWriteLock(() => _state.Stage(changes));
            var root = _state.UpdateTree(changes);
            var header = BlockBuilder.Header(Genesis.ChainId, height, previous, timestamp, txs, receipts, root);
            if (expected is not null && expected.Hash != header.Hash)
            {
                WithWriteLock(_state.Revert);
                _faulted = false;
                throw new BlockMismatchException(expected, header);
            }
            FinalityCertificate certificate;
            try
            {
                certificate = attest(header);
                WriteBlock(header, certificate, txs, receipts, changes);
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                // Nothing of the block is on disk (its transaction rolled back): put state back as
                // it was, so the same block can be committed again once the cause is gone (space
                // freed). A damaged file stays refused until it is repaired.
                WithWriteLock(_state.Revert);
                var failure = StorageException.ForFailedWrite($"block {height} was not committed", e);
                _faulted = failure is StorageCorruptException;
                throw failure;
            }
            var committed = new ChainHead(header, certificate);
            WithWriteLock(() =>
            {
                _state.Publish();
                _head = committed;
            });
            _faulted = false;
            return committed;
        }
    }

    private void WithWriteLock(Action action)
    {
        _lock.EnterWriteLock();
        try
        {
            action();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void WriteBlock(BlockHeader header, FinalityCertificate certificate, IReadOnlyList<Transaction> txs, IReadOnlyList<Receipt> receipts, StateChange[] changes) =>
        SqliteFile.InTransaction(_writer, () => WriteBlockRows(header, certificate, txs, receipts, changes));

    private void WriteBlockRows(BlockHeader header, FinalityCertificate certificate, IReadOnlyList<Transaction> txs, IReadOnlyList<Receipt> receipts, StateChange[] changes)
    {
        using (var block = _writer.CreateCommand())
        {
            block.CommandText = "INSERT INTO blocks (height, hash, header, certificate, tx_count, timestamp) VALUES ($h, $hash, $header, $cert, $n, $t)";
            block.Parameters.AddWithValue("$h", (long)header.Height);
            block.Parameters.AddWithValue("$hash", header.Hash.ToArray());
            block.Parameters.AddWithValue("$header", header.Encode());
            block.Parameters.AddWithValue("$cert", certificate.Encode());
            block.Parameters.AddWithValue("$n", txs.Count);
            block.Parameters.AddWithValue("$t", (long)header.Timestamp);
            block.ExecuteNonQuery();
        }
        if (txs.Count > 0)
        {
            using var insert = new SqliteStatement(_writer, "INSERT INTO txs (height, idx, id, signer, status, raw, receipt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
            insert.Bind(1, (long)header.Height);
            Span<byte> id = stackalloc byte[Hash.Size];
            Span<byte> signer = stackalloc byte[Address.Size];
            for (var n = 0; n < txs.Count; n++)
            {
                txs[n].Id.CopyTo(id);
                txs[n].SignerAddress.CopyTo(signer);
                insert.Bind(2, n).Bind(3, id).Bind(4, signer).Bind(5, (int)receipts[n].Status)
                    .Bind(6, txs[n].Encoded.Span).Bind(7, receipts[n].Encoded.Span)
                    .Execute();
            }
            WriteActivity(header.Height, receipts);
        }
        if (changes.Length > 0)
        {
            using var upsert = new SqliteStatement(_writer, "INSERT INTO state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
            using var delete = new SqliteStatement(_writer, "DELETE FROM state WHERE key = ?1");
            foreach (var change in changes)
            {
                if (change.Value is null)
                {
                    delete.Bind(1, change.Key).Execute();
                }
                else
                {
                    upsert.Bind(1, change.Key).Bind(2, change.Value).Execute();
                }
            }
        }
    }
}

/// <summary>Executing a fetched block did not reproduce its header: the block was not committed.</summary>
public sealed class BlockMismatchException(BlockHeader expected, BlockHeader computed) : StorageException(
    $"block {expected.Height}: executing it here gives state root {computed.StateRoot} and receipts root {computed.ReceiptsRoot}, " +
    $"its header says {expected.StateRoot} and {expected.ReceiptsRoot}; it was not committed")
{
    public BlockHeader Expected { get; } = expected;
    public BlockHeader Computed { get; } = computed;
}

public sealed partial class LedgerStore
{
    /// <summary>
    /// Replaces a committed block's certificate with a stronger one (a quorum of attestations
    /// collected after the block was committed). The header is unchanged: the caller checked that
    /// every attestation signs this block's hash and state root.
    /// </summary>
    public void SetCertificate(ulong height, FinalityCertificate certificate)
    {
        lock (_commitGate)
        {
            using (var update = _writer.CreateCommand())
            {
                update.CommandText = "UPDATE blocks SET certificate = $c WHERE height = $h";
                update.Parameters.AddWithValue("$c", certificate.Encode());
                update.Parameters.AddWithValue("$h", (long)height);
                if (update.ExecuteNonQuery() != 1)
                {
                    throw new StorageException($"block {height} is not committed; its certificate cannot be stored");
                }
            }
            if (_head is { } head && head.Height == height)
            {
                _head = head with { Certificate = certificate };
            }
        }
    }

    /// <summary>
    /// The highest block among the newest <paramref name="scan"/> whose stored certificate holds at
    /// least the quorum in force at its height (<paramref name="quorumAt"/>) of attestations (the certificates were checked when stored).
    /// </summary>
    public ulong HighestCertified(Func<ulong, int> quorumAt, int scan)
    {
        foreach (var head in RecentBlocks(_head?.Height ?? 0, scan))
        {
            if (head.Certificate.Attestations.Length >= quorumAt(head.Height))
            {
                return head.Height;
            }
        }
        return 0;
    }
}
