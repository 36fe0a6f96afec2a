using System.Formats.Tar;
using System.IO.Compression;
using Microsoft.Data.Sqlite;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Node.Repair;
using ThingLedger.Storage;

namespace ThingLedger.Node.Tests;

/// <summary>
/// Fixtures/datadir-v1.tar.gz is a demo data directory written by the release before tx
/// version 2 (every tx in it is version 1: no gas limit): 22 blocks of organisations, devices,
/// tokens, anchors, rewards and carbon credits.
/// </summary>
public sealed class DataDirectoryMigrationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-v1-").FullName;

    public DataDirectoryMigrationTests()
    {
        using var file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "datadir-v1.tar.gz"));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        TarFile.ExtractToDirectory(gzip, _directory, overwriteFiles: false);
    }

    [Fact]
    public void Every_version_1_block_executes_again_to_its_stored_header()
    {
        var genesis = DataDirectory.LoadGenesis(_directory);
        var target = Directory.CreateTempSubdirectory("tl-v1-replay-").FullName;
        try
        {
            var (height, stopped) = NodeRepair.Rebuild(Path.Combine(_directory, LedgerStore.DatabaseFileName), target, genesis, _ => { });
            Assert.Null(stopped);
            Assert.Equal(22ul, height);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public async Task The_node_opens_it_as_it_is_serves_its_version_1_txs_and_appends_version_2_ones()
    {
        var ledger = Path.Combine(_directory, LedgerStore.DatabaseFileName);
        await using var node = TestNode.Over(_directory, keepDirectory: true);
        var client = node.Client();
        var head = await client.GetHeadAsync();
        Assert.True(head.Height >= 22);
        // The count of committed txs is the chain's, not this process's.
        Assert.InRange((await client.GetStatusAsync()).CommittedTxs, 155, 200);
        var old = (await client.GetBlockAsync(5))!.Txs!;
        Assert.NotEmpty(old);
        Assert.All(old, tx => Assert.Equal((1, 0ul), (tx.Version, tx.GasLimit)));

        var admin = await Account.OpenAsync(client, node.Keys.Load("gridco-admin"), node.Genesis.ChainId);
        var added = await client.SubmitAsync(admin.Sign(Operations.AddMember("gridco", KeyPair.Generate().Address, Roles.Auditor)), wait: true);
        Assert.Equal(TxState.Committed, added.Status);
        var tx = (await client.GetTxAsync(Hash.Parse(added.Id!)))!;
        Assert.Equal((2, Gas.DefaultTxLimit), (tx.Version, tx.GasLimit));
        Assert.InRange(tx.Receipt!.GasUsed, Gas.Base, Gas.DefaultTxLimit);
        Assert.True(File.Exists(ledger));

        // Its genesis is version 1: attestations keep signing without the genesis hash, so
        // proofs of old blocks and of the new one verify; the document names the genesis.
        Assert.Equal(Genesis.UnboundVersion, node.Genesis.Version);
        foreach (var id in new[] { old[0].Id, added.Id! })
        {
            var proof = await client.GetTxProofAsync(Hash.Parse(id));
            Assert.Equal(node.Genesis.Hash.ToString(), proof.GenesisHash);
            Assert.True(proof.Verify(DataDirectory.LoadGenesis(_directory)).Ok);
        }
    }

    [Fact]
    public void Every_tx_of_the_demo_chain_decodes_field_by_field_for_the_explorer()
    {
        var genesis = DataDirectory.LoadGenesis(_directory);
        var machine = Execution.StateMachine.Create(genesis.ChainId);
        using (var store = LedgerStore.Open(_directory, genesis, machine.Events))
        {
            var txs = store.RecentTxs(null, 10_000);
            Assert.Equal(155, txs.Count);
            var undecoded = txs.Where(t => machine.Describe(t.Transaction) is not { Count: > 0 })
                .Select(t => $"{t.Transaction.Module}/{t.Transaction.Operation}").Distinct().ToList();
            Assert.True(undecoded.Count == 0, "undecoded: " + string.Join(", ", undecoded));
            var operations = txs.Select(t => $"{t.Transaction.Module}/{t.Transaction.Operation}").ToHashSet();
            Assert.Superset(new HashSet<string> { "carbon/register-methodology", "carbon/claim", "carbon/verify", "rewards/create", "rewards/enrol", "telemetry/anchor", "tokens/create", "devices/register" }, operations);
        }
        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// The release that wrote the fixture indexed every attribute named "symbol" as a token and
    /// every value that parses as an address as that address. Topics now come from the modules'
    /// event declarations; over every receipt of the old chain they are the same.
    /// </summary>
    [Fact]
    public void Declared_event_topics_index_the_version_1_chain_as_the_release_that_wrote_it()
    {
        var genesis = DataDirectory.LoadGenesis(_directory);
        var machine = Execution.StateMachine.Create(genesis.ChainId);
        using (var store = LedgerStore.Open(_directory, genesis, machine.Events))
        {
            var txs = store.RecentTxs(null, 10_000);
            var topics = new List<byte[]>();
            var events = 0;
            foreach (var tx in txs)
            {
                ActivityTopics.Collect(tx.Receipt, machine.Events, topics);
                Assert.Equal(LegacyTopics(tx.Receipt).Select(Convert.ToHexString).Order(), topics.Select(Convert.ToHexString).Order());
                events += tx.Receipt.Events.Length;
                Assert.All(tx.Receipt.Events, e => Assert.NotNull(machine.Events.Find(e.Module, e.Name)));
            }
            Assert.True(events > 150, $"only {events} events in the fixture");
        }
        SqliteConnection.ClearAllPools();
    }

    private static IEnumerable<byte[]> LegacyTopics(Receipt receipt) =>
        receipt.Events.SelectMany(e => e.Attributes)
            .Select(a => a.Key == "symbol" ? ActivityTopics.OfToken(a.Value)
                : a.Value.Length == Address.TextLength && Address.TryParse(a.Value, out var address) ? ActivityTopics.OfAddress(address) : null)
            .OfType<byte[]>()
            .DistinctBy(Convert.ToHexString);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
