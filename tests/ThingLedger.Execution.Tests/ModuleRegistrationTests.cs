using ThingLedger.Core;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Tests;

public class ModuleRegistrationTests
{
    /// <summary>A module that tries to write a key of its own, of the tokens module, and of the kernel.</summary>
    private sealed class Trespasser(string name = "trespasser") : IModule
    {
        public string Name => name;

        public OperationTable Operations => _operations ??= new OperationTable()
            .Add<TokenAmountPayload>("own", TokenAmountPayload.Read, (context, _) => Write(context, $"{name}/mine"), TestChain.Describe)
            .Add<TokenAmountPayload>("tokens", TokenAmountPayload.Read, (context, p) => Write(context, TokensModule.BalanceKey(p.Symbol, p.To)), TestChain.Describe)
            .Add<TokenAmountPayload>("prefix", TokenAmountPayload.Read, (context, _) => Write(context, $"{name}x/look-alike"), TestChain.Describe)
            .Add<TokenAmountPayload>("kernel", TokenAmountPayload.Read, (context, _) => Write(context, "core/nonce/anything"), TestChain.Describe);

        private OperationTable? _operations;

        public void InitGenesis(Genesis genesis, StateView state)
        {
        }

        private static Outcome Write(TxContext context, string key)
        {
            context.State.Set($"{context.Tx.Module}/before", [1]);
            context.State.Set(key, [1, 2, 3]);
            return Outcome.Ok;
        }
    }

    private static TokenAmountPayload Any(TestChain chain) => new("ACME", chain.GridAdmin.Address, 5);

    [Fact]
    public void A_module_writes_under_its_own_prefix_and_nowhere_else()
    {
        var chain = new TestChain(_ => new Trespasser());
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, "trespasser", "own", Any(chain))).Succeeded);
        Assert.Equal([1, 2, 3], chain.Get("trespasser/mine"));

        foreach (var operation in new[] { "tokens", "prefix", "kernel" })
        {
            chain.AssertRefused(ErrorCodes.StateNotOwned, () => chain.Run(chain.Tx(chain.AcmeAdmin, "trespasser", operation, Any(chain))));
        }
        Assert.Null(chain.Get(TokensModule.BalanceKey("ACME", chain.GridAdmin.Address)));
        Assert.Equal(4ul, StateMachine.LastNonce(chain, chain.AcmeAdmin.Address));
    }

    [Fact]
    public void Two_modules_with_one_name_are_refused_when_the_machine_is_built()
    {
        var e = Assert.Throws<ModuleRegistrationException>(() => new TestChain(_ => new Trespasser("tokens")));
        Assert.Contains("two modules are registered as 'tokens'", e.Message, StringComparison.Ordinal);
        Assert.Throws<ModuleRegistrationException>(() => new TestChain(_ => new Trespasser("core")));
        Assert.Throws<ModuleRegistrationException>(() => new TestChain(_ => new Trespasser("Bad/Name")));
    }

    [Fact]
    public void An_operation_added_twice_or_misnamed_is_refused()
    {
        var table = new OperationTable().Add<TokenAmountPayload>("send", TokenAmountPayload.Read, (_, _) => Outcome.Ok, TestChain.Describe);
        Assert.Contains("added twice", Assert.Throws<ModuleRegistrationException>(() => table.Add<TokenAmountPayload>("send", TokenAmountPayload.Read, (_, _) => Outcome.Ok, TestChain.Describe)).Message, StringComparison.Ordinal);
        Assert.Throws<ModuleRegistrationException>(() => table.Add<TokenAmountPayload>("Send Now", TokenAmountPayload.Read, (_, _) => Outcome.Ok, TestChain.Describe));
    }
}
