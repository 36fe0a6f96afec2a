using ThingLedger.Client;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Telemetry;

/// <summary>
/// Anchors accepted readings on chain, every <see cref="NodeOptions.AnchorIntervalMs"/>: builds the
/// anchor payloads over the readings accepted since the last anchor, signs them with the node key,
/// submits them through admission like any tx, waits for their block and then records which
/// ingest range each covers. One round is in flight at a time; a round that took as many readings
/// as a round may is followed at once by the next, so a backlog drains without waiting for the
/// timer. On start it first repairs the local record from the chain, in case the node stopped
/// between a commit and writing it down.
/// </summary>
public sealed partial class Anchorer : BackgroundService
{
    /// <summary>
    /// Readings anchored per round at most; the rest go in the next round, which then starts at
    /// once. Unanchored readings are held in memory until anchored anyway: the bound keeps a round,
    /// and the block of anchor txs it makes, short.
    /// </summary>
    public const int MaxReadingsPerRound = 500_000;

    private readonly LedgerNode _node;
    private readonly DiskWatch _disk;
    private readonly ILogger<Anchorer> _logger;

    public Anchorer(LedgerNode node, DiskWatch disk, ILogger<Anchorer> logger)
    {
        _node = node;
        _disk = disk;
        _logger = logger;
    }

    /// <summary>Completed rounds, and how long each took from submission to recorded (for the metrics and the benchmark).</summary>
    public event Action<int, TimeSpan>? Anchored;

    /// <summary>Anchors just recorded, each committed in a block (receipts of their readings can now be built).</summary>
    public event Action<IReadOnlyList<AnchorRecord>>? Recorded;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RepairFromChain();
        var interval = TimeSpan.FromMilliseconds(_node.Options.AnchorIntervalMs);
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (_node.Fault is not null)
                {
                    // Nothing can commit now (disk full, catching up, diverged): try again next tick.
                    continue;
                }
                try
                {
                    await AnchorBacklogAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (StorageException e)
                {
                    // The readings stay queued; the next round starts by repairing the record from the chain.
                    _node.ReportStorageFailure(e, _disk);
                    LogRoundFailedStorage(e.Message);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRoundFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Runs rounds of at most <paramref name="roundLimit"/> readings until one is not full, so every
    /// reading accepted before the call is anchored; returns the number of readings anchored.
    /// </summary>
    public async Task<int> AnchorBacklogAsync(CancellationToken cancellationToken, int roundLimit = MaxReadingsPerRound)
    {
        var total = 0;
        int anchored;
        do
        {
            anchored = await AnchorRoundAsync(cancellationToken, roundLimit).ConfigureAwait(false);
            total += anchored;
        }
        while (anchored >= roundLimit && _node.Fault is null);
        return total;
    }

    /// <summary>Builds, submits and records one round of at most <paramref name="limit"/> readings; returns the number anchored.</summary>
    public async Task<int> AnchorRoundAsync(CancellationToken cancellationToken, int limit = MaxReadingsPerRound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        // A round that gave up waiting may still have committed: catch up with the chain first.
        RepairFromChain();
        var readings = _node.Readings;
        if (readings.LastIngest <= readings.LastAnchoredIngest)
        {
            return 0;
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var batch = readings.Unanchored(readings.LastAnchoredIngest + 1, limit);
        var payloads = AnchorBuilder.Build(batch, _node.Schemas.Find);
        var nonce = StateMachine.LastNonce(_node.Store, _node.ValidatorKey.Address);
        var txs = new List<Transaction>(payloads.Count);
        foreach (var payload in payloads)
        {
            txs.Add(Operations.Anchor(payload).Sign(_node.Genesis.ChainId, _node.ValidatorKey, ++nonce, ulong.MaxValue, Gas.AnchorTxLimit));
        }
        var built = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var records = new List<AnchorRecord>(txs.Count);
        var submitted = TimeSpan.Zero;
        try
        {
            await _node.Tracker.CommitOwnAsync(_node.Admission, txs,
                (i, committed) => records.Add(new AnchorRecord(payloads[i].FirstIngest, payloads[i].LastIngest, txs[i].Id, committed.Height)),
                cancellationToken, () => submitted = System.Diagnostics.Stopwatch.GetElapsedTime(started)).ConfigureAwait(false);
        }
        finally
        {
            // What did commit is recorded either way, in one write.
            readings.RecordAnchors(records);
            if (records.Count > 0)
            {
                Recorded?.Invoke(records);
            }
        }
        var anchored = (int)records.Sum(r => (long)(r.LastIngest - r.FirstIngest + 1));
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        LogAnchored(anchored, txs.Count, elapsed.TotalMilliseconds, built.TotalMilliseconds, (submitted - built).TotalMilliseconds);
        Anchored?.Invoke(anchored, elapsed);
        return anchored;
    }

    /// <summary>Records anchors the chain has from this node that the reading store does not know of yet.</summary>
    public void RepairFromChain()
    {
        var custodian = TelemetryModule.ReadCustodian(_node.Store, _node.ValidatorKey.Address);
        var local = _node.Readings.LastAnchoredIngest;
        if (custodian is null || custodian.LastIngest <= local)
        {
            return;
        }
        if (custodian.LastIngest > _node.Readings.LastIngest)
        {
            throw new InvalidOperationException(
                $"the chain says this node anchored readings up to {custodian.LastIngest}, but its reading store ends at {_node.Readings.LastIngest}: readings.db is not this node's");
        }
        var missing = new List<(AnchorPayload Payload, StoredTx Tx)>();
        foreach (var stored in _node.Store.TxsBySigner(_node.ValidatorKey.Address, 1_000))
        {
            var tx = stored.Transaction;
            if (tx.Module != TelemetryModule.ModuleName || tx.Operation != TelemetryModule.Anchor || !stored.Receipt.Succeeded ||
                !Payload.TryDecode(tx.Payload, AnchorPayload.Read, out var payload) || payload.LastIngest <= local)
            {
                continue;
            }
            missing.Add((payload, stored));
        }
        missing.Sort(static (a, b) => a.Payload.FirstIngest.CompareTo(b.Payload.FirstIngest));
        _node.Readings.RecordAnchors([.. missing.Select(m => new AnchorRecord(m.Payload.FirstIngest, m.Payload.LastIngest, m.Tx.Transaction.Id, m.Tx.Height))]);
        LogRepaired(missing.Count, custodian.LastIngest);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "Anchored {Readings} readings in {Txs} anchor txs, {Ms:F0} ms from the start of the round to recorded (built in {BuildMs:F0} ms, admitted in {AdmitMs:F0} ms)")]
    private partial void LogAnchored(int readings, int txs, double ms, double buildMs, double admitMs);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "An anchoring round failed; the readings stay queued for the next round")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "An anchoring round failed to write; the readings stay queued for the next round: {Reason}")]
    private partial void LogRoundFailedStorage(string reason);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Recorded {Count} anchors found on chain but missing locally (the chain has anchored up to reading {LastIngest})")]
    private partial void LogRepaired(int count, ulong lastIngest);
}
