using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;

namespace ThingLedger.Execution.Modules.Tokens;

/// <summary>The tokens module's <see cref="ITokenLedger"/>: what its own operations and every other module use.</summary>
public sealed class TokenLedger : ITokenLedger
{
    public TokenRecord? Find(IStateReader state, string symbol) => TokensModule.ReadToken(state, symbol);

    public UInt128 BalanceOf(IStateReader state, string symbol, Address holder) => TokensModule.ReadBalance(state, symbol, holder);

    public Outcome CreateIssued(TxContext context, string symbol, string org, string name, byte decimals)
    {
        using var owned = context.State.Own(TokensModule.ModuleName);
        if (!Identifiers.IsSymbol(symbol) || !Identifiers.IsText(name, 128) || name.Length == 0 || decimals > CreateTokenPayload.MaxDecimals)
        {
            return ErrorCodes.InvalidArgument;
        }
        if (context.State.Contains(TokensModule.TokenKey(symbol)))
        {
            return TokensErrors.TokenExists;
        }
        context.State.Set(TokensModule.TokenKey(symbol), Canonical.Encode(new TokenRecord(org, name, decimals, Roles.None, UInt128.Zero, UInt128.Zero)));
        context.Emit(TokensEvents.Created, new("symbol", symbol), new("org", org), new("cap", "0"));
        return Outcome.Ok;
    }

    public Outcome Issue(TxContext context, string symbol, Address to, UInt128 amount)
    {
        using var owned = context.State.Own(TokensModule.ModuleName);
        if (Issued(context, symbol, amount, out var refusal) is not { } token)
        {
            return refusal;
        }
        if (UInt128.MaxValue - token.Supply < amount)
        {
            return ErrorCodes.AmountOverflow;
        }
        var supply = token.Supply + amount;
        if (token.Cap != UInt128.Zero && supply > token.Cap)
        {
            return TokensErrors.MintCapExceeded;
        }
        // The supply bounds every balance, so the balance addition cannot overflow.
        WriteBalance(context.State, symbol, to, TokensModule.ReadBalance(context.State, symbol, to) + amount);
        context.State.Set(TokensModule.TokenKey(symbol), Canonical.Encode(token with { Supply = supply }));
        context.Emit(TokensEvents.Minted, new("symbol", symbol), new("to", to.ToString()), new("amount", TokensModule.Text(amount)));
        return Outcome.Ok;
    }

    public Outcome Move(TxContext context, string symbol, Address from, Address to, UInt128 amount)
    {
        using var owned = context.State.Own(TokensModule.ModuleName);
        if (!context.State.Contains(TokensModule.TokenKey(symbol)))
        {
            return TokensErrors.TokenNotFound;
        }
        if (amount == UInt128.Zero)
        {
            return TokensErrors.AmountZero;
        }
        var balance = TokensModule.ReadBalance(context.State, symbol, from);
        if (balance < amount)
        {
            return TokensErrors.InsufficientBalance;
        }
        if (to != from)
        {
            WriteBalance(context.State, symbol, from, balance - amount);
            WriteBalance(context.State, symbol, to, TokensModule.ReadBalance(context.State, symbol, to) + amount);
        }
        context.Emit(TokensEvents.Transferred, new("symbol", symbol), new("from", from.ToString()), new("to", to.ToString()), new("amount", TokensModule.Text(amount)));
        return Outcome.Ok;
    }

    public Outcome Destroy(TxContext context, string symbol, Address from, UInt128 amount)
    {
        using var owned = context.State.Own(TokensModule.ModuleName);
        if (Issued(context, symbol, amount, out var refusal) is not { } token)
        {
            return refusal;
        }
        var balance = TokensModule.ReadBalance(context.State, symbol, from);
        if (balance < amount)
        {
            return TokensErrors.InsufficientBalance;
        }
        WriteBalance(context.State, symbol, from, balance - amount);
        context.State.Set(TokensModule.TokenKey(symbol), Canonical.Encode(token with { Supply = token.Supply - amount }));
        context.Emit(TokensEvents.Burned, new("symbol", symbol), new("from", from.ToString()), new("amount", TokensModule.Text(amount)));
        return Outcome.Ok;
    }

    /// <summary>The token, when it exists and <paramref name="amount"/> is not zero; otherwise null and why.</summary>
    private static TokenRecord? Issued(TxContext context, string symbol, UInt128 amount, out Outcome refusal)
    {
        var token = TokensModule.ReadToken(context.State, symbol);
        refusal = token is null ? TokensErrors.TokenNotFound : amount == UInt128.Zero ? TokensErrors.AmountZero : Outcome.Ok;
        return refusal.Succeeded ? token : null;
    }

    /// <summary>
    /// An account a module holds tokens in (escrow): an address derived from a fixed label
    /// (the first 20 bytes of its SHA-256), so no key exists for it and only the module moves its balance.
    /// </summary>
    public static Address ModuleAccount(string label) =>
        new(Hash.Sha256(System.Text.Encoding.UTF8.GetBytes(label)).ToArray().AsSpan(0, Address.Size));

    /// <summary>Zero balances are deleted, so absence and zero are the same state.</summary>
    private static void WriteBalance(StateView state, string symbol, Address holder, UInt128 amount) =>
        Amounts.Write(state, TokensModule.BalanceKey(symbol, holder), amount);
}
