using ThingLedger.Core.Ledger;

namespace ThingLedger.Ordering;

/// <summary>The txs of one block in their final order, with the block time chosen by ordering.</summary>
public sealed record OrderedBatch(ulong Timestamp, IReadOnlyList<Transaction> Transactions);

/// <summary>
/// Ordering decides which admitted txs go into which block, in which order, and at what time.
/// It never executes anything. Implementations: solo (in-process) and, for a consortium, etcd.
/// </summary>
public interface ISequencer
{
    /// <summary>
    /// Hands admitted txs to ordering. Returns null when taken, or a stable error code
    /// (e.g. MEMPOOL_FULL, NODE_UNAVAILABLE) when ordering cannot take them now.
    /// </summary>
    string? Enqueue(IReadOnlyList<Transaction> txs);

    /// <summary>Txs handed over and not yet cut into a block.</summary>
    int Pending { get; }

    /// <summary>The ordered stream of batches; each becomes exactly one block.</summary>
    IAsyncEnumerable<OrderedBatch> ReadBatchesAsync(CancellationToken cancellationToken);
}
