using System.Diagnostics;
using ThingLedger.Client.Contracts;

namespace ThingLedger.Node.Chain;

/// <summary>
/// Turns the ordered stream into blocks: execute, commit (durably), then tell admission,
/// waiters, subscribers and metrics. A block that cannot be committed stops the node: serving
/// on after a failed commit could acknowledge what is not on disk.
/// </summary>
public sealed partial class ChainRunner : BackgroundService
{
    private readonly LedgerNode _node;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ChainRunner> _logger;

    public ChainRunner(LedgerNode node, IHostApplicationLifetime lifetime, ILogger<ChainRunner> logger)
    {
        _node = node;
        _lifetime = lifetime;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(_node.Genesis.ChainId, _node.Head.Height, _node.Head.Header.StateRoot.ToString());
        try
        {
            await foreach (var batch in _node.Sequencer.ReadBatchesAsync(stoppingToken).ConfigureAwait(false))
            {
                var started = Stopwatch.GetTimestamp();
                var height = _node.Head.Height + 1;
                var executed = _node.Machine.ExecuteBlock(_node.Store, height, batch.Timestamp, batch.Transactions);
                var executedAt = Stopwatch.GetTimestamp();
                var head = _node.Store.CommitBlock(batch.Timestamp, batch.Transactions, executed.Receipts, executed.Changes, _node.Attest);
                LogBlock(head.Height, batch.Transactions.Count, executed.Changes.Length,
                    Stopwatch.GetElapsedTime(started, executedAt).TotalMilliseconds, Stopwatch.GetElapsedTime(executedAt).TotalMilliseconds);
                _node.Admission.OnCommitted(batch.Transactions, executed.Receipts);
                _node.Tracker.OnCommitted(head.Height, batch.Transactions, executed.Receipts);
                var failed = 0;
                foreach (var receipt in executed.Receipts)
                {
                    failed += receipt.Succeeded ? 0 : 1;
                }
                _node.Metrics.CountBlock(head.Height, head.Header.Timestamp, batch.Transactions.Count, failed, Stopwatch.GetElapsedTime(started));
                _node.Events.Publish(new BlockEvent(head.Height, head.Header.Hash.ToString(), head.Header.Timestamp, batch.Transactions.Count, failed, head.Header.StateRoot.ToString()));
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Chain {ChainId} at height {Height}, state root {StateRoot}")]
    private partial void LogStarted(string chainId, ulong height, string stateRoot);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Block {Height}: {Txs} txs, {Changes} state changes, executed in {ExecuteMs:F1} ms, committed in {CommitMs:F1} ms")]
    private partial void LogBlock(ulong height, int txs, int changes, double executeMs, double commitMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical, Message = "Committing a block failed; the node stops so nothing unrecorded is acknowledged")]
    private partial void LogFailed(Exception exception);
}
