using FsCheck;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Identity;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Tests.Modules;

public class TokensModuleTests
{
    private static TestChain WithToken(UInt128 cap, Roles mintRoles = Roles.Admin)
    {
        var chain = new TestChain();
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "create", new CreateTokenPayload("PTS", "Points", 0, mintRoles, cap))).Succeeded);
        return chain;
    }

    [Fact]
    public void Create_needs_an_admin_a_valid_symbol_and_a_free_name()
    {
        var chain = WithToken(0);
        using var nobody = KeyPair.Generate();
        Assert.Equal(TokensErrors.TokenExists, chain.Run(chain.Tx(chain.GridAdmin, "tokens", "create", new CreateTokenPayload("PTS", "Other", 0, Roles.Admin, 0))).ErrorCode);
        Assert.Equal(ErrorCodes.Unauthorised, chain.Run(chain.Tx(nobody, "tokens", "create", new CreateTokenPayload("NEW", "New", 0, Roles.Admin, 0))).ErrorCode);
        Assert.Equal(ErrorCodes.InvalidArgument, chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "create", new CreateTokenPayload("bad", "x", 0, Roles.Admin, 0))).ErrorCode);
        Assert.Equal(ErrorCodes.InvalidArgument, chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "create", new CreateTokenPayload("OK", "x", 19, Roles.Admin, 0))).ErrorCode);
    }

    [Fact]
    public void Mint_follows_the_policy_and_the_cap()
    {
        var chain = WithToken(1_000, Roles.Operator);
        using var op = KeyPair.Generate();
        using var auditor = KeyPair.Generate();
        Assert.Equal(ErrorCodes.Unauthorised, chain.Run(chain.Tx(op, "tokens", "mint", new TokenAmountPayload("PTS", op.Address, 1))).ErrorCode);
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, "identity", "add-member", new MemberRolesPayload("acme", auditor.Address, Roles.Auditor))).Succeeded);
        Assert.Equal(ErrorCodes.Unauthorised, chain.Run(chain.Tx(auditor, "tokens", "mint", new TokenAmountPayload("PTS", op.Address, 1))).ErrorCode);
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, "identity", "add-member", new MemberRolesPayload("acme", op.Address, Roles.Operator))).Succeeded);
        Assert.True(chain.Run(chain.Tx(op, "tokens", "mint", new TokenAmountPayload("PTS", op.Address, 600))).Succeeded);
        Assert.Equal(TokensErrors.MintCapExceeded, chain.Run(chain.Tx(op, "tokens", "mint", new TokenAmountPayload("PTS", op.Address, 401))).ErrorCode);
        Assert.Equal(TokensErrors.AmountZero, chain.Run(chain.Tx(op, "tokens", "mint", new TokenAmountPayload("PTS", op.Address, 0))).ErrorCode);
        Assert.Equal(ErrorCodes.Unauthorised, chain.Run(chain.Tx(chain.GridAdmin, "tokens", "mint", new TokenAmountPayload("PTS", op.Address, 1))).ErrorCode);
        Assert.Equal((UInt128)600, TokensModule.ReadToken(chain, "PTS")!.Supply);
    }

    [Fact]
    public void Amounts_that_would_overflow_are_refused()
    {
        var chain = WithToken(0);
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "mint", new TokenAmountPayload("PTS", chain.AcmeAdmin.Address, UInt128.MaxValue))).Succeeded);
        Assert.Equal(ErrorCodes.AmountOverflow, chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "mint", new TokenAmountPayload("PTS", chain.GridAdmin.Address, 1))).ErrorCode);
        Assert.Equal(UInt128.MaxValue, TokensModule.ReadToken(chain, "PTS")!.Supply);
    }

    [Fact]
    public void Transfer_and_burn_cannot_exceed_the_balance()
    {
        var chain = WithToken(0);
        using var bob = KeyPair.Generate();
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "mint", new TokenAmountPayload("PTS", chain.AcmeAdmin.Address, 100))).Succeeded);
        Assert.Equal(TokensErrors.InsufficientBalance, chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "transfer", new TokenAmountPayload("PTS", bob.Address, 101))).ErrorCode);
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "transfer", new TokenAmountPayload("PTS", bob.Address, 100))).Succeeded);
        Assert.Null(chain.Get(TokensModule.BalanceKey("PTS", chain.AcmeAdmin.Address)));
        Assert.Equal(TokensErrors.InsufficientBalance, chain.Run(chain.Tx(bob, "tokens", "burn", new BurnPayload("PTS", 101))).ErrorCode);
        Assert.True(chain.Run(chain.Tx(bob, "tokens", "burn", new BurnPayload("PTS", 40))).Succeeded);
        Assert.Equal((UInt128)60, TokensModule.ReadToken(chain, "PTS")!.Supply);
        Assert.Equal(TokensErrors.TokenNotFound, chain.Run(chain.Tx(bob, "tokens", "transfer", new TokenAmountPayload("NOPE", bob.Address, 1))).ErrorCode);
    }

    [Fact]
    public void Supply_equals_the_sum_of_balances_under_any_sequence_of_operations()
    {
        var holders = Enumerable.Range(0, 4).Select(_ => KeyPair.Generate()).ToArray();
        var operation = Gen.Choose(0, 2).Zip(Gen.Choose(0, 3)).Zip(Gen.Choose(0, 3)).Zip(Gen.Choose(0, 300));
        Prop.ForAll(Gen.ListOf(40, operation).ToArbitrary(), ops =>
        {
            var chain = WithToken(5_000);
            foreach (var (((kind, from), to), amount) in ops)
            {
                var tx = kind switch
                {
                    0 => chain.Tx(chain.AcmeAdmin, "tokens", "mint", new TokenAmountPayload("PTS", holders[to].Address, (ulong)amount)),
                    1 => chain.Tx(holders[from], "tokens", "transfer", new TokenAmountPayload("PTS", holders[to].Address, (ulong)amount)),
                    _ => chain.Tx(holders[from], "tokens", "burn", new BurnPayload("PTS", (ulong)amount)),
                };
                chain.Run(tx);
            }
            var token = TokensModule.ReadToken(chain, "PTS")!;
            var sum = holders.Aggregate(UInt128.Zero, (s, h) => s + TokensModule.ReadBalance(chain, "PTS", h.Address));
            return sum == token.Supply && token.Supply <= 5_000;
        }).QuickCheckThrowOnFailure();
    }
}
