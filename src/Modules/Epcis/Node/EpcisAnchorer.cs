using ThingLedger.Client;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Epcis;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Epcis;

/// <summary>
/// Anchors captured events on chain every <see cref="NodeOptions.AnchorIntervalMs"/>: builds
/// anchor payloads over the events stored since the last anchor (each within a tx's payload
/// limit, records in capture order, each capture's part named with its signed root), signs them
/// with the node key, submits them, waits for their block and records which numbers each covers.
/// On start it first records anchors the chain has that the store lacks (a stop between commit and write).
/// </summary>
public sealed partial class EpcisAnchorer : BackgroundService
{
    /// <summary>Events anchored per round at most; a full round is followed at once by the next.</summary>
    public const int MaxEventsPerRound = 200_000;

    private readonly LedgerNode _node;
    private readonly EpcisCapture _capture;
    private readonly ILogger<EpcisAnchorer> _logger;
    private readonly SemaphoreSlim _round = new(1, 1);

    public EpcisAnchorer(LedgerNode node, EpcisCapture capture, ILogger<EpcisAnchorer> logger)
    {
        _node = node;
        _capture = capture;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_node.Options.AnchorIntervalMs));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (_node.Fault is not null)
                {
                    continue;
                }
                try
                {
                    await AnchorBacklogAsync(stoppingToken).ConfigureAwait(false);
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

    /// <summary>Anchors every event stored before the call; returns how many.</summary>
    public async Task<int> AnchorBacklogAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RepairFromChain();
            var total = 0;
            int anchored;
            do
            {
                anchored = await AnchorRoundAsync(cancellationToken).ConfigureAwait(false);
                total += anchored;
            }
            while (anchored >= MaxEventsPerRound && _node.Fault is null);
            return total;
        }
        finally
        {
            _round.Release();
        }
    }

    private async Task<int> AnchorRoundAsync(CancellationToken cancellationToken)
    {
        var store = _capture.Store;
        if (store.LastEvent <= store.LastAnchored)
        {
            return 0;
        }
        var events = store.Records(store.LastAnchored + 1, ulong.MaxValue, MaxEventsPerRound);
        var payloads = Build(events, store);
        var nonce = StateMachine.LastNonce(_node.Store, _node.ValidatorKey.Address);
        var txs = payloads.Select(p => Operations.AnchorEpcisEvents(p).Sign(_node.Genesis.ChainId, _node.ValidatorKey, ++nonce, ulong.MaxValue, Gas.AnchorTxLimit)).ToList();
        var rows = new List<EpcisAnchorRow>(txs.Count);
        try
        {
            await _node.Tracker.CommitOwnAsync(_node.Admission, txs,
                (i, committed) => rows.Add(new EpcisAnchorRow(payloads[i].First, payloads[i].Last, txs[i].Id, committed.Height)), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            store.RecordAnchors(rows);
            _capture.Anchored();
        }
        LogAnchored(rows.Sum(r => (int)(r.Last - r.First + 1)), rows.Count);
        return events.Count;
    }

    /// <summary>
    /// Packs events into anchor payloads that fit a tx, whole signed chunks only (a chunk is at
    /// most <see cref="EpcisCaptureSigning.ChunkBudgetBytes"/> of records, so it always fits one);
    /// a chunk the events end inside waits for the next round.
    /// </summary>
    public static List<EpcisAnchorPayload> Build(IReadOnlyList<StoredEvent> events, EpcisStore store)
    {
        const int Budget = Transaction.MaxPayloadBytes - 512;
        var chunks = new List<(StoredCapture Capture, int Chunk, List<StoredEvent> Events)>();
        var captures = new Dictionary<long, StoredCapture>();
        foreach (var e in events)
        {
            if (chunks.Count == 0 || chunks[^1].Capture.Id != e.Capture || chunks[^1].Chunk != e.Chunk)
            {
                if (!captures.TryGetValue(e.Capture, out var capture))
                {
                    capture = captures[e.Capture] = store.Capture(e.Capture) ?? throw new StorageException($"event {e.Seq} names capture {e.Capture}, which {EpcisStore.FileName} lacks");
                }
                chunks.Add((capture, e.Chunk, []));
            }
            chunks[^1].Events.Add(e);
        }
        if (chunks.Count > 0 && chunks[^1].Events.Count < chunks[^1].Events[0].ChunkSize)
        {
            chunks.RemoveAt(chunks.Count - 1);
        }
        var payloads = new List<EpcisAnchorPayload>();
        var next = events.Count == 0 ? 0 : events[0].Seq;
        var (parts, records, size) = (new List<EpcisChunk>(), new List<EpcisEventRecord>(), 64);
        void Close()
        {
            payloads.Add(new EpcisAnchorPayload(next, next + (ulong)records.Count - 1, EpcisAnchorPayload.RootOf(records), [.. parts], [.. records]));
            next += (ulong)records.Count;
            (parts, records, size) = ([], [], 64);
        }
        foreach (var (capture, chunk, chunkEvents) in chunks)
        {
            var length = Core.Crypto.PublicKey.Size + 80 + chunkEvents.Sum(e => e.Record.EncodedLength + 4);
            if (records.Count > 0 && (size + length > Budget || records.Count + chunkEvents.Count > EpcisAnchorPayload.MaxRecords))
            {
                Close();
            }
            parts.Add(new EpcisChunk(capture.CapturerKey, capture.Signatures[chunk], (uint)chunkEvents.Count));
            records.AddRange(chunkEvents.Select(e => e.Record));
            size += length;
        }
        if (records.Count > 0)
        {
            Close();
        }
        return payloads;
    }

    /// <summary>Records anchors of this node's events that committed but were not written down.</summary>
    private void RepairFromChain()
    {
        var store = _capture.Store;
        var chain = EpcisModule.ReadCustodian(_node.Store, _node.ValidatorKey.Address);
        if (chain <= store.LastAnchored)
        {
            return;
        }
        if (chain > store.LastEvent)
        {
            throw new InvalidOperationException($"the chain says this node anchored events up to {chain}, but {EpcisStore.FileName} ends at {store.LastEvent}: it is not this node's");
        }
        var rows = new List<EpcisAnchorRow>();
        foreach (var stored in _node.Store.TxsBySigner(_node.ValidatorKey.Address, 1_000))
        {
            var tx = stored.Transaction;
            if (tx.Module == EpcisModule.ModuleName && tx.Operation == EpcisModule.Anchor && stored.Receipt.Succeeded &&
                Payload.TryDecode(tx.Payload, EpcisAnchorPayload.Read, out var payload) && payload.Last > store.LastAnchored)
            {
                rows.Add(new EpcisAnchorRow(payload.First, payload.Last, tx.Id, stored.Height));
            }
        }
        store.RecordAnchors(rows);
        _capture.Anchored();
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Debug, Message = "Anchored {Events} EPCIS events in {Txs} anchor txs")]
    private partial void LogAnchored(int events, int txs);

    [LoggerMessage(EventId = 61, Level = LogLevel.Error, Message = "An EPCIS anchoring round failed; the events stay queued for the next round")]
    private partial void LogRoundFailed(Exception exception);
}
