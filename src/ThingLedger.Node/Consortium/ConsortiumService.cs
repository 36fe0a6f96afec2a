using ThingLedger.Node.Chain;
using ThingLedger.Ordering.Etcd;

namespace ThingLedger.Node.Consortium;

/// <summary>
/// A consortium peer's finality work beside the chain runner: publishes this peer's attestations
/// to the log (in order, retrying while etcd is away), counts the others' as they arrive, halts
/// the peer when a quorum disagrees with it, attests blocks it held back once its clock reaches their time, and compacts the log once blocks are final
/// (etcd keeps the last Node:RetainBlocks final blocks; older ones are served by peers).
/// </summary>
public sealed partial class ConsortiumService : BackgroundService
{
    private readonly LedgerNode _node;
    private readonly ILogger<ConsortiumService> _logger;
    private ulong _compactedBelow;

    public ConsortiumService(LedgerNode node, ILogger<ConsortiumService> logger)
    {
        _node = node;
        _logger = logger;
        _node.Finality.Diverged += reason =>
        {
            _node.Health.Set(FaultCause.Diverged, $"diverged from the consortium: {reason}");
            LogDiverged(reason);
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_node.Log is not { } log)
        {
            return;
        }
        try
        {
            await Task.WhenAll(PublishAsync(log, stoppingToken), CollectAsync(log, stoppingToken), CompactAsync(log, stoppingToken), AttestHeldBackAsync(stoppingToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PublishAsync(EtcdSequencer log, CancellationToken stoppingToken)
    {
        await foreach (var own in _node.Finality.Outbox.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    await log.PublishAttestationAsync(own, stoppingToken).ConfigureAwait(false);
                    break;
                }
                catch (EtcdException e)
                {
                    LogPublishFailed(own.Height, e.Message);
                    await Task.Delay(500, stoppingToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task CollectAsync(EtcdSequencer log, CancellationToken stoppingToken)
    {
        await foreach (var attestation in log.Attestations.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            _node.Finality.OnAttestation(attestation);
        }
    }

    /// <summary>Attests blocks held back while dated ahead of this peer's clock, once the clock gets there.</summary>
    private async Task AttestHeldBackAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(250, stoppingToken).ConfigureAwait(false);
            foreach (var own in _node.AttestDue())
            {
                _node.Finality.OnOwnAttestation(own);
            }
        }
    }

    private async Task CompactAsync(EtcdSequencer log, CancellationToken stoppingToken)
    {
        var retain = (ulong)_node.Options.RetainBlocks;
        var step = Math.Max(1, retain / 4);
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(1_000, stoppingToken).ConfigureAwait(false);
            var final = _node.Finality.FinalizedHeight;
            if (final <= retain || final - retain < _compactedBelow + step)
            {
                continue;
            }
            var below = final - retain;
            try
            {
                await log.CompactBeforeAsync(below, stoppingToken).ConfigureAwait(false);
                _compactedBelow = below;
                LogCompacted(below);
            }
            catch (EtcdException e)
            {
                LogCompactFailed(e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Critical, Message = "This peer diverged from a quorum and stopped applying blocks: {Reason}")]
    private partial void LogDiverged(string reason);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Publishing the attestation of block {Height} failed: {Reason}; retrying")]
    private partial void LogPublishFailed(ulong height, string reason);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Compacted the ordering log below block {Height}")]
    private partial void LogCompacted(ulong height);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Compacting the ordering log failed: {Reason}")]
    private partial void LogCompactFailed(string reason);
}
