using System.Collections.Concurrent;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Epcis;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Epcis;

/// <summary>
/// Keeps <see cref="EpcisChainIndex"/> current: on start it reads the blocks the index has not
/// seen, then it takes every committed block's epcis anchors as they commit (a block without one
/// costs nothing but a look at its receipts). Each anchored event is indexed once, in the block
/// that first anchored it.
/// </summary>
public sealed partial class EpcisChainFollower : BackgroundService
{
    private readonly LedgerNode _node;
    private readonly ILogger<EpcisChainFollower> _logger;
    private readonly ConcurrentQueue<(ulong Height, Hash[] Txs)> _anchors = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly ulong _startHead;
    private long _seen;
    private int _signalled;
    private TaskCompletionSource _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EpcisChainFollower(LedgerNode node, ILogger<EpcisChainFollower> logger)
    {
        _node = node;
        _logger = logger;
        Index = EpcisChainIndex.Open(node.Options.DataDirectory, node.Genesis.ChainId);
        node.Committed += OnCommitted;
        _startHead = node.Head.Height;
    }

    public EpcisChainIndex Index { get; }

    /// <summary>Waits (at most <paramref name="max"/>) until the index covers the chain's head as it is now; false when it does not yet.</summary>
    public async Task<bool> CatchUpAsync(TimeSpan max, CancellationToken cancellationToken)
    {
        var target = _node.Head.Height;
        var deadline = DateTime.UtcNow + max;
        while (Index.Height < target)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }
            var moved = Volatile.Read(ref _moved).Task;
            if (Index.Height >= target)
            {
                break;
            }
            await Task.WhenAny(moved, Task.Delay(left, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        return true;
    }

    private void OnCommitted(ChainHead head, IReadOnlyList<Receipt> receipts)
    {
        List<Hash>? anchors = null;
        foreach (var receipt in receipts)
        {
            if (receipt.Succeeded && Array.Exists(receipt.Events, e => e.Module == EpcisNames.ModuleName && e.Name == EpcisEvents.Anchored.Name))
            {
                (anchors ??= []).Add(receipt.TxId);
            }
        }
        if (anchors is not null)
        {
            _anchors.Enqueue((head.Height, [.. anchors]));
        }
        Volatile.Write(ref _seen, (long)head.Height);
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            _signal.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            var behind = _startHead;
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    // Blocks the queue does not hold: those before this service started, and those of a failed round.
                    ReadBlocks(Index.Height + 1, behind, stoppingToken);
                    Drain();
                }
                catch (Exception e) when (e is StorageException or Microsoft.Data.Sqlite.SqliteException)
                {
                    LogIndexFailed(e);
                    behind = (ulong)Volatile.Read(ref _seen);
                }
                await _signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _signalled, 0);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Indexes the queued anchors, then marks every block seen as indexed.</summary>
    private void Drain()
    {
        var seen = (ulong)Volatile.Read(ref _seen);
        while (_anchors.TryDequeue(out var block))
        {
            if (block.Height <= Index.Height)
            {
                continue;
            }
            var (events, flags) = (new List<AnchoredEvent>(), new List<FlaggedItem>());
            foreach (var id in block.Txs)
            {
                if (_node.Store.GetTx(id) is { } stored)
                {
                    Collect(stored.Transaction, stored.Receipt, block.Height, events, flags);
                }
            }
            Index.Add(block.Height, events, flags);
        }
        Index.Advance(seen);
        Interlocked.Exchange(ref _moved, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Reads committed blocks from <paramref name="from"/> to <paramref name="to"/> for anchors (blocks the index missed while the node was not running it).</summary>
    private void ReadBlocks(ulong from, ulong to, CancellationToken cancellationToken)
    {
        if (from > to)
        {
            return;
        }
        LogReading(from, to);
        for (var height = from; height <= to && !cancellationToken.IsCancellationRequested; height++)
        {
            var block = _node.Store.GetBlock(height);
            if (block is null)
            {
                break;
            }
            var (events, flags) = (new List<AnchoredEvent>(), new List<FlaggedItem>());
            for (var i = 0; i < block.Transactions.Count; i++)
            {
                Collect(block.Transactions[i], block.Receipts[i], height, events, flags);
            }
            if (events.Count > 0)
            {
                Index.Add(height, events, flags);
            }
            else
            {
                Index.Advance(height);
            }
        }
    }

    /// <summary>The events an anchor tx recorded first (an event anchored before is skipped, as execution skipped it), and the items it flagged.</summary>
    private void Collect(Transaction tx, Receipt receipt, ulong height, List<AnchoredEvent> events, List<FlaggedItem> flags)
    {
        if (tx.Module != EpcisModule.ModuleName || tx.Operation != EpcisModule.Anchor || !receipt.Succeeded ||
            !Payload.TryDecode(tx.Payload, EpcisAnchorPayload.Read, out var payload))
        {
            return;
        }
        var start = 0;
        for (var c = 0; c < payload.Captures.Length; c++)
        {
            var chunk = payload.Captures[c];
            var capturer = chunk.Capturer.ToAddress();
            // Execution recorded one organisation for the whole chunk; an event anchored before (skipped by execution) is skipped by the index's digest constraint.
            string? org = null;
            for (var i = 0; i < chunk.Records && org is null; i++)
            {
                if (EpcisModule.ReadEvent(_node.Store, payload.Records[start + i].Digest) is { } anchored && anchored.Height == height)
                {
                    org = anchored.Org;
                }
            }
            for (var i = 0; org is not null && i < chunk.Records; i++)
            {
                events.Add(new AnchoredEvent(payload.Records[start + i], height, tx.Id, c, i, org, capturer));
            }
            start += (int)chunk.Records;
        }
        foreach (var e in receipt.Events)
        {
            if (e.Module == EpcisModule.ModuleName && e.Name == EpcisEvents.Flagged.Name)
            {
                flags.Add(new FlaggedItem(0, height, e["item"] ?? string.Empty, e["code"] ?? string.Empty, e["event"] ?? string.Empty, e["org"] ?? string.Empty));
            }
        }
    }

    public override void Dispose()
    {
        _node.Committed -= OnCommitted;
        Index.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 62, Level = LogLevel.Information, Message = "Indexing EPCIS anchors of blocks {From}–{To}")]
    private partial void LogReading(ulong from, ulong to);

    [LoggerMessage(EventId = 63, Level = LogLevel.Error, Message = "Indexing EPCIS anchors failed; the next round reads the blocks again")]
    private partial void LogIndexFailed(Exception exception);
}
