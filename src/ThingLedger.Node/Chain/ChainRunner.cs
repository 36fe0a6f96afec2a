using ThingLedger.Core.Ledger;
using ThingLedger.Node.Consortium;
using ThingLedger.Ordering.Etcd;
using ThingLedger.Storage;

namespace ThingLedger.Node.Chain;

/// <summary>
/// Turns the ordered stream into blocks: execute, commit (durably), then tell admission,
/// waiters, finality, subscribers and metrics. A block that cannot be committed stops the node
/// taking writes (NODE_UNAVAILABLE, /health 503 with the reason) and nothing more is acknowledged;
/// reads go on. When the disk is full the same block is tried again every second and the node
/// resumes once there is room; a damaged file or any other failure stops block application until
/// the operator acts. In a consortium the
/// runner re-verifies every tx from the shared log, fetches blocks from peers when the log no
/// longer holds them, waits for etcd when it is unreachable, and stops applying blocks when
/// this peer's results disagree with a quorum.
/// </summary>
public sealed partial class ChainRunner : BackgroundService
{
    private static readonly TimeSpan RetryAfterDiskFull = TimeSpan.FromSeconds(1);

    private readonly LedgerNode _node;
    private readonly DiskWatch _disk;
    private readonly ILogger<ChainRunner> _logger;
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly PeerSync _sync;

    public ChainRunner(LedgerNode node, DiskWatch disk, ILogger<ChainRunner> logger)
    {
        _node = node;
        _disk = disk;
        _logger = logger;
        _sync = new PeerSync(node, _http, logger);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(_node.Genesis.ChainId, _node.Head.Height, _node.Head.Header.StateRoot.ToString());
        try
        {
            if (_node.Log is null)
            {
                await FollowAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            _node.Finality.Republish(_node.ValidatorKey.PublicKey);
            _node.ResumeAttesting();
            while (!stoppingToken.IsCancellationRequested && _node.Finality.Divergence is null)
            {
                try
                {
                    await FollowAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OrderingGapException e)
                {
                    LogGap(e.Height);
                    if (await _sync.CatchUpAsync(stoppingToken).ConfigureAwait(false) == 0)
                    {
                        await Task.Delay(1_000, stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (EtcdException e)
                {
                    _node.OrderingProblem = e.Message;
                    LogOrderingUnavailable(e.Message);
                    await Task.Delay(500, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (StorageCorruptException e)
        {
            _node.ReportStorageFailure(e, _disk);
            LogCorrupt(e.Message);
        }
        catch (Exception e)
        {
            _node.Health.Set(FaultCause.CommitFailed, $"block commit failed: {e.Message}");
            LogFailed(e);
        }
    }

    private async Task FollowAsync(CancellationToken stoppingToken)
    {
        await foreach (var batch in _node.Sequencer.ReadBatchesAsync(stoppingToken).ConfigureAwait(false))
        {
            _node.OrderingProblem = null;
            if (_node.Finality.Divergence is not null)
            {
                return;
            }
            if (batch.Height is { } height && height != _node.Head.Height + 1)
            {
                throw new InvalidOperationException($"ordering delivered block {height} while the head is {_node.Head.Height}");
            }
            var txs = batch.SignaturesVerified ? batch.Transactions : await VerifiedAsync(batch.Transactions).ConfigureAwait(false);
            var head = await ApplyAsync(batch.Timestamp, txs, stoppingToken).ConfigureAwait(false);
            LogBlock(head.Height, txs.Count);
        }
    }

    /// <summary>Commits the block, trying again while the disk is full: the block must not be skipped, and executing it again gives the same block.</summary>
    private async Task<ChainHead> ApplyAsync(ulong timestamp, IReadOnlyList<Transaction> txs, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return _node.ApplyBlock(timestamp, txs);
            }
            catch (DiskFullException e)
            {
                _disk.ReportFull(e);
                await Task.Delay(RetryAfterDiskFull, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The txs whose signatures hold, in order. A tx from the shared log that does not verify is
    /// left out of the block: every honest peer leaves out the same ones. A tx this peer admitted
    /// itself, with the very signature bytes it verified then, is not checked again.
    /// </summary>
    private async Task<IReadOnlyList<Transaction>> VerifiedAsync(IReadOnlyList<Transaction> txs)
    {
        var ok = new bool[txs.Count];
        var toCheck = new List<int>(txs.Count);
        for (var i = 0; i < txs.Count; i++)
        {
            ok[i] = _node.Admission.FindPending(txs[i].Id) is { } own && own.Signature.AsSpan().SequenceEqual(txs[i].Signature);
            if (!ok[i])
            {
                toCheck.Add(i);
            }
        }
        await _node.Verifier.RunAsync(toCheck.Count, k => ok[toCheck[k]] = txs[toCheck[k]].VerifySignature()).ConfigureAwait(false);
        if (Array.TrueForAll(ok, v => v))
        {
            return txs;
        }
        var kept = new List<Transaction>(txs.Count);
        for (var i = 0; i < txs.Count; i++)
        {
            if (ok[i])
            {
                kept.Add(txs[i]);
            }
        }
        LogDropped(txs.Count - kept.Count);
        return kept;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Chain {ChainId} at height {Height}, state root {StateRoot}")]
    private partial void LogStarted(string chainId, ulong height, string stateRoot);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Block {Height}: {Txs} txs")]
    private partial void LogBlock(ulong height, int txs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical, Message = "Committing a block failed; the node takes no more writes, so nothing unrecorded is acknowledged")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Critical, Message = "A database file is damaged; the node takes no more writes: {Reason}")]
    private partial void LogCorrupt(string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "The ordering log no longer holds block {Height}; fetching blocks from peers")]
    private partial void LogGap(ulong height);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Ordering (etcd) unavailable: {Reason}; retrying")]
    private partial void LogOrderingUnavailable(string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Left {Count} txs with invalid signatures out of a block from the shared log")]
    private partial void LogDropped(int count);
}
