using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ThingLedger.Core;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Ordering;

/// <summary>Settings of the solo sequencer.</summary>
public sealed class SoloOptions
{
    /// <summary>How long the first waiting tx may wait before its block is cut.</summary>
    public TimeSpan BlockInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A block is cut as soon as this many txs wait.</summary>
    public int MaxBlockTxs { get; set; } = 4_000;

    /// <summary>Txs waiting for a block beyond which new ones are refused with MEMPOOL_FULL.</summary>
    public int MaxPending { get; set; } = 200_000;

    public void Validate()
    {
        if (BlockInterval <= TimeSpan.Zero || BlockInterval > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException("BlockInterval must be between 1 ms and 1 minute");
        }
        if (MaxBlockTxs is < 1 or > 100_000)
        {
            throw new ArgumentException("MaxBlockTxs must be between 1 and 100000");
        }
        if (MaxPending < MaxBlockTxs)
        {
            throw new ArgumentException("MaxPending must be at least MaxBlockTxs");
        }
    }
}

/// <summary>
/// The embedded sequencer: arrival order, a block cut once its first tx has waited
/// <see cref="SoloOptions.BlockInterval"/> since it was enqueued (counting time the chain spent
/// on earlier blocks), <see cref="SoloOptions.MaxBlockTxs"/> wait, or the next tx's gas limit
/// would take the block's past <see cref="Gas.BlockLimit"/>, block time from the injected
/// clock, never going backwards. Empty blocks are never cut.
/// </summary>
public sealed class SoloSequencer : ISequencer
{
    private readonly Channel<Queued> _queue = Channel.CreateUnbounded<Queued>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SoloOptions _options;
    private readonly TimeProvider _clock;
    private readonly object _enqueueLock = new();
    private int _pending;
    private ulong _lastTimestamp;

    public SoloSequencer(SoloOptions options, TimeProvider clock, ulong lastTimestamp)
    {
        options.Validate();
        _options = options;
        _clock = clock;
        _lastTimestamp = lastTimestamp;
    }

    public int Pending => Volatile.Read(ref _pending);

    private static readonly Task<string?> Taken = Task.FromResult<string?>(null);
    private static readonly Task<string?> Full = Task.FromResult<string?>(ErrorCodes.MempoolFull);

    public Task<string?> Enqueue(IReadOnlyList<Transaction> txs)
    {
        // One lock so a batch stays contiguous and the pending bound is exact.
        lock (_enqueueLock)
        {
            if (_pending + txs.Count > _options.MaxPending)
            {
                return Full;
            }
            Interlocked.Add(ref _pending, txs.Count);
            var arrived = _clock.GetTimestamp();
            foreach (var tx in txs)
            {
                _queue.Writer.TryWrite(new Queued(tx, arrived));
            }
            return Taken;
        }
    }

    public async IAsyncEnumerable<OrderedBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!reader.TryPeek(out var first))
            {
                continue;
            }
            var deadline = first.Arrived + (long)(_options.BlockInterval.TotalSeconds * _clock.TimestampFrequency);
            var batch = new List<Transaction>(Math.Min(_options.MaxBlockTxs, 1024));
            ulong gas = 0;
            while (batch.Count < _options.MaxBlockTxs)
            {
                if (reader.TryPeek(out var queued))
                {
                    // The block's gas limit holds for the limits its txs ask for, so execution never runs out of block gas.
                    if (queued.Tx.GasLimit > Gas.BlockLimit - gas)
                    {
                        break;
                    }
                    reader.TryRead(out _);
                    gas += queued.Tx.GasLimit;
                    batch.Add(queued.Tx);
                    continue;
                }
                var remaining = _clock.GetElapsedTime(_clock.GetTimestamp(), deadline);
                if (remaining <= TimeSpan.Zero)
                {
                    break;
                }
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(remaining);
                try
                {
                    await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
            Interlocked.Add(ref _pending, -batch.Count);
            var now = (ulong)_clock.GetUtcNow().ToUnixTimeMilliseconds();
            _lastTimestamp = Math.Max(now, _lastTimestamp);
            yield return new OrderedBatch(null, _lastTimestamp, batch, SignaturesVerified: true);
        }
    }

    /// <summary>A tx waiting for its block, with the clock's timestamp of its arrival.</summary>
    private readonly record struct Queued(Transaction Tx, long Arrived);
}
