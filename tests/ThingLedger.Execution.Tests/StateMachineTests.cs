using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Tests;

public class StateMachineTests
{
    private static TokenAmountPayload Send(Address to, ulong amount) => new("ACME", to, amount);

    private static TestChain ChainWithToken()
    {
        var chain = new TestChain();
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "create", new CreateTokenPayload("ACME", "Acme Points", 2, Roles.Admin, 0))).Succeeded);
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "mint", Send(chain.AcmeAdmin.Address, 1_000))).Succeeded);
        return chain;
    }

    [Fact]
    public void A_failed_tx_changes_nothing_but_consumes_its_nonce()
    {
        var chain = ChainWithToken();
        using var stranger = KeyPair.Generate();
        var before = chain.State.Where(kv => !kv.Key.StartsWith("core/", StringComparison.Ordinal)).ToDictionary();
        var receipt = chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "transfer", Send(stranger.Address, 5_000)));
        Assert.Equal(TxStatus.Failed, receipt.Status);
        Assert.Equal(TokensErrors.InsufficientBalance, receipt.ErrorCode);
        Assert.Empty(receipt.Events);
        Assert.Equal(before, chain.State.Where(kv => !kv.Key.StartsWith("core/", StringComparison.Ordinal)).ToDictionary());
        Assert.Equal(3ul, StateMachine.LastNonce(chain, chain.AcmeAdmin.Address));
    }

    [Fact]
    public void Reused_or_skipped_nonces_fail_without_consuming_anything()
    {
        var chain = ChainWithToken();
        using var other = KeyPair.Generate();
        var reused = chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "transfer", Send(other.Address, 1), nonce: 2));
        Assert.Equal(ErrorCodes.NonceMismatch, reused.ErrorCode);
        var gap = chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "transfer", Send(other.Address, 1), nonce: 9));
        Assert.Equal(ErrorCodes.NonceMismatch, gap.ErrorCode);
        Assert.Equal(2ul, StateMachine.LastNonce(chain, chain.AcmeAdmin.Address));
        Assert.Equal(UInt128.Zero, TokensModule.ReadBalance(chain, "ACME", other.Address));
    }

    [Fact]
    public void A_replayed_tx_in_a_later_block_fails()
    {
        var chain = ChainWithToken();
        using var other = KeyPair.Generate();
        var tx = chain.Tx(chain.AcmeAdmin, "tokens", "transfer", Send(other.Address, 10));
        Assert.True(chain.Run(tx).Succeeded);
        Assert.Equal(ErrorCodes.NonceMismatch, chain.Run(tx).ErrorCode);
        Assert.Equal((UInt128)10, TokensModule.ReadBalance(chain, "ACME", other.Address));
    }

    [Fact]
    public void Expired_txs_fail()
    {
        var chain = ChainWithToken();
        var receipt = chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "burn", new BurnPayload("ACME", 1), nonce: 3, expiry: 1));
        Assert.Equal(ErrorCodes.TxExpired, receipt.ErrorCode);
    }

    [Fact]
    public void Unknown_module_operation_and_malformed_payloads_fail_with_their_codes()
    {
        var chain = ChainWithToken();
        var key = chain.AcmeAdmin;
        Assert.Equal(ErrorCodes.UnknownModule, chain.Run(Transaction.Create(TestChain.ChainId, "nope", "x", [], key, 3, ulong.MaxValue)).ErrorCode);
        Assert.Equal(ErrorCodes.UnknownOperation, chain.Run(Transaction.Create(TestChain.ChainId, "tokens", "steal", [], key, 4, ulong.MaxValue)).ErrorCode);
        Assert.Equal(ErrorCodes.PayloadMalformed, chain.Run(Transaction.Create(TestChain.ChainId, "tokens", "transfer", [1, 2, 3], key, 5, ulong.MaxValue)).ErrorCode);
        Assert.Equal(ErrorCodes.WrongChain, chain.Run(Transaction.Create("other-chain", "tokens", "transfer", [], key, 6, ulong.MaxValue)).ErrorCode);
    }

    [Fact]
    public void Receipts_carry_a_deterministic_cost()
    {
        var a = ChainWithToken();
        var receipt = a.Run(a.Tx(a.AcmeAdmin, "tokens", "transfer", Send(a.GridAdmin.Address, 1)));
        Assert.True(receipt.GasUsed > Core.Ledger.Gas.Base);
    }

    [Fact]
    public void Two_machines_fed_the_same_txs_end_with_identical_roots_and_receipts()
    {
        var chain = ChainWithToken();
        using var a = KeyPair.Generate();
        using var b = KeyPair.Generate();
        var txs = new List<Transaction>();
        for (var i = 0; i < 50; i++)
        {
            txs.Add(chain.Tx(chain.AcmeAdmin, "tokens", "transfer", Send(i % 2 == 0 ? a.Address : b.Address, (ulong)(i + 1))));
        }
        // A second machine starting from a copy of the same committed state.
        var copy = new Dictionary<string, byte[]>(chain.State, StringComparer.Ordinal);
        var reader = new DictionaryReader(copy);
        var other = StateMachine.Create(TestChain.ChainId).ExecuteBlock(reader, 99, 5, txs);
        var mine = chain.Machine.ExecuteBlock(chain, 99, 5, txs);
        Assert.Equal(BlockBuilder.ReceiptsRoot(mine.Receipts), BlockBuilder.ReceiptsRoot(other.Receipts));
        Assert.Equal(mine.Changes.Select(c => (c.Key, Convert.ToHexString(c.Value ?? []))), other.Changes.Select(c => (c.Key, Convert.ToHexString(c.Value ?? []))));
    }

    private sealed class DictionaryReader(Dictionary<string, byte[]> values) : Core.State.IStateReader
    {
        public byte[]? Get(string key) => values.TryGetValue(key, out var v) ? v : null;
    }
}
