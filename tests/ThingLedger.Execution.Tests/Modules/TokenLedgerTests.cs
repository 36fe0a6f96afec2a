using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Tests.Modules;

public class TokenLedgerTests
{
    /// <summary>A module that issues its own token, as the carbon module issues credits.</summary>
    private sealed class IssuerModule(ITokenLedger tokens) : IModule
    {
        public string Name => "issuer";

        public OperationTable Operations { get; } = new OperationTable()
            .Add<TokenAmountPayload>("create", TokenAmountPayload.Read, (context, p) => tokens.CreateIssued(context, p.Symbol, "acme", "Issued credits", 0), TestChain.Describe)
            .Add<TokenAmountPayload>("issue", TokenAmountPayload.Read, (context, p) => tokens.Issue(context, p.Symbol, p.To, p.Amount), TestChain.Describe)
            .Add<TokenAmountPayload>("destroy", TokenAmountPayload.Read, (context, p) => tokens.Destroy(context, p.Symbol, p.To, p.Amount), TestChain.Describe);

        public void InitGenesis(Genesis genesis, StateView state)
        {
        }
    }

    private readonly TestChain _chain = new(c => new IssuerModule(c.Tokens.Ledger));
    private readonly KeyPair _holder = KeyPair.Generate();

    private Receipt Issuer(string operation, UInt128 amount) =>
        _chain.Run(_chain.Tx(_chain.AcmeAdmin, "issuer", operation, new TokenAmountPayload("CRD", _holder.Address, amount)));

    private Receipt Tokens(KeyPair signer, string operation, ICanonical payload) => _chain.Run(_chain.Tx(signer, "tokens", operation, payload));

    [Fact]
    public void A_module_issued_token_is_minted_and_burned_only_by_its_module_but_moves_like_any_token()
    {
        Assert.True(Issuer("create", 0).Succeeded);
        Assert.Equal(TokensErrors.TokenExists, Issuer("create", 0).ErrorCode);
        Assert.True(Issuer("issue", 500).Succeeded);

        Assert.Equal(TokensErrors.TokenModuleIssued, Tokens(_chain.AcmeAdmin, "mint", new TokenAmountPayload("CRD", _chain.AcmeAdmin.Address, 1)).ErrorCode);
        Assert.Equal(TokensErrors.TokenModuleIssued, Tokens(_holder, "burn", new BurnPayload("CRD", 1)).ErrorCode);
        Assert.True(Tokens(_holder, "transfer", new TokenAmountPayload("CRD", _chain.GridAdmin.Address, 200)).Succeeded);

        Assert.Equal(TokensErrors.InsufficientBalance, Issuer("destroy", 301).ErrorCode);
        Assert.True(Issuer("destroy", 300).Succeeded);
        Assert.Equal(UInt128.Zero, TokensModule.ReadBalance(_chain, "CRD", _holder.Address));
        Assert.Equal((UInt128)200, TokensModule.ReadBalance(_chain, "CRD", _chain.GridAdmin.Address));
        Assert.Equal((UInt128)200, TokensModule.ReadToken(_chain, "CRD")!.Supply);
    }
}
