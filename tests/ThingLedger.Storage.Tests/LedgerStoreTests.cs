using Microsoft.Data.Sqlite;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Verification;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Storage.Tests;

public sealed class LedgerStoreTests() : SingleOrgChain("store-chain")
{
    private Transaction[] TokenTxs(ulong firstNonce) =>
    [
        Transaction.Create(Genesis.ChainId, "tokens", "create", Canonical.Encode(new CreateTokenPayload("PTS", "Points", 0, Roles.Admin, 0)), Admin, firstNonce, ulong.MaxValue),
        Transaction.Create(Genesis.ChainId, "tokens", "mint", Canonical.Encode(new TokenAmountPayload("PTS", Admin.Address, 77)), Admin, firstNonce + 1, ulong.MaxValue),
    ];

    [Fact]
    public void Reopening_resumes_at_the_same_height_and_state_root()
    {
        ChainHead head;
        using (var store = LedgerStore.Open(DataDirectory, Genesis, Machine.Events))
        {
            Assert.Null(store.Head);
            CommitGenesis(store);
            head = CommitTxs(store, TokenTxs(1));
        }
        using var reopened = LedgerStore.Open(DataDirectory, Genesis, Machine.Events);
        Assert.Equal(head.Header, reopened.Head!.Header);
        Assert.Equal((UInt128)77, TokensModule.ReadBalance(reopened, "PTS", Admin.Address));
        Assert.Equal(1ul, reopened.Head.Height);
    }

    [Fact]
    public void Block_zero_links_to_the_genesis_hash_and_blocks_chain_by_hash()
    {
        using var store = LedgerStore.Open(DataDirectory, Genesis, Machine.Events);
        var zero = CommitGenesis(store);
        var one = CommitTxs(store, TokenTxs(1));
        Assert.Equal(Genesis.Hash, zero.Header.PreviousHash);
        Assert.Equal(zero.Header.Hash, one.Header.PreviousHash);
        Assert.Equal(one.Header, store.GetHeadByHash(one.Header.Hash)!.Header);
        Assert.Equal(2, store.GetBlock(1)!.Transactions.Count);
    }

    [Fact]
    public void Tx_and_state_proofs_from_the_store_verify_offline()
    {
        using var store = LedgerStore.Open(DataDirectory, Genesis, Machine.Events);
        CommitGenesis(store);
        var txs = TokenTxs(1);
        CommitTxs(store, txs);
        var inclusion = store.GetTxInclusion(txs[1].Id)!;
        var result = ProofVerifier.VerifyTransaction(ValidatorHistory.FromGenesis(Genesis), inclusion.Header, inclusion.Certificate, inclusion.Stored.Transaction,
            inclusion.TxProof, inclusion.Stored.Receipt, inclusion.ReceiptProof);
        Assert.True(result.Ok, result.Message);

        var key = TokensModule.BalanceKey("PTS", Admin.Address);
        var (value, proof, head) = store.GetWithProof(key);
        Assert.True(ProofVerifier.VerifyState(ValidatorHistory.FromGenesis(Genesis), head.Header, head.Certificate, key, value, proof).Ok);
        var (missing, absence, _) = store.GetWithProof("tokens/balance/PTS/nobody");
        Assert.Null(missing);
        Assert.True(ProofVerifier.VerifyState(ValidatorHistory.FromGenesis(Genesis), head.Header, head.Certificate, "tokens/balance/PTS/nobody", null, absence).Ok);
        Assert.False(ProofVerifier.VerifyState(ValidatorHistory.FromGenesis(Genesis), head.Header, head.Certificate, key, [1, 2], proof).Ok);
    }

    [Fact]
    public void Scans_return_keys_in_order_after_a_cursor()
    {
        using var store = LedgerStore.Open(DataDirectory, Genesis, Machine.Events);
        CommitGenesis(store);
        CommitTxs(store, TokenTxs(1));
        var all = store.Scan("identity/", null, 100);
        Assert.True(all.Count >= 2);
        Assert.Equal(all.Select(kv => kv.Key).Order(StringComparer.Ordinal), all.Select(kv => kv.Key));
        var rest = store.Scan("identity/", all[0].Key, 100);
        Assert.Equal(all.Count - 1, rest.Count);
    }

    [Fact]
    public void A_directory_of_another_chain_is_refused()
    {
        using (var store = LedgerStore.Open(DataDirectory, Genesis, Machine.Events))
        {
            CommitGenesis(store);
        }
        var other = new Genesis("other-chain", 1, [new GenesisOrg("acme", "Acme", [Admin.PublicKey])], [new GenesisValidator("acme", Admin.PublicKey)], 1);
        var error = Assert.Throws<StorageException>(() => LedgerStore.Open(DataDirectory, other, Machine.Events));
        Assert.Contains("refusing to mix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_and_left_alone()
    {
        var path = Path.Combine(DataDirectory, LedgerStore.DatabaseFileName);
        var garbage = Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(path, garbage);
        Assert.Throws<StorageException>(() => LedgerStore.Open(DataDirectory, Genesis, Machine.Events));
        Assert.Equal(garbage, File.ReadAllBytes(path));
    }

    [Fact]
    public void Tampered_state_is_detected_on_open()
    {
        using (var store = LedgerStore.Open(DataDirectory, Genesis, Machine.Events))
        {
            CommitGenesis(store);
            CommitTxs(store, TokenTxs(1));
        }
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, LedgerStore.DatabaseFileName)}"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "UPDATE state SET value = x'00000000000000000000000000ffffff' WHERE key LIKE 'tokens/balance/%'";
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }
        SqliteConnection.ClearAllPools();
        var error = Assert.Throws<StorageException>(() => LedgerStore.Open(DataDirectory, Genesis, Machine.Events));
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_attestation_faults_the_store_and_nothing_is_written()
    {
        using (var store = LedgerStore.Open(DataDirectory, Genesis, Machine.Events))
        {
            CommitGenesis(store);
            var txs = TokenTxs(1);
            var result = Machine.ExecuteBlock(store, 1, 5, txs);
            Assert.Throws<InvalidOperationException>(() => store.CommitBlock(5, txs, result.Receipts, result.Changes, _ => throw new InvalidOperationException("signer gone")));
            Assert.Null(TokensModule.ReadToken(store, "PTS"));
            Assert.Throws<StorageException>(() => CommitTxs(store, TokenTxs(1)));
        }
        using var reopened = LedgerStore.Open(DataDirectory, Genesis, Machine.Events);
        Assert.Equal(0ul, reopened.Head!.Height);
        Assert.Null(TokensModule.ReadToken(reopened, "PTS"));
    }

    [Fact]
    public void Readers_see_the_previous_block_until_the_new_one_is_written()
    {
        using var store = LedgerStore.Open(DataDirectory, Genesis, Machine.Events);
        var zero = CommitGenesis(store);
        var txs = TokenTxs(1);
        var result = Machine.ExecuteBlock(store, 1, 5, txs);
        var balanceKey = TokensModule.BalanceKey("PTS", Admin.Address);
        (byte[]? Value, ulong Height) seenDuringCommit = (null, 99);
        var one = store.CommitBlock(5, txs, result.Receipts, result.Changes, header =>
        {
            // Runs after the block is staged and before it is written: another thread reads.
            seenDuringCommit = Task.Run(() => (store.Get(balanceKey), store.Head!.Height)).GetAwaiter().GetResult();
            return Attest(header);
        });
        Assert.Equal((null, zero.Height), seenDuringCommit);
        Assert.Equal((UInt128)77, TokensModule.ReadBalance(store, "PTS", Admin.Address));
        var (value, proof, head) = store.GetWithProof(balanceKey);
        Assert.Equal(one.Header, head.Header);
        Assert.True(ProofVerifier.VerifyState(ValidatorHistory.FromGenesis(Genesis), head.Header, head.Certificate, balanceKey, value, proof).Ok);
    }
}
