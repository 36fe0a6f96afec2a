using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Execution.Modules.Market;
using ThingLedger.Node.Api;

namespace ThingLedger.Node.Modules.Market;

/// <summary>The market's node part: order books, trades and orders, read through <see cref="MarketQueries"/>.</summary>
internal sealed class MarketNode : NodeModule
{
    public override string Module => MarketNames.ModuleName;

    public override void AddServices(IServiceCollection services) => services.AddSingleton<MarketQueries>();

    public override void MapApi(RouteGroupBuilder v1)
    {
        var market = v1.MapGroup("/market").WithTags("Market");
        market.MapGet("/{base}/{quote}/book", Book).WithName("GetOrderBook").WithSummary("A pair's order book by price level, best first.");
        market.MapGet("/{base}/{quote}/trades", Trades).WithName("ListTrades").WithSummary("A pair's trades, newest first; page with before=number.");
        market.MapGet("/orders/{id}", Order).WithName("GetOrder").WithSummary("One order, open or not.");
    }

    /// <summary>Why a pair is not a market, in the API and the explorer alike.</summary>
    internal static string NoMarket(string @base, string quote) => $"no market {@base}/{quote}: a market trades two different tokens that exist";

    private static Results<Ok<OrderBookView>, ProblemHttpResult> Book(string @base, string quote, MarketQueries market)
    {
        if (!market.IsPair(@base, quote))
        {
            return Problems.NotFound(NoMarket(@base, quote));
        }
        return TypedResults.Ok(new OrderBookView(@base, quote, Levels(market, @base, quote, OrderSide.Buy), Levels(market, @base, quote, OrderSide.Sell)));
    }

    private static List<BookLevelView> Levels(MarketQueries market, string @base, string quote, OrderSide side) =>
        [.. market.Depth(@base, quote, side).Select(l => new BookLevelView(l.Price, l.Amount, l.Orders))];

    private static Results<Ok<Page<TradeView>>, ProblemHttpResult> Trades(string @base, string quote, MarketQueries market, ulong? before, int? limit)
    {
        if (!market.IsPair(@base, quote))
        {
            return Problems.NotFound(NoMarket(@base, quote));
        }
        var page = market.Trades(@base, quote, before, Problems.Limit(limit));
        return TypedResults.Ok(new Page<TradeView>([.. page.Items.Select(t => View(@base, quote, t))], page.Next));
    }

    private static Results<Ok<OrderView>, ProblemHttpResult> Order(ulong id, MarketQueries market) =>
        market.Order(id) is { } order ? TypedResults.Ok(View(order)) : Problems.NotFound($"no order {id}");

    internal static OrderView View(OrderRecord o) => new(
        o.Id, o.Owner.ToString(), o.Base, o.Quote, o.Side, o.Price, o.Amount, o.Remaining, o.Status,
        o.Height, o.Tx.ToString());

    internal static TradeView View(string @base, string quote, TradeRecord t) => new(
        t.Number, @base, quote, t.Price, t.Amount, t.BuyOrder, t.SellOrder, t.Buyer.ToString(), t.Seller.ToString(), t.Taker,
        t.Height, t.Timestamp, t.Tx.ToString());
}
