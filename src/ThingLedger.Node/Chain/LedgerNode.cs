using Microsoft.Extensions.Options;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Node.Consortium;
using ThingLedger.Node.Telemetry;
using ThingLedger.Ordering;
using ThingLedger.Ordering.Etcd;
using ThingLedger.Storage;

namespace ThingLedger.Node.Chain;

/// <summary>
/// One node's ledger: the store, the state machine, ordering, admission and the notifications
/// around commits. Opening it commits block 0 from genesis on a new data directory.
/// </summary>
public sealed partial class LedgerNode : IDisposable
{
    private readonly long _txsAtStart;

    public LedgerNode(IOptions<NodeOptions> options, TimeProvider clock, ILogger<LedgerNode> logger)
    {
        void Progress(string message) => LogOpening(logger, message);
        var settings = options.Value;
        settings.Validate();
        _logger = logger;
        Options = settings;
        _clock = clock;
        Genesis = DataDirectory.LoadGenesis(settings.DataDirectory);
        ValidatorKey = DataDirectory.LoadNodeKey(settings.DataDirectory);
        Signer = SignerState.Open(settings.DataDirectory);
        DataDirectory.CheckLedgerPresent(settings.DataDirectory);
        Machine = StateMachine.Create(Genesis.ChainId);
        Store = LedgerStore.Open(settings.DataDirectory, Genesis, Machine.Events, Progress);
        try
        {
            Readings = ReadingStore.Open(settings.DataDirectory, Genesis.ChainId, Progress);
        }
        catch
        {
            Store.Dispose();
            throw;
        }
        ulong? catchUpTo;
        try
        {
            catchUpTo = DataDirectory.CheckStoresAgree(settings.DataDirectory, Store, Readings, Signer, ValidatorKey.Address, settings.IsConsortium);
        }
        catch
        {
            Readings.Dispose();
            Store.Dispose();
            throw;
        }
        _validators = ValidatorHistory.FromGenesis(Genesis);
        if (Store.Head is null)
        {
            Store.CommitBlock(Genesis.Timestamp, [], [], Machine.Genesis(Genesis, Store), Attest);
            Signer.Persist();
        }
        // A crash after a commit and before its record leaves the record behind the ledger.
        Signer.RaiseTo(Store.Head!.Height, Store.Head.Header.Hash);
        RefreshValidators();
        // A solo node certifies its blocks alone, so it must be a validator. A consortium peer of
        // an organisation added later starts from genesis and attests once its epoch begins.
        if (!settings.IsConsortium && !Validators.At(Head.Height + 1).Contains(ValidatorKey.PublicKey))
        {
            Readings.Dispose();
            Store.Dispose();
            throw new InvalidOperationException($"node.key in {settings.DataDirectory} is not a validator of chain '{Genesis.ChainId}' at height {Head.Height + 1}");
        }
        Finality = new FinalityTracker(Store, () => Validators, settings.IsConsortium);
        if (settings.IsConsortium)
        {
            var etcd = new EtcdClient(EtcdClient.ParseEndpoints(settings.EtcdEndpoints), TimeSpan.FromSeconds(5));
            Log = new EtcdSequencer(
                etcd,
                new EtcdOrderingOptions
                {
                    Prefix = string.IsNullOrWhiteSpace(settings.EtcdPrefix) ? $"thingledger/{Genesis.ChainId}" : settings.EtcdPrefix,
                    BlockInterval = TimeSpan.FromMilliseconds(settings.BlockIntervalMs),
                    MaxBlockTxs = settings.MaxBlockTxs,
                    MaxPending = settings.MaxPendingTxs,
                },
                clock,
                () => new LogPosition(Math.Min(Finality.FinalizedHeight, Head.Height), Head.Height, Head.Header.Timestamp),
                new CutAuthority(Genesis.ChainId, ValidatorKey, MayCutAsync));
            Sequencer = Log;
            Peers = PeerSync.ParsePeers(settings.Peers);
        }
        else
        {
            Sequencer = new SoloSequencer(
                new SoloOptions
                {
                    BlockInterval = TimeSpan.FromMilliseconds(settings.BlockIntervalMs),
                    MaxBlockTxs = settings.MaxBlockTxs,
                    MaxPending = settings.MaxPendingTxs,
                },
                clock,
                Store.Head!.Header.Timestamp);
        }
        Schemas = new SchemaCache(Store);
        Metrics = new NodeMetrics();
        _txsAtStart = Store.CountTxs();
        Verifier = new VerificationPool(Environment.ProcessorCount);
        Admission = new Admission(Store, Machine, Sequencer, Metrics, Verifier, Health, settings.MaxPendingPerSigner);
        Tracker = new CommitTracker(Store, id => Admission.FindPending(id) is not null);
        if (catchUpTo is { } target)
        {
            CatchingUpTo = target;
            Health.Set(FaultCause.CatchingUp, CatchUpFault(target));
            LogCatchingUp(logger, Head.Height, target);
        }
    }

    /// <summary>
    /// Set while a consortium peer's ledger is behind what its other stores prove it reached: it
    /// takes blocks from the consortium and accepts nothing until its head reaches this height.
    /// </summary>
    public ulong? CatchingUpTo { get; private set; }

    private static string CatchUpFault(ulong target) =>
        $"catching up: the ledger is behind block {target}, which this node's reading store or validator key already reached";

    public NodeOptions Options { get; }
    public Genesis Genesis { get; }
    public KeyPair ValidatorKey { get; }

    /// <summary>The highest block this node's key attested, kept on disk so it never signs two blocks at one height.</summary>
    public SignerState Signer { get; }
    public StateMachine Machine { get; }
    public LedgerStore Store { get; }

    /// <summary>The readings this node ingested, as their custodian (off-chain).</summary>
    public ReadingStore Readings { get; }

    /// <summary>Txs in committed blocks, failed ones included: those stored when the node started and those it committed since (the metric counts only the latter).</summary>
    public long CommittedTxs => _txsAtStart + Metrics.CommittedTxs;

    /// <summary>Registered telemetry schemas, read from state once each (a version never changes).</summary>
    public SchemaCache Schemas { get; }
    public ISequencer Sequencer { get; }

    /// <summary>The consortium's shared ordering log (etcd), or null for a solo node.</summary>
    public EtcdSequencer? Log { get; }

    /// <summary>Other peers to fetch missing blocks from (consortium only).</summary>
    public IReadOnlyList<Uri> Peers { get; } = [];

    public FinalityTracker Finality { get; }
    public VerificationPool Verifier { get; }
    public Admission Admission { get; }
    public CommitTracker Tracker { get; }
    public EventHub Events { get; } = new();
    public NodeMetrics Metrics { get; }

    public ChainHead Head => Store.Head!;

    private ValidatorHistory _validators;

    /// <summary>Every validator set scheduled by the blocks this node committed (genesis first).</summary>
    public ValidatorHistory Validators => Volatile.Read(ref _validators);

    /// <summary>The membership changes a proof for block <paramref name="height"/> must carry (docs/CONSORTIUM.md "Membership").</summary>
    public List<Core.Verification.ProofDocument>? MembershipProof(ulong height)
    {
        List<Core.Verification.ProofDocument>? links = null;
        foreach (var epoch in Validators.Epochs)
        {
            if (epoch.Epoch == 0 || epoch.From > height)
            {
                continue;
            }
            var record = Execution.Modules.Identity.IdentityModule.ReadEpoch(Store, epoch.Epoch)!;
            var inclusion = Store.GetTxInclusion(record.ScheduledBy)
                ?? throw new InvalidOperationException($"the tx {record.ScheduledBy} that scheduled validator epoch {epoch.Epoch} is not in this node's store");
            (links ??= []).Add(Core.Verification.ProofDocument.ForMembership(epoch, inclusion.Header, inclusion.Certificate,
                inclusion.Stored.Transaction, inclusion.Stored.Receipt, inclusion.TxProof, inclusion.ReceiptProof));
        }
        return links;
    }

    /// <summary>Loads validator epochs scheduled by newly committed blocks.</summary>
    private void RefreshValidators()
    {
        var latest = Execution.Modules.Identity.IdentityModule.ReadLatestEpoch(Store);
        var history = Validators;
        for (var n = history.Latest.Epoch + 1; n <= latest; n++)
        {
            var record = Execution.Modules.Identity.IdentityModule.ReadEpoch(Store, n)
                ?? throw new InvalidDataException($"state has no record of validator epoch {n}");
            history = history.TryAppend(record.Set, out var problem) ?? throw new InvalidDataException($"validator epoch {n} in state: {problem}");
        }
        Volatile.Write(ref _validators, history);
        Volatile.Write(ref _validatorsThrough, Store.Head!.Height);
    }

    /// <summary>The height of the last block whose validator changes <see cref="Validators"/> holds.</summary>
    private ulong _validatorsThrough;

    /// <summary>Why the node refuses writes now (see <see cref="NodeHealth"/>), or null while healthy.</summary>
    public string? Fault => Health.Fault;

    public NodeHealth Health { get; } = new();

    /// <summary>A write to a store failed: a full disk waits for room (<see cref="DiskWatch"/>), a damaged file stops writes until it is repaired.</summary>
    public void ReportStorageFailure(StorageException failure, DiskWatch disk)
    {
        switch (failure)
        {
            case DiskFullException full:
                disk.ReportFull(full);
                break;
            case StorageCorruptException:
                Health.Set(FaultCause.StorageCorrupt, $"{failure.Message}; stop the node and run `thingledger node repair --data {Options.DataDirectory}`");
                break;
        }
    }

    /// <summary>Why ordering (etcd) cannot be reached right now, or null; the node waits and retries.</summary>
    public string? OrderingProblem { get; set; }

    /// <summary>
    /// This node's own attestation of a block it computed. A solo node is the only validator it
    /// needs; in a consortium the certificate grows to a quorum as other peers' attestations arrive.
    /// </summary>
    /// <remarks>
    /// The key signs only what <see cref="SignerState"/> allows. A consortium peer whose ledger is
    /// behind its own record (rebuilt after a loss) commits those blocks without its attestation:
    /// the other validators' make them final. A solo node never gets here behind its record: it
    /// refuses to start (<see cref="DataDirectory.CheckStoresAgree"/>).
    /// </remarks>
    public FinalityCertificate Attest(BlockHeader header)
    {
        // Under the same lock as AttestDue: held-back blocks are signed before any later one.
        lock (_attestLock)
        {
            if (Options.IsConsortium && DeferAttestation(header))
            {
                return FinalityCertificate.Of();
            }
            if (Signer.TrySign(ValidatorKey, header, Validators.Scope) is { } own)
            {
                return FinalityCertificate.Of(own);
            }
        }
        return Options.IsConsortium
            ? FinalityCertificate.Of()
            : throw new InvalidOperationException($"the validator key attested block {Signer.Height} ({Signer.BlockHash}) already and will not sign another block {header.Height}");
    }

    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Queue<BlockHeader> _unattested = new();
    private readonly object _attestLock = new();

    /// <summary>
    /// Why this peer is holding back its attestations (a block dated ahead of its clock by more
    /// than Node:MaxBlockClockSkewMs), or null. Writes go on; finality waits for the clock or a quorum of others.
    /// </summary>
    public string? AttestationProblem { get; private set; }

    /// <summary>
    /// A consortium peer attests a block only when its time is at most Node:MaxBlockClockSkewMs
    /// ahead of the peer's own clock; a later-dated block, and every block after it (never
    /// signing out of order), waits in order until <see cref="AttestDue"/> finds the clock there.
    /// </summary>
    private bool DeferAttestation(BlockHeader header)
    {
        lock (_attestLock)
        {
            // Unsigned arithmetic throughout: a block dated 2^64 - 1 must not wrap to "behind".
            var now = (ulong)_clock.GetUtcNow().ToUnixTimeMilliseconds();
            var aheadMs = header.Timestamp > now ? header.Timestamp - now : 0UL;
            if (_unattested.Count == 0 && aheadMs <= (ulong)Options.MaxBlockClockSkewMs)
            {
                return false;
            }
            _unattested.Enqueue(header);
            if (aheadMs > (ulong)Options.MaxBlockClockSkewMs && AttestationProblem is null)
            {
                AttestationProblem = $"block {header.Height} is dated {DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(header.Timestamp, (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())):O}, " +
                    $"{aheadMs / 1000} s ahead of this peer's clock (at most {Options.MaxBlockClockSkewMs} ms): not attested until the clock gets there";
                LogBlockAhead(_logger, header.Height, aheadMs, Options.MaxBlockClockSkewMs);
            }
            return true;
        }
    }

    /// <summary>
    /// Signs, in order, the held-back blocks whose time the clock has now reached; returns their
    /// attestations for finality to count and publish.
    /// </summary>
    public List<AttestationMessage> AttestDue()
    {
        var signed = new List<AttestationMessage>();
        lock (_attestLock)
        {
            var now = (ulong)_clock.GetUtcNow().ToUnixTimeMilliseconds();
            while (_unattested.TryPeek(out var header) && header.Timestamp <= now + (ulong)Options.MaxBlockClockSkewMs)
            {
                _unattested.Dequeue();
                if (Signer.TrySign(ValidatorKey, header, Validators.Scope) is { } own)
                {
                    signed.Add(new AttestationMessage(header.Height, header.Hash, header.StateRoot, own));
                }
            }
            if (_unattested.Count == 0)
            {
                AttestationProblem = null;
            }
            // These blocks are committed already and their attestations are published next.
            Signer.Persist();
        }
        return signed;
    }

    /// <summary>
    /// After a restart: blocks committed without this peer's attestation, above what its key
    /// signed and not final, were held back; they wait again, in order.
    /// </summary>
    public void ResumeAttesting()
    {
        var from = Math.Max(Finality.FinalizedHeight, Signer.Height ?? 0);
        if (!Options.IsConsortium || Head.Height <= from)
        {
            return;
        }
        var held = Store.RecentBlocks(Head.Height, (int)Math.Min(Head.Height - from, 10_000))
            .Where(b => b.Height > from && !b.Certificate.Attestations.Any(a => a.Validator.Equals(ValidatorKey.PublicKey)))
            .OrderBy(b => b.Height);
        lock (_attestLock)
        {
            foreach (var block in held)
            {
                _unattested.Enqueue(block.Header);
            }
        }
    }

    private TaskCompletionSource _headMoved = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Whether <paramref name="key"/> may end block <paramref name="height"/>: a validator in
    /// force at that height. Waits until block height − 1 is committed, which fixes the set.
    /// </summary>
    private async ValueTask<bool> MayCutAsync(ulong height, PublicKey key, CancellationToken cancellationToken)
    {
        while (true)
        {
            var moved = Volatile.Read(ref _headMoved).Task;
            if (Volatile.Read(ref _validatorsThrough) + 1 >= height)
            {
                return Validators.At(height).Contains(key);
            }
            await moved.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Executes and durably commits the next block, then tells admission, waiters, finality,
    /// subscribers and metrics. A fetched block must reproduce its header exactly and keeps the
    /// certificate it came with; otherwise nothing is committed (<see cref="BlockMismatchException"/>).
    /// </summary>
    public ChainHead ApplyBlock(ulong timestamp, IReadOnlyList<Transaction> txs, BlockRecord? fetched = null)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var height = Head.Height + 1;
        var executed = Machine.ExecuteBlock(Store, height, timestamp, txs);
        ChainHead head;
        try
        {
            head = fetched is null
                ? Store.CommitBlock(timestamp, txs, executed.Receipts, executed.Changes, Attest)
                : Store.CommitBlock(timestamp, txs, executed.Receipts, executed.Changes, _ => fetched.Certificate, fetched.Header);
        }
        catch
        {
            Signer.Abandon();
            throw;
        }
        Signer.Persist();
        RefreshValidators();
        Interlocked.Exchange(ref _headMoved, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        if (CatchingUpTo is { } target && head.Height >= target)
        {
            CatchingUpTo = null;
            Health.Clear(FaultCause.CatchingUp);
        }
        Admission.OnCommitted(txs, executed.Receipts);
        Tracker.OnCommitted(head.Height, txs, executed.Receipts);
        Finality.OnCommitted(head);
        var failed = 0;
        foreach (var receipt in executed.Receipts)
        {
            failed += receipt.Succeeded ? 0 : 1;
        }
        Metrics.CountBlock(head.Height, head.Header.Timestamp, txs.Count, failed, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        Events.Publish(new Client.Contracts.BlockEvent(head.Height, head.Header.Hash.ToString(), head.Header.Timestamp, txs.Count, failed, head.Header.StateRoot.ToString()));
        if (Committed is { } committed)
        {
            try
            {
                committed(head, executed.Receipts);
            }
            catch (Exception e)
            {
                // The block is committed whatever a watcher does with it.
                LogCommittedHandlerFailed(_logger, e, head.Height);
            }
        }
        return head;
    }

    /// <summary>
    /// Every block once it is durably committed, with its receipts and so its events, in height
    /// order and none missed (unlike <see cref="Events"/>, which drops for slow readers). Handlers run
    /// on the commit path: they must only hand work off.
    /// </summary>
    public event Action<ChainHead, IReadOnlyList<Core.Ledger.Receipt>>? Committed;

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "A watcher of committed blocks failed on block {Height}")]
    private static partial void LogCommittedHandlerFailed(ILogger logger, Exception exception, ulong height);

    public void Dispose()
    {
        Log?.Dispose();
        Verifier.Dispose();
        Readings.Dispose();
        Store.Dispose();
        ValidatorKey.Dispose();
    }

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Block {Height} is dated {AheadMs} ms ahead of this peer's clock (at most {MaxMs}): its attestation waits until the clock gets there")]
    private static partial void LogBlockAhead(ILogger logger, ulong height, ulong aheadMs, long maxMs);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "The ledger is at block {Height}, behind block {Target} that this node's other stores reached: catching up from the consortium before accepting anything")]
    private static partial void LogCatchingUp(ILogger logger, ulong height, ulong target);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Opening the data directory: {Message}")]
    private static partial void LogOpening(ILogger logger, string message);
}
