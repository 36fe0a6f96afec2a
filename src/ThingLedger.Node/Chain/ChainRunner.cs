using ThingLedger.Core.Ledger;
using ThingLedger.Node.Consortium;
using ThingLedger.Ordering.Etcd;

namespace ThingLedger.Node.Chain;

/// <summary>
/// Turns the ordered stream into blocks: execute, commit (durably), then tell admission,
/// waiters, finality, subscribers and metrics. A block that cannot be committed stops the node:
/// serving on after a failed commit could acknowledge what is not on disk. In a consortium the
/// runner re-verifies every tx from the shared log, fetches blocks from peers when the log no
/// longer holds them, waits for etcd when it is unreachable, and stops applying blocks when
/// this peer's results disagree with a quorum.
/// </summary>
public sealed partial class ChainRunner : BackgroundService
{
    private readonly LedgerNode _node;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ChainRunner> _logger;
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly PeerSync _sync;

    public ChainRunner(LedgerNode node, IHostApplicationLifetime lifetime, ILogger<ChainRunner> logger)
    {
        _node = node;
        _lifetime = lifetime;
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
            _node.Finality.Republish(_node.ValidatorKey);
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
        catch (Exception e)
        {
            _node.Admission.Fault = $"block commit failed: {e.Message}";
            LogFailed(e);
            _lifetime.StopApplication();
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
            var head = _node.ApplyBlock(batch.Timestamp, txs);
            LogBlock(head.Height, txs.Count);
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

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical, Message = "Committing a block failed; the node stops so nothing unrecorded is acknowledged")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "The ordering log no longer holds block {Height}; fetching blocks from peers")]
    private partial void LogGap(ulong height);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Ordering (etcd) unavailable: {Reason}; retrying")]
    private partial void LogOrderingUnavailable(string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Left {Count} txs with invalid signatures out of a block from the shared log")]
    private partial void LogDropped(int count);
}
