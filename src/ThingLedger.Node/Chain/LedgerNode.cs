using Microsoft.Extensions.Options;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Node.Telemetry;
using ThingLedger.Ordering;
using ThingLedger.Storage;

namespace ThingLedger.Node.Chain;

/// <summary>
/// One node's ledger: the store, the state machine, ordering, admission and the notifications
/// around commits. Opening it commits block 0 from genesis on a new data directory.
/// </summary>
public sealed class LedgerNode : IDisposable
{
    public LedgerNode(IOptions<NodeOptions> options, TimeProvider clock)
    {
        var settings = options.Value;
        settings.Validate();
        Options = settings;
        Genesis = DataDirectory.LoadGenesis(settings.DataDirectory);
        ValidatorKey = DataDirectory.LoadNodeKey(settings.DataDirectory);
        if (!Genesis.IsValidator(ValidatorKey.PublicKey))
        {
            throw new InvalidOperationException($"node.key in {settings.DataDirectory} is not a validator of chain '{Genesis.ChainId}'");
        }
        Machine = StateMachine.Create(Genesis.ChainId);
        Store = LedgerStore.Open(settings.DataDirectory, Genesis);
        if (Store.Head is null)
        {
            Store.CommitBlock(Genesis.Timestamp, [], [], Machine.Genesis(Genesis, Store), Attest);
        }
        Sequencer = new SoloSequencer(
            new SoloOptions
            {
                BlockInterval = TimeSpan.FromMilliseconds(settings.BlockIntervalMs),
                MaxBlockTxs = settings.MaxBlockTxs,
                MaxPending = settings.MaxPendingTxs,
            },
            clock,
            Store.Head!.Header.Timestamp);
        Readings = ReadingStore.Open(settings.DataDirectory, Genesis.ChainId);
        Schemas = new SchemaCache(Store);
        Metrics = new NodeMetrics();
        Verifier = new VerificationPool(Environment.ProcessorCount);
        Admission = new Admission(Store, Machine, Sequencer, Metrics, Verifier);
        Tracker = new CommitTracker(Store, id => Admission.FindPending(id) is not null);
    }

    public NodeOptions Options { get; }
    public Genesis Genesis { get; }
    public KeyPair ValidatorKey { get; }
    public StateMachine Machine { get; }
    public LedgerStore Store { get; }

    /// <summary>The readings this node ingested, as their custodian (off-chain).</summary>
    public ReadingStore Readings { get; }

    /// <summary>Registered telemetry schemas, read from state once each (a version never changes).</summary>
    public SchemaCache Schemas { get; }
    public ISequencer Sequencer { get; }
    public VerificationPool Verifier { get; }
    public Admission Admission { get; }
    public CommitTracker Tracker { get; }
    public EventHub Events { get; } = new();
    public NodeMetrics Metrics { get; }

    public ChainHead Head => Store.Head!;

    /// <summary>Why the node stopped committing, or null while healthy.</summary>
    public string? Fault => Admission.Fault;

    /// <summary>The solo node is the only validator it needs: it attests its own blocks.</summary>
    public FinalityCertificate Attest(BlockHeader header) => FinalityCertificate.Of(Attestation.Sign(ValidatorKey, header));

    public void Dispose()
    {
        Verifier.Dispose();
        Readings.Dispose();
        Store.Dispose();
        ValidatorKey.Dispose();
    }
}
