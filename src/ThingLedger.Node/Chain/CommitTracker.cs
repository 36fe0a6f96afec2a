using System.Collections.Concurrent;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Storage;

namespace ThingLedger.Node.Chain;

/// <summary>Lets requests wait until a tx is committed (durably, with its receipt).</summary>
public sealed class CommitTracker
{
    private readonly ConcurrentDictionary<Hash, TaskCompletionSource<StoredTx>> _waiters = new();
    private readonly LedgerStore _store;
    private readonly Func<Hash, bool> _isPending;

    /// <param name="isPending">Whether admission still holds the tx uncommitted (an in-memory check).</param>
    public CommitTracker(LedgerStore store, Func<Hash, bool> isPending)
    {
        _store = store;
        _isPending = isPending;
    }

    /// <summary>
    /// Admits txs this node signed itself (its anchors) and waits for each to commit, in order,
    /// (<paramref name="admitted"/> once admission took them), calling <paramref name="committed"/> with each one's index and stored form as it does; throws
    /// when one is refused, fails in its block or is not committed within a minute (those before it
    /// were reported, so the caller records what did commit).
    /// </summary>
    public async Task CommitOwnAsync(Admission admission, IReadOnlyList<Core.Ledger.Transaction> txs, Action<int, StoredTx> committed, CancellationToken cancellationToken, Action? admitted = null)
    {
        var results = await admission.AdmitSignedHereAsync([.. txs.Select(t => t.Encode())]).ConfigureAwait(false);
        foreach (var result in results)
        {
            if (!result.Accepted)
            {
                throw new InvalidOperationException($"a {txs[0].Module} {txs[0].Operation} tx was refused by admission: {result.Code} {result.Message}");
            }
        }
        admitted?.Invoke();
        for (var i = 0; i < txs.Count; i++)
        {
            var stored = await WaitAsync(txs[i].Id, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false)
                ?? throw new TimeoutException($"{txs[i].Module} {txs[i].Operation} tx {txs[i].Id} was not committed within a minute");
            if (!stored.Receipt.Succeeded)
            {
                throw new InvalidOperationException($"{txs[i].Module} {txs[i].Operation} tx {txs[i].Id} failed in block {stored.Height}: {stored.Receipt.ErrorCode}");
            }
            committed(i, stored);
        }
    }

    /// <summary>The committed tx, or null when it is not committed within <paramref name="timeout"/>.</summary>
    public async Task<StoredTx?> WaitAsync(Hash id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Register first, then look. The chain commits to disk, then clears admission's pending
        // entry, then resolves waiters: a tx still pending after registration will resolve this
        // waiter; one no longer pending is already on disk. The database is read only then.
        var waiter = _waiters.GetOrAdd(id, static _ => new TaskCompletionSource<StoredTx>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_isPending(id))
        {
            var committed = _store.GetTx(id);
            if (committed is not null)
            {
                _waiters.TryRemove(id, out _);
                return committed;
            }
        }
        try
        {
            return await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public void OnCommitted(ulong height, IReadOnlyList<Transaction> txs, IReadOnlyList<Receipt> receipts)
    {
        if (_waiters.IsEmpty)
        {
            return;
        }
        for (var i = 0; i < txs.Count; i++)
        {
            if (_waiters.TryRemove(txs[i].Id, out var waiter))
            {
                waiter.TrySetResult(new StoredTx(txs[i], receipts[i], height, i));
            }
        }
    }
}
