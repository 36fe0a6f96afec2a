using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Tokens;

/// <summary>
/// The token balances as other modules use them: create a token that only the calling module
/// issues and destroys (carbon credits), and move, issue or destroy amounts. Every change emits
/// the same tokens events as the tokens module's own operations, so holders, histories and the
/// explorer see one ledger. Keeps the invariant: the sum of balances equals the supply.
/// </summary>
public static class TokenLedger
{
    /// <summary>
    /// Creates <paramref name="symbol"/> owned by <paramref name="org"/> with no mint roles: the
    /// tokens module's mint and burn refuse it; only the module that created it issues and destroys.
    /// </summary>
    public static Outcome CreateIssued(TxContext context, string symbol, string org, string name, byte decimals)
    {
        if (!Identifiers.IsSymbol(symbol) || !Identifiers.IsText(name, 128) || name.Length == 0 || decimals > CreateTokenPayload.MaxDecimals)
        {
            return ErrorCodes.InvalidArgument;
        }
        if (context.State.Contains(TokensModule.TokenKey(symbol)))
        {
            return ErrorCodes.TokenExists;
        }
        context.State.Set(TokensModule.TokenKey(symbol), Canonical.Encode(new TokenRecord(org, name, decimals, Roles.None, UInt128.Zero, UInt128.Zero)));
        context.Emit(TokensModule.ModuleName, "created", new("symbol", symbol), new("org", org), new("cap", "0"));
        return Outcome.Ok;
    }

    /// <summary>Adds <paramref name="amount"/> to the supply and to <paramref name="to"/>'s balance, within the cap.</summary>
    public static Outcome Issue(TxContext context, string symbol, Address to, UInt128 amount)
    {
        if (Find(context, symbol, amount, out var refusal) is not { } token)
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
            return ErrorCodes.MintCapExceeded;
        }
        // The supply bounds every balance, so the balance addition cannot overflow.
        WriteBalance(context.State, symbol, to, TokensModule.ReadBalance(context.State, symbol, to) + amount);
        context.State.Set(TokensModule.TokenKey(symbol), Canonical.Encode(token with { Supply = supply }));
        context.Emit(TokensModule.ModuleName, "minted", new("symbol", symbol), new("to", to.ToString()), new("amount", TokensModule.Text(amount)));
        return Outcome.Ok;
    }

    /// <summary>Moves <paramref name="amount"/> from one holder to another.</summary>
    public static Outcome Move(TxContext context, string symbol, Address from, Address to, UInt128 amount)
    {
        if (!context.State.Contains(TokensModule.TokenKey(symbol)))
        {
            return ErrorCodes.TokenNotFound;
        }
        if (amount == UInt128.Zero)
        {
            return ErrorCodes.AmountZero;
        }
        var balance = TokensModule.ReadBalance(context.State, symbol, from);
        if (balance < amount)
        {
            return ErrorCodes.InsufficientBalance;
        }
        if (to != from)
        {
            WriteBalance(context.State, symbol, from, balance - amount);
            WriteBalance(context.State, symbol, to, TokensModule.ReadBalance(context.State, symbol, to) + amount);
        }
        context.Emit(TokensModule.ModuleName, "transferred", new("symbol", symbol), new("from", from.ToString()), new("to", to.ToString()), new("amount", TokensModule.Text(amount)));
        return Outcome.Ok;
    }

    /// <summary>Takes <paramref name="amount"/> out of <paramref name="from"/>'s balance and the supply.</summary>
    public static Outcome Destroy(TxContext context, string symbol, Address from, UInt128 amount)
    {
        if (Find(context, symbol, amount, out var refusal) is not { } token)
        {
            return refusal;
        }
        var balance = TokensModule.ReadBalance(context.State, symbol, from);
        if (balance < amount)
        {
            return ErrorCodes.InsufficientBalance;
        }
        WriteBalance(context.State, symbol, from, balance - amount);
        context.State.Set(TokensModule.TokenKey(symbol), Canonical.Encode(token with { Supply = token.Supply - amount }));
        context.Emit(TokensModule.ModuleName, "burned", new("symbol", symbol), new("from", from.ToString()), new("amount", TokensModule.Text(amount)));
        return Outcome.Ok;
    }

    /// <summary>The token, when it exists and <paramref name="amount"/> is not zero; otherwise null and why.</summary>
    private static TokenRecord? Find(TxContext context, string symbol, UInt128 amount, out Outcome refusal)
    {
        var token = TokensModule.ReadToken(context.State, symbol);
        refusal = token is null ? ErrorCodes.TokenNotFound : amount == UInt128.Zero ? ErrorCodes.AmountZero : Outcome.Ok;
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
