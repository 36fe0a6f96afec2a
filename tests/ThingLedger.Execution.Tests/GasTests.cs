using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Tests;

public class GasTests
{
    private readonly TestChain _chain = new();
    private readonly KeyPair _holder = KeyPair.Generate();

    public GasTests()
    {
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, "tokens", "create", new CreateTokenPayload("ACME", "Acme Points", 0, Roles.Admin, 0))).Succeeded);
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, "tokens", "mint", new TokenAmountPayload("ACME", _chain.AcmeAdmin.Address, 1_000))).Succeeded);
    }

    private Transaction Send(ulong gasLimit, ulong? nonce = null) =>
        _chain.Tx(_chain.AcmeAdmin, "tokens", "transfer", new TokenAmountPayload("ACME", _holder.Address, 7), nonce, gasLimit: gasLimit);

    /// <summary>What the tx costs, executed over the chain's state without committing anything.</summary>
    private ulong CostOf(Transaction tx) => _chain.Machine.ExecuteBlock(_chain, _chain.Height + 1, _chain.Clock, [tx]).Receipts[0].GasUsed;

    [Fact]
    public void A_limit_one_below_the_real_cost_runs_out_of_gas_drops_the_writes_and_consumes_the_nonce()
    {
        var nonce = StateMachine.LastNonce(_chain, _chain.AcmeAdmin.Address) + 1;
        var cost = CostOf(Send(Gas.DefaultTxLimit, nonce));
        Assert.True(cost > Gas.Intrinsic(Canonical.Encode(new TokenAmountPayload("ACME", _holder.Address, 7)).Length));

        var tight = Send(cost - 1, nonce);
        Receipt? receipt = null;
        _chain.AssertRefused(ErrorCodes.OutOfGas, () => receipt = _chain.Run(tight));
        Assert.Equal(cost - 1, receipt!.GasUsed);
        Assert.Empty(receipt.Events);
        Assert.Equal(nonce, StateMachine.LastNonce(_chain, _chain.AcmeAdmin.Address));

        var exact = _chain.Run(Send(cost, nonce + 1));
        Assert.True(exact.Succeeded);
        Assert.Equal(cost, exact.GasUsed);
        Assert.Equal((UInt128)7, TokensModule.ReadBalance(_chain, "ACME", _holder.Address));
    }

    [Fact]
    public void A_limit_below_the_intrinsic_cost_fails_before_the_module_runs()
    {
        var nonce = StateMachine.LastNonce(_chain, _chain.AcmeAdmin.Address) + 1;
        Receipt? receipt = null;
        _chain.AssertRefused(ErrorCodes.OutOfGas, () => receipt = _chain.Run(Send(0, nonce)));
        Assert.Equal(0ul, receipt!.GasUsed);
        Assert.Equal(nonce, StateMachine.LastNonce(_chain, _chain.AcmeAdmin.Address));
    }

    [Fact]
    public void Admission_refuses_an_unmetered_tx_and_limits_below_the_intrinsic_cost_or_above_the_block()
    {
        var payload = Canonical.Encode(new TokenAmountPayload("ACME", _holder.Address, 7));
        Transaction Signed(ulong limit) => Transaction.Create(TestChain.ChainId, "tokens", "transfer", payload, _chain.AcmeAdmin, 9, ulong.MaxValue, limit);
        var v1 = Transaction.CreateUnmetered(TestChain.ChainId, "tokens", "transfer", payload, _chain.AcmeAdmin, 9, ulong.MaxValue);
        Assert.Equal(ErrorCodes.TxVersionRetired, _chain.Machine.Admit(v1, _chain, _chain.Height + 1));
        Assert.Equal(ErrorCodes.GasLimitTooLow, _chain.Machine.Admit(Signed(0), _chain, _chain.Height + 1));
        Assert.Equal(ErrorCodes.GasLimitTooLow, _chain.Machine.Admit(Signed(Gas.Intrinsic(payload.Length) - 1), _chain, _chain.Height + 1));
        Assert.Null(_chain.Machine.Admit(Signed(Gas.Intrinsic(payload.Length)), _chain, _chain.Height + 1));
        Assert.Null(_chain.Machine.Admit(Signed(Gas.BlockLimit), _chain, _chain.Height + 1));
        Assert.Equal(ErrorCodes.GasLimitAboveBlock, _chain.Machine.Admit(Signed(Gas.BlockLimit + 1), _chain, _chain.Height + 1));
    }

    [Fact]
    public void The_txs_of_a_block_use_at_most_the_block_limit()
    {
        var receipts = _chain.Block(Send(Gas.BlockLimit), Send(Gas.BlockLimit), Send(Gas.DefaultTxLimit));
        Assert.True(receipts[0].Succeeded);
        Assert.Equal((ErrorCodes.BlockGasExhausted, 0ul), (receipts[1].ErrorCode, receipts[1].GasUsed));
        Assert.True(receipts[2].Succeeded);
        Assert.Equal((UInt128)14, TokensModule.ReadBalance(_chain, "ACME", _holder.Address));
    }

    [Fact]
    public void A_version_1_tx_executes_unmetered_with_the_cost_formula_it_was_written_with()
    {
        var payload = Canonical.Encode(new TokenAmountPayload("ACME", _holder.Address, 7));
        var nonce = StateMachine.LastNonce(_chain, _chain.AcmeAdmin.Address) + 1;
        var v1 = Transaction.CreateUnmetered(TestChain.ChainId, "tokens", "transfer", payload, _chain.AcmeAdmin, nonce, ulong.MaxValue);
        var receipt = _chain.Run(v1);
        Assert.Equal(string.Empty, receipt.ErrorCode);
        // 1000 + 10 per payload byte + 100 per read (token, two balances) + per write 500 + key and value bytes (two balances of 16 bytes).
        var from = TokensModule.BalanceKey("ACME", _chain.AcmeAdmin.Address).Length + 16;
        var to = TokensModule.BalanceKey("ACME", _holder.Address).Length + 16;
        Assert.Equal(1_000 + (10 * (ulong)payload.Length) + 300 + 1_000 + (ulong)(from + to), receipt.GasUsed);

        // The same transfer as version 2 also pays for the bytes it reads and the event it emits.
        var v2 = _chain.Run(Send(Gas.DefaultTxLimit, nonce + 1));
        Assert.Equal(string.Empty, v2.ErrorCode);
        Assert.True(v2.GasUsed > receipt.GasUsed + Gas.Event, $"{v2.GasUsed} {receipt.GasUsed}");
    }

    [Fact]
    public void Steps_are_charged_and_the_charge_that_passes_the_limit_uses_it_all()
    {
        var meter = new GasMeter(Send(100));
        meter.Steps(3);
        Assert.Equal(3 * Gas.Step, meter.Used);
        Assert.Throws<OutOfGasException>(() => meter.Steps(10));
        Assert.Equal(100ul, meter.Used);
    }
}
