using ThingLedger.Client.Contracts;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Market;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Market;

/// <summary>Order books, trades and orders read from committed state: the one place the market's API and explorer pages read from.</summary>
public sealed class MarketQueries(LedgerStore store, StateMachine machine)
{
    /// <summary>Whether <paramref name="base"/>/<paramref name="quote"/> is a market: two different tokens that exist.</summary>
    public bool IsPair(string @base, string quote) => machine.Module<MarketModule>().IsPair(store, @base, quote);

    /// <summary>A side of a pair's book by price level, best first: price, amount remaining, orders.</summary>
    public List<(long Price, long Amount, int Orders)> Depth(string @base, string quote, OrderSide side) => MarketModule.Depth(store, @base, quote, side);

    /// <summary>A pair's trades numbered below <paramref name="before"/>, newest first.</summary>
    public Page<TradeRecord> Trades(string @base, string quote, ulong? before, int limit) =>
        NumberedPages.Newest(MarketModule.Count(store, MarketModule.TradeCountKey(@base, quote)), before, limit,
            n => MarketModule.ReadTrade(store, @base, quote, n), t => t);

    public OrderRecord? Order(ulong id) => MarketModule.ReadOrder(store, id);

    /// <summary>The tokens <paramref name="base"/> has an order book against (at most 100).</summary>
    public List<string> QuotesOf(string @base)
    {
        var prefix = MarketModule.BooksOfPrefix(@base);
        return [.. store.Scan(prefix, null, 100).Select(kv => kv.Key[prefix.Length..].Split('/')[0]).Distinct()];
    }
}
