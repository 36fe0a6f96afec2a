using ThingLedger.Core.Ledger;

namespace ThingLedger.Ordering;

/// <summary>
/// The txs of one block in their final order, with the block time chosen by ordering.
/// <paramref name="Height"/> is set when ordering numbers blocks itself (etcd); solo leaves it
/// null (the next height). <paramref name="SignaturesVerified"/> is false when the txs come from
/// a shared log and every signature must be checked again before execution.
/// </summary>
public sealed record OrderedBatch(ulong? Height, ulong Timestamp, IReadOnlyList<Transaction> Transactions, bool SignaturesVerified);

/// <summary>
/// Ordering decides which admitted txs go into which block, in which order, and at what time.
/// It never executes anything. Implementations: solo (in-process) and, for a consortium, etcd.
/// </summary>
public interface ISequencer
{
    /// <summary>
    /// Hands admitted txs to ordering, in this order. Called under admission's lock, so the txs
    /// are taken at once; the task completes when ordering holds them durably, with null, or with
    /// a stable error code (MEMPOOL_FULL, ORDERING_UNAVAILABLE) when it could not take them.
    /// </summary>
    Task<string?> Enqueue(IReadOnlyList<Transaction> txs);

    /// <summary>Txs handed over and not yet cut into a block.</summary>
    int Pending { get; }

    /// <summary>The ordered stream of batches; each becomes exactly one block.</summary>
    IAsyncEnumerable<OrderedBatch> ReadBatchesAsync(CancellationToken cancellationToken);
}
