using Microsoft.Data.Sqlite;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Storage.Tests;

public sealed class ActivityIndexTests() : SingleOrgChain("activity-chain")
{
    private readonly Address _alice = KeyPair.Generate().Address;
    private readonly Address _bob = KeyPair.Generate().Address;

    private void Commit(LedgerStore store, params Transaction[] txs)
    {
        if (store.Head is null)
        {
            CommitGenesis(store);
        }
        CommitTxs(store, txs);
    }

    private Transaction Tx(string op, ICanonical payload, ulong nonce) =>
        Transaction.Create(Genesis.ChainId, "tokens", op, Canonical.Encode(payload), Admin, nonce, ulong.MaxValue);

    /// <summary>Block 1: create PTS, mint to alice; block 2: mint to bob, a failing mint (over no cap: wrong symbol), mint to alice.</summary>
    private void CommitSample(LedgerStore store)
    {
        Commit(store, Tx("create", new CreateTokenPayload("PTS", "Points", 0, Roles.Admin, 0), 1), Tx("mint", new TokenAmountPayload("PTS", _alice, 5), 2));
        Commit(store, Tx("mint", new TokenAmountPayload("PTS", _bob, 6), 3), Tx("mint", new TokenAmountPayload("NOPE", _bob, 1), 4),
            Tx("mint", new TokenAmountPayload("PTS", _alice, 7), 5));
    }

    private static List<string> Positions(IEnumerable<StoredTx> txs) => [.. txs.Select(t => new TxPosition(t.Height, t.Index).ToString())];

    [Fact]
    public void Txs_are_found_by_the_addresses_and_tokens_their_events_name_newest_first()
    {
        using var store = LedgerStore.Open(DataDirectory, Genesis);
        CommitSample(store);

        Assert.Equal(["2-2", "1-1"], Positions(store.Activity(ActivityTopics.OfAddress(_alice), null, 10)));
        Assert.Equal(["2-0"], Positions(store.Activity(ActivityTopics.OfAddress(_bob), null, 10)));
        // The failed mint names bob in its payload but has no events: it is not bob's activity.
        Assert.Equal(["2-2", "2-0", "1-1", "1-0"], Positions(store.Activity(ActivityTopics.OfToken("PTS"), null, 10)));
        Assert.Empty(store.Activity(ActivityTopics.OfToken("NOPE"), null, 10));
    }

    [Fact]
    public void Pages_continue_strictly_before_the_cursor()
    {
        using var store = LedgerStore.Open(DataDirectory, Genesis);
        CommitSample(store);

        var first = store.Activity(ActivityTopics.OfToken("PTS"), null, 3);
        var rest = store.Activity(ActivityTopics.OfToken("PTS"), new TxPosition(first[^1].Height, first[^1].Index), 3);
        Assert.Equal(["2-2", "2-0", "1-1"], Positions(first));
        Assert.Equal(["1-0"], Positions(rest));
        Assert.Equal(["2-2", "2-1", "2-0", "1-1", "1-0"], Positions(store.RecentTxs(null, 10)));
        Assert.Equal(["2-0", "1-1"], Positions(store.RecentTxs(new TxPosition(2, 1), 2)));
        Assert.Equal(["2-1", "2-0"], Positions(store.TxsBySigner(Admin.Address, 2, new TxPosition(2, 2))));
    }

    [Fact]
    public void A_database_written_before_the_index_existed_is_indexed_once_on_open()
    {
        using (var store = LedgerStore.Open(DataDirectory, Genesis))
        {
            CommitSample(store);
        }
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, LedgerStore.DatabaseFileName)};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "DELETE FROM activity; DELETE FROM meta WHERE key = 'activity_indexed';";
            cmd.ExecuteNonQuery();
        }

        using var reopened = LedgerStore.Open(DataDirectory, Genesis);
        Assert.Equal(["2-2", "1-1"], Positions(reopened.Activity(ActivityTopics.OfAddress(_alice), null, 10)));
        Assert.Equal(4, reopened.Activity(ActivityTopics.OfToken("PTS"), null, 10).Count);
    }

    [Theory]
    [InlineData("12-3", true)]
    [InlineData("0-0", true)]
    [InlineData("12", false)]
    [InlineData("-3", false)]
    [InlineData("1-x", false)]
    [InlineData("+1-2", false)]
    [InlineData("1--2", false)]
    public void Tx_positions_parse_strictly(string text, bool ok)
    {
        Assert.Equal(ok, TxPosition.TryParse(text, out var position));
        if (ok)
        {
            Assert.Equal(text, position.ToString());
        }
    }
}
