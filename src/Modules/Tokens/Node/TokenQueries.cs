using System.Buffers.Binary;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Tokens;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Tokens;

/// <summary>Tokens, holders and balances read from committed state: the one place the module's API and explorer pages read from.</summary>
public sealed class TokenQueries(LedgerStore store)
{
    public List<(string Symbol, TokenRecord Token)> Tokens() => LedgerLists.Decoded(store, TokensModule.TokensPrefix, TokenRecord.Read);

    public TokenRecord? Token(string symbol) => Identifiers.IsSymbol(symbol) ? TokensModule.ReadToken(store, symbol) : null;

    /// <summary>An amount in the token's units with its symbol ("0.222812 CCEV"), as people read it; the smallest units when the token is unknown.</summary>
    public string Amount(string symbol, UInt128 amount) => Amount(Token(symbol), symbol, amount);

    /// <summary>As <see cref="Amount(string, UInt128)"/> for a token already read.</summary>
    public static string Amount(TokenRecord? token, string symbol, UInt128 amount) =>
        token is null ? TokensModule.Text(amount) : $"{Client.TokenUnits.Format(amount, token.Decimals)} {symbol}";

    /// <summary>A token's holders in address order after the cursor <paramref name="after"/>.</summary>
    public Page<(string Holder, UInt128 Balance)> Holders(string symbol, string? after, int limit)
    {
        var prefix = TokensModule.BalancesPrefix(symbol);
        var page = store.Scan(prefix, after is null ? null : prefix + after, limit);
        return new Page<(string, UInt128)>([.. page.Select(kv => (kv.Key[prefix.Length..], BinaryPrimitives.ReadUInt128BigEndian(kv.Value)))],
            page.Count == limit ? page[^1].Key[prefix.Length..] : null);
    }

    public UInt128 Balance(string symbol, Address holder) => TokensModule.ReadBalance(store, symbol, holder);

    /// <summary>Every token <paramref name="holder"/> holds a non-zero balance of.</summary>
    public List<(string Symbol, UInt128 Balance)> Balances(Address holder) =>
        [.. Tokens().Select(t => (t.Symbol, Balance(t.Symbol, holder))).Where(b => b.Item2 != UInt128.Zero)];

    /// <summary>Committed txs that moved <paramref name="symbol"/>, newest first.</summary>
    public IReadOnlyList<StoredTx> Moves(string symbol, TxPosition? before, int limit) => store.Activity(ActivityTopics.OfToken(symbol), before, limit);
}
