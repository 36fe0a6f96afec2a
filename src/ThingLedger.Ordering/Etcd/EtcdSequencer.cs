using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Ordering.Etcd;

/// <summary>Settings of ordering on etcd.</summary>
public sealed class EtcdOrderingOptions
{
    /// <summary>Key prefix of this chain's records in etcd (several chains can share a cluster).</summary>
    public string Prefix { get; set; } = "thingledger";

    /// <summary>How long the first uncut tx may wait before a peer proposes a cut.</summary>
    public TimeSpan BlockInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A peer proposes a cut as soon as this many txs wait uncut.</summary>
    public int MaxBlockTxs { get; set; } = 4_000;

    /// <summary>Txs waiting (to be written, or uncut) beyond which new ones get MEMPOOL_FULL.</summary>
    public int MaxPending { get; set; } = 200_000;

    /// <summary>How long ordering keeps trying to reach etcd before reading the log fails.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// The resumption point of a peer: blocks up to <paramref name="Head"/> are committed; the log is
/// replayed from the cut of <paramref name="From"/> (at most Head) so that attestations of blocks
/// not yet final are seen again.
/// </summary>
public readonly record struct LogPosition(ulong From, ulong Head, ulong HeadTimestamp);

/// <summary>
/// Who may end a block: this peer's validator key signs the cuts it proposes; <see cref="MayCutAsync"/>
/// says whether a key is a validator in force at a height, waiting until the peer has executed
/// the block before it (the set of block h is scheduled by a block below h).
/// </summary>
public sealed record CutAuthority(string ChainId, KeyPair Key, Func<ulong, PublicKey, CancellationToken, ValueTask<bool>> MayCutAsync);

/// <summary>The log no longer holds the cut a peer must resume from: it must fetch blocks from other peers first.</summary>
public sealed class OrderingGapException(ulong height)
    : Exception($"the etcd log no longer holds block {height}'s cut (compacted); blocks must be fetched from other peers")
{
    public ulong Height { get; } = height;
}

/// <summary>
/// Ordering on an etcd cluster, shared by every peer of a consortium (docs/CONSORTIUM.md).
/// Peers write admitted txs as entries under one key ({prefix}/log); etcd's revision order is the
/// total order. Block h is every tx entry after the cut of h−1 up to the cut of h: the first
/// cut of height h in revision order that a validator in force at h signed. Each validator
/// proposes at most one, in its own slot ({prefix}/cut/h/{validator}, created once), when txs
/// have waited a block interval or a block's worth waits; a cut nobody can attribute is
/// ignored. The block time is the cut's timestamp, never earlier than the previous block's: it
/// comes from the log, not from the executing peer. Every peer derives the same blocks from the
/// same log.
/// </summary>
public sealed class EtcdSequencer : ISequencer, IDisposable
{
    private readonly EtcdClient _etcd;
    private readonly EtcdOrderingOptions _options;
    private readonly TimeProvider _clock;
    private readonly Func<LogPosition> _position;
    private readonly CutAuthority _authority;
    private readonly Channel<AttestationMessage> _attestations = Channel.CreateBounded<AttestationMessage>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _flushSignal = new(0);
    private readonly SemaphoreSlim _cutSignal = new(0);
    private readonly object _lock = new();
    private List<Transaction> _buffer = [];
    private TaskCompletionSource<string?> _bufferDone = NewCompletion();
    private int _buffered;
    private int _uncut;
    private ulong _uncutGas;
    private long _firstUncutAt;
    private ulong _nextHeight;
    private ulong _cutProposedFor;
    private readonly Task _flusher;
    private Task? _cutter;

    public EtcdSequencer(EtcdClient etcd, EtcdOrderingOptions options, TimeProvider clock, Func<LogPosition> position, CutAuthority authority)
    {
        _authority = authority;
        _etcd = etcd;
        _options = options;
        _clock = clock;
        _position = position;
        _flusher = Task.Run(FlushLoopAsync);
    }

    /// <summary>Attestations read from the log, in log order (the oldest are dropped if nobody reads).</summary>
    public ChannelReader<AttestationMessage> Attestations => _attestations.Reader;

    public EtcdClient Etcd => _etcd;

    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _buffered + _uncut;
            }
        }
    }

    public Task<string?> Enqueue(IReadOnlyList<Transaction> txs)
    {
        lock (_lock)
        {
            if (_buffered + _uncut + txs.Count > _options.MaxPending)
            {
                return Task.FromResult<string?>(ErrorCodes.MempoolFull);
            }
            _buffer.AddRange(txs);
            _buffered += txs.Count;
            var done = _bufferDone.Task;
            _flushSignal.Release();
            return done;
        }
    }

    /// <summary>
    /// Writes buffered txs as entries, one batch of puts at a time: txs that arrive while a put is
    /// on its way share the next one (group commit). Each waiting submission learns whether the
    /// entries holding its txs were written.
    /// </summary>
    private async Task FlushLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _flushSignal.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            List<Transaction> txs;
            TaskCompletionSource<string?> done;
            lock (_lock)
            {
                if (_buffer.Count == 0)
                {
                    continue;
                }
                txs = _buffer;
                done = _bufferDone;
                _buffer = [];
                _bufferDone = NewCompletion();
            }
            string? outcome = null;
            try
            {
                foreach (var entry in SplitEntries(txs))
                {
                    await _etcd.PutAsync(OrderingLog.LogKey(_options.Prefix), OrderingLog.EncodeTxs(Now(), entry), token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is EtcdException or OperationCanceledException)
            {
                outcome = ErrorCodes.OrderingUnavailable;
            }
            lock (_lock)
            {
                _buffered -= txs.Count;
            }
            done.TrySetResult(outcome);
        }
        lock (_lock)
        {
            _bufferDone.TrySetResult(ErrorCodes.OrderingUnavailable);
        }
    }

    private static IEnumerable<List<Transaction>> SplitEntries(List<Transaction> txs)
    {
        var entry = new List<Transaction>();
        var bytes = 0;
        foreach (var tx in txs)
        {
            var size = tx.Encoded.Length + 4;
            if (entry.Count > 0 && (bytes + size > OrderingLog.MaxEntryBytes || entry.Count == OrderingLog.MaxEntryTxs))
            {
                yield return entry;
                entry = [];
                bytes = 0;
            }
            entry.Add(tx);
            bytes += size;
        }
        if (entry.Count > 0)
        {
            yield return entry;
        }
    }

    /// <summary>Publishes this peer's attestation of a block for the others to collect.</summary>
    public async Task PublishAttestationAsync(AttestationMessage message, CancellationToken cancellationToken) =>
        await _etcd.PutAsync(OrderingLog.AttestationKey(_options.Prefix, message.Attestation.Validator), OrderingLog.EncodeAttestation(message), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Bounds etcd's size: deletes the cuts below <paramref name="height"/> and compacts the history
    /// before its cut. Blocks before it are then served by peers, not by the log. The cut of block 0
    /// stays: it marks where the log was born, so a peer that joins later with an empty ledger
    /// watches from there, meets the compaction and catches up from peers, instead of recreating
    /// the marker and waiting for a block 1 that will never be cut again.
    /// </summary>
    public async Task<bool> CompactBeforeAsync(ulong height, CancellationToken cancellationToken)
    {
        // The earliest proposal of that height is at or before the cut that ended it.
        var slots = await _etcd.GetPrefixAsync(OrderingLog.CutKey(_options.Prefix, height) + "/", cancellationToken).ConfigureAwait(false);
        if (slots.Count == 0)
        {
            return false;
        }
        await _etcd.DeleteRangeAsync(OrderingLog.CutKey(_options.Prefix, 1), OrderingLog.CutKey(_options.Prefix, height), cancellationToken).ConfigureAwait(false);
        return await _etcd.CompactAsync(slots.Min(s => s.ModRevision), cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<OrderedBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = _position();
        var startRevision = await FindResumeRevisionAsync(position, cancellationToken).ConfigureAwait(false);
        var batches = Channel.CreateBounded<OrderedBatch>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        lock (_lock)
        {
            _nextHeight = position.From + 1;
            _uncut = 0;
            _uncutGas = 0;
            _cutProposedFor = 0;
        }
        _cutter ??= Task.Run(CutLoopAsync, CancellationToken.None);
        var pump = Task.Run(() => PumpAsync(position, startRevision, batches.Writer, stop.Token), stop.Token);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return batch;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await pump.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    private async Task<long> FindResumeRevisionAsync(LogPosition position, CancellationToken cancellationToken)
    {
        if (position.From == 0)
        {
            // The first peer to start creates the cut of block 0: the log begins after it.
            var (_, revision) = await _etcd.CreateAsync(OrderingLog.CutKey(_options.Prefix, 0), OrderingLog.EncodeGenesisCut(), cancellationToken).ConfigureAwait(false);
            return revision;
        }
        // The cut that ended block From is the first valid one of its height, as the pump chose it.
        var slots = await _etcd.GetPrefixAsync(OrderingLog.CutKey(_options.Prefix, position.From) + "/", cancellationToken).ConfigureAwait(false);
        foreach (var slot in slots.OrderBy(s => s.ModRevision))
        {
            if (await IsValidCutAsync(slot.Key, slot.Value, position.From, cancellationToken).ConfigureAwait(false) is not null)
            {
                return slot.ModRevision;
            }
        }
        throw new OrderingGapException(position.From);
    }

    /// <summary>
    /// The cut stored under <paramref name="key"/> when it ends block <paramref name="height"/>:
    /// it names that height, sits in its signer's slot, its signature holds and its signer is a
    /// validator in force at that height. Anything else is null, the same on every peer.
    /// </summary>
    private async ValueTask<CutMessage?> IsValidCutAsync(string key, byte[] value, ulong height, CancellationToken cancellationToken)
    {
        if (!OrderingLog.TryParseCutKey(_options.Prefix, key, out var keyHeight, out var slot) || slot is null || keyHeight != height ||
            OrderingLog.TryDecodeCut(value) is not { } cut || cut.Height != height || OrderingLog.Short(cut.Cutter) != slot ||
            !cut.Verify(_authority.ChainId))
        {
            return null;
        }
        return await _authority.MayCutAsync(height, cut.Cutter, cancellationToken).ConfigureAwait(false) ? cut : null;
    }

    private async Task PumpAsync(LogPosition position, long startRevision, ChannelWriter<OrderedBatch> batches, CancellationToken cancellationToken)
    {
        var logKey = OrderingLog.LogKey(_options.Prefix);
        var attestationPrefix = _options.Prefix + "/att/";
        var next = position.From + 1;
        var lastTimestamp = position.HeadTimestamp;
        var block = new List<Transaction>();
        try
        {
            await foreach (var e in _etcd.WatchAsync(_options.Prefix + "/", startRevision + 1, _options.GiveUpAfter, cancellationToken).ConfigureAwait(false))
            {
                if (e.Value is null)
                {
                    continue;
                }
                if (e.Key == logKey)
                {
                    if (OrderingLog.TryDecodeTxs(e.Value, out _, out var txs) && next > position.Head)
                    {
                        block.AddRange(txs);
                        NoteUncut(txs);
                    }
                }
                else if (OrderingLog.TryParseCutKey(_options.Prefix, e.Key, out var height, out _))
                {
                    if (height != next || await IsValidCutAsync(e.Key, e.Value, height, cancellationToken).ConfigureAwait(false) is not { } cut)
                    {
                        continue;
                    }
                    if (next > position.Head)
                    {
                        lastTimestamp = Math.Max(lastTimestamp, cut.Timestamp);
                        await batches.WriteAsync(new OrderedBatch(next, lastTimestamp, block, SignaturesVerified: false), cancellationToken).ConfigureAwait(false);
                        block = [];
                    }
                    next++;
                    lock (_lock)
                    {
                        _nextHeight = next;
                        _uncut = 0;
                        _uncutGas = 0;
                    }
                }
                else if (e.Key.StartsWith(attestationPrefix, StringComparison.Ordinal) && OrderingLog.TryDecodeAttestation(e.Value) is { } attestation)
                {
                    _attestations.Writer.TryWrite(attestation);
                }
            }
            batches.TryComplete();
        }
        catch (EtcdCompactedException)
        {
            batches.TryComplete(new OrderingGapException(next - 1));
        }
        catch (Exception e)
        {
            batches.TryComplete(e);
        }
    }

    /// <summary>
    /// Counts txs appended since the last cut, and the gas they may use: a block is due at
    /// <see cref="EtcdOrderingOptions.MaxBlockTxs"/> or when the next entry could take its gas past
    /// the block limit (cuts race with appends, so execution still enforces the limit per tx).
    /// </summary>
    private void NoteUncut(IReadOnlyList<Transaction> txs)
    {
        ulong gas = 0;
        foreach (var tx in txs)
        {
            gas += tx.GasLimit;
        }
        lock (_lock)
        {
            if (_uncut == 0)
            {
                _firstUncutAt = _clock.GetTimestamp();
            }
            _uncut += txs.Count;
            _uncutGas += gas;
            if (_uncut >= _options.MaxBlockTxs || _uncutGas >= Gas.BlockLimit / 2)
            {
                _cutSignal.Release();
            }
        }
    }

    /// <summary>
    /// Proposes the next cut when txs have waited a block interval or a block's worth waits.
    /// Every peer does this, in its own slot; the first valid cut in the log wins, so racing is
    /// harmless (a peer whose key is not a validator proposes cuts nobody takes).
    /// </summary>
    private async Task CutLoopAsync()
    {
        var token = _stopping.Token;
        var tick = _options.BlockInterval / 4;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _cutSignal.WaitAsync(tick, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            ulong height;
            lock (_lock)
            {
                var due = _uncut >= _options.MaxBlockTxs || _uncutGas >= Gas.BlockLimit / 2 ||
                    (_uncut > 0 && _clock.GetElapsedTime(_firstUncutAt) >= _options.BlockInterval);
                if (!due || _cutProposedFor == _nextHeight)
                {
                    continue;
                }
                height = _nextHeight;
                _cutProposedFor = height;
            }
            try
            {
                var cut = CutMessage.Sign(_authority.ChainId, _authority.Key, height, Now());
                await _etcd.CreateAsync(OrderingLog.CutSlotKey(_options.Prefix, height, _authority.Key.PublicKey), OrderingLog.EncodeCut(cut), token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is EtcdException or OperationCanceledException)
            {
                lock (_lock)
                {
                    // Try again on a later tick: etcd may be back, or another peer cuts.
                    if (_cutProposedFor == height)
                    {
                        _cutProposedFor = 0;
                    }
                }
            }
        }
    }

    private ulong Now() => (ulong)_clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static TaskCompletionSource<string?> NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        _stopping.Cancel();
        try
        {
            Task.WaitAll([_flusher, _cutter ?? Task.CompletedTask], TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _stopping.Dispose();
        _flushSignal.Dispose();
        _cutSignal.Dispose();
        _etcd.Dispose();
    }
}
