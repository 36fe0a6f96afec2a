using BenchmarkDotNet.Attributes;
using ThingLedger.Client;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Storage;

namespace ThingLedger.Benchmarks;

/// <summary>
/// Applying one block of token transfers among 2,000 accounts on a SQLite ledger (WAL,
/// synchronous=FULL): execution, the state tree, roots, and the block's one SQLite transaction
/// with its tx rows, activity index and state rows. Signatures are not checked here (admission
/// does that before ordering), so this is the serial part of a block's cost.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class BlockCommitBenchmarks
{
    private const string Symbol = "BENCH";
    private readonly KeyPair _admin = KeyPair.Generate();
    private Genesis _genesis = null!;
    private StateMachine _machine = null!;
    private LedgerStore _store = null!;
    private string _directory = "";
    private Account[] _accounts = [];
    private Transaction[] _next = [];
    private int _round;

    [Params(5_000)]
    public int BlockTxs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("tl-bench-commit-").FullName;
        _genesis = new Genesis("bench-commit", 1_700_000_000_000, [new GenesisOrg("acme", "Acme", [_admin.PublicKey])], [new GenesisValidator("acme", _admin.PublicKey)], 1);
        _machine = StateMachine.Create(_genesis.ChainId);
        _store = LedgerStore.Open(_directory, _genesis, _machine.Events);
        _store.CommitBlock(_genesis.Timestamp, [], [], _machine.Genesis(_genesis, _store), Attest);
        var admin = new Account(_admin, _genesis.ChainId, 1);
        _accounts = [.. Enumerable.Range(0, 2_000).Select(_ => new Account(KeyPair.Generate(), _genesis.ChainId, 1))];
        Apply([admin.Sign(Operations.CreateToken(Symbol, "Benchmark", 0, Roles.Admin, 0)),
            .. _accounts.Select(a => admin.Sign(Operations.Mint(Symbol, a.Address, 1_000_000_000)))]);
    }

    [IterationSetup]
    public void SignNextBlock()
    {
        _round++;
        _next = new Transaction[BlockTxs];
        for (var n = 0; n < _next.Length; n++)
        {
            var from = _accounts[n % _accounts.Length];
            var to = _accounts[(n * 7 + _round) % _accounts.Length].Address;
            _next[n] = from.Sign(Operations.Transfer(Symbol, to, 1));
        }
    }

    /// <summary>Execute and durably commit one block.</summary>
    [Benchmark]
    public ChainHead ApplyBlock() => Apply(_next);

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private ChainHead Apply(Transaction[] txs)
    {
        var height = _store.Head!.Height + 1;
        var result = _machine.ExecuteBlock(_store, height, _genesis.Timestamp + height, txs);
        return _store.CommitBlock(_genesis.Timestamp + height, txs, result.Receipts, result.Changes, Attest);
    }

    private FinalityCertificate Attest(BlockHeader header) => FinalityCertificate.Of(Attestation.Sign(_admin, header, AttestationScope.Of(_genesis)));
}
