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
        using var store = LedgerStore.Open(DataDirectory, Genesis, Machine.Events);
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
        using var store = LedgerStore.Open(DataDirectory, Genesis, Machine.Events);
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
        using (var store = LedgerStore.Open(DataDirectory, Genesis, Machine.Events))
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

        using var reopened = LedgerStore.Open(DataDirectory, Genesis, Machine.Events);
        Assert.Equal(["2-2", "1-1"], Positions(reopened.Activity(ActivityTopics.OfAddress(_alice), null, 10)));
        Assert.Equal(4, reopened.Activity(ActivityTopics.OfToken("PTS"), null, 10).Count);
    }

    [Fact]
    public void A_format_2_database_is_converted_on_open_and_its_activity_indexed_again()
    {
        using (var store = LedgerStore.Open(DataDirectory, Genesis, Machine.Events))
        {
            CommitSample(store);
        }
        Sql("DROP TABLE activity; " +
            "CREATE TABLE activity (topic BLOB NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (topic, height, idx)) WITHOUT ROWID; " +
            "UPDATE meta SET value = 'thingledger-ledger/2' WHERE key = 'format';");

        var heard = new List<string>();
        using (var reopened = LedgerStore.Open(DataDirectory, Genesis, Machine.Events, heard.Add))
        {
            Assert.Equal(["2-2", "1-1"], Positions(reopened.Activity(ActivityTopics.OfAddress(_alice), null, 10)));
            Assert.Equal(["2-2", "2-0", "1-1", "1-0"], Positions(reopened.Activity(ActivityTopics.OfToken("PTS"), null, 10)));
        }
        Assert.Contains(heard, m => m.Contains("5 of 5 txs", StringComparison.Ordinal));
        Assert.Equal("thingledger-ledger/3", Sql("SELECT value FROM meta WHERE key = 'format'"));
        Assert.Equal("1", Sql("SELECT COUNT(*) FROM pragma_table_info('activity') WHERE name = 'positions'"));

        heard.Clear();
        using (LedgerStore.Open(DataDirectory, Genesis, Machine.Events, heard.Add))
        {
            Assert.Empty(heard);
        }
    }

    [Fact]
    public void A_block_keeps_one_row_per_topic_and_pages_continue_inside_it()
    {
        using var store = LedgerStore.Open(DataDirectory, Genesis, Machine.Events);
        CommitGenesis(store);
        var txs = new List<Transaction> { Tx("create", new CreateTokenPayload("PTS", "Points", 0, Roles.Admin, 0), 1) };
        for (var n = 0; n < 300; n++)
        {
            txs.Add(Tx("mint", new TokenAmountPayload("PTS", n % 150 == 0 ? _alice : _bob, 1), (ulong)txs.Count + 1));
        }
        CommitTxs(store, [.. txs]);

        Assert.Equal("1", Sql($"SELECT COUNT(*) FROM activity WHERE topic = x'{Convert.ToHexString(ActivityTopics.OfToken("PTS"))}'"));
        Assert.Equal(["1-151", "1-1"], Positions(store.Activity(ActivityTopics.OfAddress(_alice), null, 10)));
        var seen = new List<string>();
        TxPosition? cursor = null;
        while (true)
        {
            var page = store.Activity(ActivityTopics.OfAddress(_bob), cursor, 64);
            if (page.Count == 0)
            {
                break;
            }
            seen.AddRange(Positions(page));
            cursor = new TxPosition(page[^1].Height, page[^1].Index);
        }
        Assert.Equal(298, seen.Count);
        Assert.Equal("1-300", seen[0]);
        Assert.Equal("1-2", seen[^1]);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public void Positions_round_trip_and_damaged_bytes_are_refused()
    {
        List<int> positions = [0, 1, 2, 130, 131, 20_000];
        var buffer = new byte[ActivityPositions.MaxSize(positions.Count)];
        var length = ActivityPositions.Write(positions, buffer);
        Assert.Equal("0000007f009c9b01", Convert.ToHexStringLower(buffer.AsSpan(0, length)));
        var read = new List<int>();
        Assert.True(ActivityPositions.TryRead(buffer.AsSpan(0, length), read));
        Assert.Equal(positions, read);

        Assert.False(ActivityPositions.TryRead([], read));
        Assert.False(ActivityPositions.TryRead([0x80], read));
        Assert.False(ActivityPositions.TryRead([0x80, 0x00], read));
        Assert.False(ActivityPositions.TryRead([0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f], read));
        Assert.Throws<ArgumentException>(() => ActivityPositions.Write([3, 3], buffer));
    }

    private string Sql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, LedgerStore.DatabaseFileName)};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
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
