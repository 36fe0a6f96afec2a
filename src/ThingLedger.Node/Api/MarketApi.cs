using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Execution.Modules.Market;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Json;

namespace ThingLedger.Node.Api;

/// <summary>The credit market, read from committed state: order books, trades and orders.</summary>
internal static class MarketApi
{
    public static RouteGroupBuilder MapMarketApi(this RouteGroupBuilder api)
    {
        var market = api.MapGroup("/market").WithTags("Market");
        market.MapGet("/{base}/{quote}/book", Book).WithName("GetOrderBook").WithSummary("A pair's order book by price level, best first.");
        market.MapGet("/{base}/{quote}/trades", Trades).WithName("ListTrades").WithSummary("A pair's trades, newest first; page with before=number.");
        market.MapGet("/orders/{id}", Order).WithName("GetOrder").WithSummary("One order, open or not.");
        return api;
    }

    private static Results<Ok<OrderBookView>, ProblemHttpResult> Book(string @base, string quote, LedgerNode node)
    {
        if (!node.Machine.Module<MarketModule>().IsPair(node.Store, @base, quote))
        {
            return Problems.NotFound($"no market {@base}/{quote}: the base is a carbon credit, the quote another token");
        }
        return TypedResults.Ok(new OrderBookView(@base, quote, Levels(node, @base, quote, OrderSide.Buy), Levels(node, @base, quote, OrderSide.Sell)));
    }

    private static List<BookLevelView> Levels(LedgerNode node, string @base, string quote, OrderSide side) =>
        [.. MarketModule.Depth(node.Store, @base, quote, side).Select(l => new BookLevelView(l.Price, l.Amount, l.Orders))];

    private static Results<Ok<Page<TradeView>>, ProblemHttpResult> Trades(string @base, string quote, LedgerNode node, ulong? before, int? limit)
    {
        if (!node.Machine.Module<MarketModule>().IsPair(node.Store, @base, quote))
        {
            return Problems.NotFound($"no market {@base}/{quote}");
        }
        return TypedResults.Ok(NumberedPages.Newest(MarketModule.Count(node.Store, MarketModule.TradeCountKey(@base, quote)), before,
            Math.Clamp(limit ?? 50, 1, ChainApi.MaxPage), n => MarketModule.ReadTrade(node.Store, @base, quote, n), t => ViewMapper.Trade(@base, quote, t)));
    }

    private static Results<Ok<OrderView>, ProblemHttpResult> Order(ulong id, LedgerNode node) =>
        MarketModule.ReadOrder(node.Store, id) is { } order ? TypedResults.Ok(ViewMapper.Order(order)) : Problems.NotFound($"no order {id}");
}
