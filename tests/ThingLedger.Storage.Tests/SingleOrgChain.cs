using Microsoft.Data.Sqlite;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;

namespace ThingLedger.Storage.Tests;

/// <summary>
/// The base of store tests: a fresh data directory and a one-organisation chain whose admin is
/// also its only validator, with the production state machine to execute and commit blocks.
/// </summary>
public abstract class SingleOrgChain : IDisposable
{
    protected SingleOrgChain(string chainId)
    {
        Genesis = new Genesis(chainId, 1_700_000_000_000, [new GenesisOrg("acme", "Acme", [Admin.PublicKey])], [new GenesisValidator("acme", Admin.PublicKey)], 1);
        Machine = StateMachine.Create(Genesis.ChainId);
    }

    protected string DataDirectory { get; } = Directory.CreateTempSubdirectory("tl-store-").FullName;

    protected KeyPair Admin { get; } = KeyPair.Generate();

    protected Genesis Genesis { get; }

    protected StateMachine Machine { get; }

    public void Dispose()
    {
        Admin.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected FinalityCertificate Attest(BlockHeader header) => FinalityCertificate.Of(Attestation.Sign(Admin, header, AttestationScope.Of(Genesis)));

    protected ChainHead CommitGenesis(LedgerStore store) =>
        store.CommitBlock(Genesis.Timestamp, [], [], Machine.Genesis(Genesis, store), Attest);

    protected ChainHead CommitTxs(LedgerStore store, params Transaction[] txs)
    {
        var height = store.Head!.Height + 1;
        var result = Machine.ExecuteBlock(store, height, Genesis.Timestamp + height, txs);
        return store.CommitBlock(Genesis.Timestamp + height, txs, result.Receipts, result.Changes, Attest);
    }
}
