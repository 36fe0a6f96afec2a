using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Finance;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Tests.Modules.Finance;

/// <summary>A test chain with the bank token CNY (and EUR for swaps) and helpers to run finance operations.</summary>
internal sealed class FinanceTestChain
{
    public const string Cny = "CNY";
    public const string Eur = "EUR";

    public TestChain Chain { get; } = new();

    public FinanceTestChain()
    {
        foreach (var symbol in new[] { Cny, Eur })
        {
            Assert.True(Chain.Run(Chain.Tx(Chain.AcmeAdmin, TokensModule.ModuleName, TokensModule.Create, new CreateTokenPayload(symbol, symbol, 2, Roles.Admin, 0))).Succeeded);
        }
    }

    public ulong Now => Chain.Clock + Chain.Height;

    public void Fund(string symbol, KeyPair who, UInt128 amount) =>
        Assert.True(Chain.Run(Chain.Tx(Chain.AcmeAdmin, TokensModule.ModuleName, TokensModule.Mint, new TokenAmountPayload(symbol, who.Address, amount))).Succeeded);

    public UInt128 Balance(KeyPair who, string symbol = Cny) => TokensModule.ReadBalance(Chain, symbol, who.Address);

    public UInt128 Balance(Address who, string symbol = Cny) => TokensModule.ReadBalance(Chain, symbol, who);

    public Receipt Run(KeyPair signer, string operation, ICanonical payload) => Chain.Run(Chain.Tx(signer, FinanceNames.ModuleName, operation, payload));

    public Receipt Ok(KeyPair signer, string operation, ICanonical payload)
    {
        var receipt = Run(signer, operation, payload);
        Assert.True(receipt.Succeeded, $"{operation}: {receipt.ErrorCode}");
        return receipt;
    }

    public void Refused(string code, KeyPair signer, string operation, ICanonical payload) => Chain.AssertRefused(code, () => Run(signer, operation, payload));

    public static IEnumerable<LedgerEvent> Events(Receipt receipt, string name) => receipt.Events.Where(e => e.Module == FinanceNames.ModuleName && e.Name == name);
}
