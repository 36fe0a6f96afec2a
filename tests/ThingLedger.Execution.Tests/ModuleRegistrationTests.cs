using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Tests;

public class ModuleRegistrationTests
{
    /// <summary>A module that tries to write a key of its own, of the tokens module, and of the kernel.</summary>
    private sealed class Trespasser(string name = "trespasser", Type? errors = null, bool foreignEvent = false) : IModule
    {
        public string Name => name;

        public ModuleErrors? Errors { get; } = errors is null ? null : ModuleErrors.Of(errors);

        public OperationTable Operations => _operations ??= new OperationTable()
            .Add<TokenAmountPayload>("own", TokenAmountPayload.Read, (context, _) => Write(context, $"{name}/mine"), TestChain.Describe)
            .Add<TokenAmountPayload>("tokens", TokenAmountPayload.Read, (context, p) => Write(context, TokensModule.BalanceKey(p.Symbol, p.To)), TestChain.Describe)
            .Add<TokenAmountPayload>("prefix", TokenAmountPayload.Read, (context, _) => Write(context, $"{name}x/look-alike"), TestChain.Describe)
            .Add<TokenAmountPayload>("kernel", TokenAmountPayload.Read, (context, _) => Write(context, "core/nonce/anything"), TestChain.Describe)
            .Add<TokenAmountPayload>("caught", TokenAmountPayload.Read, (context, p) => Emit(context, Caught, new("who", p.To.ToString())), TestChain.Describe)
            .Add<TokenAmountPayload>("undeclared", TokenAmountPayload.Read, (context, p) => Emit(context, Undeclared, new("who", p.To.ToString())), TestChain.Describe)
            .Add<TokenAmountPayload>("stray-attribute", TokenAmountPayload.Read, (context, p) => Emit(context, Caught, new("whom", p.To.ToString())), TestChain.Describe)
            .Add<TokenAmountPayload>("not-an-address", TokenAmountPayload.Read, (context, p) => Emit(context, Caught, new("who", p.Symbol)), TestChain.Describe)
            .Add<TokenAmountPayload>("flood", TokenAmountPayload.Read, (context, p) => Flood(context, (int)p.Amount, p.To), TestChain.Describe);

        public EventType Caught { get; } = new(name, "caught", new EventField("who", Topic.Address));

        private EventType Undeclared { get; } = new(name, "undeclared", new EventField("who", Topic.Address));

        public IReadOnlyList<EventType> Events => foreignEvent ? [Caught, TokensEvents.Minted] : [Caught];

        private OperationTable? _operations;

        public void InitGenesis(Genesis genesis, StateView state)
        {
        }

        private static Outcome Emit(TxContext context, EventType type, EventAttribute attribute)
        {
            context.State.Set($"{context.Tx.Module}/before", [1]);
            context.Emit(type, attribute);
            return Outcome.Ok;
        }

        private Outcome Flood(TxContext context, int count, Core.Crypto.Address who)
        {
            context.State.Set($"{context.Tx.Module}/before", [1]);
            for (var i = 0; i < count; i++)
            {
                context.Emit(Caught, new EventAttribute("who", who.ToString()));
            }
            return Outcome.Ok;
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
    public void A_receipt_holds_as_many_events_as_a_full_anchor_needs_and_a_tx_emitting_more_fails_whole()
    {
        var chain = new TestChain(_ => new Trespasser());
        var full = chain.Run(chain.Tx(chain.AcmeAdmin, "trespasser", "flood", Any(chain) with { Amount = Receipt.MaxEvents }, gasLimit: 100_000_000));
        Assert.True(full.Succeeded, full.ErrorCode);
        Assert.Equal(Receipt.MaxEvents, full.Events.Length);
        Assert.Equal(CodecError.None, Receipt.TryDecode(Core.Codec.Canonical.Encode(full), out var decoded));
        Assert.Equal(Receipt.MaxEvents, decoded!.Events.Length);
        chain.AssertRefused(ErrorCodes.TooManyEvents,
            () => chain.Run(chain.Tx(chain.AcmeAdmin, "trespasser", "flood", Any(chain) with { Amount = Receipt.MaxEvents + 1 }, gasLimit: 100_000_000)));
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

    [Fact]
    public void A_module_emits_only_the_events_and_attributes_it_declares()
    {
        var chain = new TestChain(_ => new Trespasser());
        var receipt = chain.Run(chain.Tx(chain.AcmeAdmin, "trespasser", "caught", Any(chain)));
        Assert.True(receipt.Succeeded);
        var e = Assert.Single(receipt.Events);
        Assert.Equal(("trespasser", "caught", Topic.Address), (e.Module, e.Name, chain.Machine.Events.TopicOf(e, e.Attributes[0])));
        foreach (var operation in new[] { "undeclared", "stray-attribute", "not-an-address" })
        {
            chain.AssertRefused(ErrorCodes.EventNotDeclared, () => chain.Run(chain.Tx(chain.AcmeAdmin, "trespasser", operation, Any(chain))));
        }
    }

    [Fact]
    public void A_module_declaring_another_modules_event_is_refused_when_the_machine_is_built()
    {
        var e = Assert.Throws<ModuleRegistrationException>(() => new TestChain(_ => new Trespasser(foreignEvent: true)));
        Assert.Equal("module 'trespasser' declares the event tokens/minted, which is another module's: a module declares only its own events", e.Message);
    }

    private static class OwnErrors
    {
        public const string Prefix = "TRESPASSER_";
        public const string Caught = "TRESPASSER_CAUGHT";
    }

    private static class PrefixTaken
    {
        public const string Prefix = "TOKENS_";
    }

    private static class PrefixOfAnother
    {
        public const string Prefix = "TOKENS_X_";
    }

    private static class PrefixOfKernel
    {
        public const string Prefix = "TX_";
    }

    private static class BadPrefix
    {
        public const string Prefix = "trespasser-";
    }

    private static class CodeWithoutPrefix
    {
        public const string Prefix = "TRESPASSER_";
        public const string Stray = "STRAY_CODE";
    }

    private static class CodeOfAnother
    {
        public const string Prefix = "TRESPASSER_";
        [Unprefixed]
        public const string Taken = "ORDER_INVALID";
    }

    private static class CodeOfKernel
    {
        public const string Prefix = "TRESPASSER_";
        [Unprefixed]
        public const string Taken = "OUT_OF_GAS";
    }

    [Fact]
    public void A_module_with_its_own_prefix_and_codes_is_registered()
    {
        var chain = new TestChain(_ => new Trespasser(errors: typeof(OwnErrors)));
        Assert.Equal(["TRESPASSER_CAUGHT"], chain.Machine.Module<Trespasser>().Errors!.Codes);
    }

    [Theory]
    [InlineData(typeof(PrefixTaken), "modules 'tokens' and 'trespasser' both declare the error prefix 'TOKENS_'")]
    [InlineData(typeof(PrefixOfAnother), "the error prefix 'TOKENS_X_' of module 'trespasser' starts with the prefix 'TOKENS_' of module 'tokens'")]
    [InlineData(typeof(PrefixOfKernel), "the error prefix 'TX_' of module 'trespasser' starts the kernel's code 'TX_MALFORMED'")]
    [InlineData(typeof(BadPrefix), "module 'trespasser' declares the error prefix 'trespasser-'")]
    [InlineData(typeof(CodeWithoutPrefix), "module 'trespasser' declares the error code 'STRAY_CODE', which does not start with its prefix 'TRESPASSER_'")]
    [InlineData(typeof(CodeOfAnother), "the error code 'ORDER_INVALID' is declared by module 'market' and by module 'trespasser'")]
    [InlineData(typeof(CodeOfKernel), "the error code 'OUT_OF_GAS' is declared by the kernel and by module 'trespasser'")]
    public void Error_codes_that_clash_are_refused_when_the_machine_is_built(Type errors, string message)
    {
        var e = Assert.Throws<ModuleRegistrationException>(() => new TestChain(_ => new Trespasser(errors: errors)));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_built_in_module_declares_its_prefix_and_only_its_published_codes_lack_it()
    {
        var machine = StateMachine.Create("errors");
        foreach (var module in machine.Modules)
        {
            var errors = Assert.IsType<ModuleErrors>(module.Errors);
            Assert.Equal(module.Name.ToUpperInvariant().Replace('-', '_') + "_", errors.Prefix);
            Assert.All(errors.Codes.Except(errors.Unprefixed), code => Assert.StartsWith(errors.Prefix, code, StringComparison.Ordinal));
        }
    }
}
