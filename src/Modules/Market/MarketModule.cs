using System.Globalization;
using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;
using ThingLedger.Execution.Modules.Tokens;
using F = ThingLedger.Execution.PayloadField;

namespace ThingLedger.Execution.Modules.Market;

/// <summary>
/// A limit-order market for carbon credits against a payment token (docs/CREDITS.md §4).
/// Placing an order escrows what it could spend; an incoming order trades with the best
/// opposite levels, oldest order first, at the resting order's price, and a buyer who offered
/// more gets the difference back at once; what is left rests in the book. Every trade moves
/// both tokens in the same tx or not at all. Cancelling refunds what is left.
/// </summary>
public sealed class MarketModule(ITokenLedger tokens) : IModule
{
    public const string ModuleName = MarketNames.ModuleName;
    public const string Place = MarketNames.Place;
    public const string Cancel = MarketNames.Cancel;

    public string Name => ModuleName;

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(MarketErrors));

    public IReadOnlyList<EventType> Events => MarketEvents.All;

    public IReadOnlyList<StateRecordType> StateRecords { get; } =
    [
        StateRecordType.Of("market/order/", "order", OrderRecord.Read),
        StateRecordType.Of("market/book/", "order book side", BookSide.Read),
        StateRecordType.Of("market/trade/", "trade", TradeRecord.Read),
        StateRecordType.Number("market/trades/", "trades in the pair"),
    ];

    public OperationTable Operations => _operations ??= new OperationTable()
        .Add(Place, PlaceOrderPayload.Read, DoPlace, static p =>
            [new("pair", $"{p.Base}/{p.Quote}", $"/market/{p.Base}/{p.Quote}"), F.Text("side", Enum.IsDefined(p.Side) ? p.Side.Text() : $"unknown ({(byte)p.Side})"),
             F.Number("price", p.Price), F.Number("amount", p.Amount)])
        .Add(Cancel, CancelOrderPayload.Read, DoCancel, static p => [F.Number("order", p.Order)]);

    private OperationTable? _operations;

    /// <summary>Where escrowed tokens wait: an address derived from a fixed text, whose key nobody holds.</summary>
    public static Address Escrow { get; } = TokenLedger.ModuleAccount("thingledger/market/escrow");

    public static string OrderKey(ulong id) => $"market/order/{id:D12}";
    public const string OrderCountKey = "market/orders";
    public static string BooksOfPrefix(string @base) => $"market/book/{@base}/";
    public static string BookKey(string @base, string quote, OrderSide side) => $"{BooksOfPrefix(@base)}{quote}/{(side == OrderSide.Buy ? "buy" : "sell")}";
    public static string TradesPrefix(string @base, string quote) => $"market/trade/{@base}/{quote}/";
    public static string TradeKey(string @base, string quote, ulong n) => $"{TradesPrefix(@base, quote)}{n:D12}";
    public static string TradeCountKey(string @base, string quote) => $"market/trades/{@base}/{quote}";

    public static OrderRecord? ReadOrder(IStateReader state, ulong id) => Payload.Get(state, OrderKey(id), OrderRecord.Read);

    public static BookSide ReadBook(IStateReader state, string @base, string quote, OrderSide side) =>
        Payload.Get(state, BookKey(@base, quote, side), BookSide.Read) ?? BookSide.Empty;

    /// <summary>A book side by level, best first: price, what its orders have left, how many orders.</summary>
    public static List<(long Price, long Amount, int Orders)> Depth(IStateReader state, string @base, string quote, OrderSide side) =>
        [.. ReadBook(state, @base, quote, side).Levels.Select(l => (l.Price, l.Orders.Sum(id => ReadOrder(state, id)?.Remaining ?? 0), l.Orders.Length))];

    public static TradeRecord? ReadTrade(IStateReader state, string @base, string quote, ulong n) => Payload.Get(state, TradeKey(@base, quote, n), TradeRecord.Read);

    public static ulong Count(IStateReader state, string key) => Counters.Read(state, key);

    public void InitGenesis(Genesis genesis, StateView state)
    {
    }


    /// <summary>A pair is any two different tokens the ledger knows (a carbon credit, an org's token, any module's): base priced in quote.</summary>
    public bool IsPair(IStateReader state, string @base, string quote) =>
        Identifiers.IsSymbol(@base) && Identifiers.IsSymbol(quote) && @base != quote &&
        tokens.Find(state, @base) is not null && tokens.Find(state, quote) is not null;

    private Outcome DoPlace(TxContext context, PlaceOrderPayload p)
    {
        if (p.Price <= 0 || p.Amount <= 0 || p.Side is not (OrderSide.Buy or OrderSide.Sell) || !IsPair(context.State, p.Base, p.Quote))
        {
            return MarketErrors.OrderInvalid;
        }
        // Escrow what the order could spend: the credits it sells, or price × amount of the payment token.
        var escrowed = p.Side == OrderSide.Sell
            ? tokens.Move(context, p.Base, context.Signer, Escrow, (UInt128)p.Amount)
            : tokens.Move(context, p.Quote, context.Signer, Escrow, (UInt128)p.Price * (UInt128)p.Amount);
        if (!escrowed.Succeeded)
        {
            return escrowed;
        }
        var id = Counters.Next(context.State, OrderCountKey);
        var order = new OrderRecord(id, context.Signer, p.Base, p.Quote, p.Side, p.Price, p.Amount, p.Amount, OrderStatus.Open, context.Height, context.Tx.Id);
        var matched = Match(context, order, out order);
        if (!matched.Succeeded)
        {
            return matched;
        }
        if (order.Remaining > 0)
        {
            var book = ReadBook(context.State, p.Base, p.Quote, p.Side);
            if (book.OrderCount >= BookSide.MaxOrders)
            {
                return MarketErrors.OrderBookFull;
            }
            context.State.Set(BookKey(p.Base, p.Quote, p.Side), Canonical.Encode(Insert(book, p.Side, p.Price, id)));
        }
        else
        {
            order = order with { Status = OrderStatus.Filled };
        }
        context.State.Set(OrderKey(id), Canonical.Encode(order));
        context.Emit(MarketEvents.Placed, new("order", Text(id)), new("pair", $"{p.Base}/{p.Quote}"), new("side", p.Side.Text()),
            new("price", Text(p.Price)), new("amount", Text(p.Amount)), new("remaining", Text(order.Remaining)));
        return Outcome.Ok;
    }

    /// <summary>
    /// Trades <paramref name="taker"/> against the opposite side while prices cross. Refuses the
    /// whole tx with SELF_TRADE when the first crossing order of the taker's own would be met.
    /// </summary>
    private Outcome Match(TxContext context, OrderRecord taker, out OrderRecord after)
    {
        after = taker;
        var makerSide = taker.Side == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy;
        var book = ReadBook(context.State, taker.Base, taker.Quote, makerSide);
        var levels = new List<PriceLevel>(book.Levels);
        var changed = false;
        while (after.Remaining > 0 && levels.Count > 0 && Crosses(after, levels[0].Price))
        {
            var level = levels[0];
            var orders = new List<ulong>(level.Orders);
            while (after.Remaining > 0 && orders.Count > 0)
            {
                context.Gas.Steps(1);
                var maker = ReadOrder(context.State, orders[0])!;
                if (maker.Owner == taker.Owner)
                {
                    return MarketErrors.SelfTrade;
                }
                var amount = Math.Min(after.Remaining, maker.Remaining);
                var settled = Settle(context, taker, maker, level.Price, amount);
                if (!settled.Succeeded)
                {
                    return settled;
                }
                after = after with { Remaining = after.Remaining - amount };
                maker = maker with { Remaining = maker.Remaining - amount };
                if (maker.Remaining == 0)
                {
                    maker = maker with { Status = OrderStatus.Filled };
                    orders.RemoveAt(0);
                }
                context.State.Set(OrderKey(maker.Id), Canonical.Encode(maker));
                changed = true;
            }
            if (orders.Count == 0)
            {
                levels.RemoveAt(0);
            }
            else
            {
                levels[0] = level with { Orders = [.. orders] };
            }
        }
        if (changed)
        {
            context.State.Set(BookKey(taker.Base, taker.Quote, makerSide), Canonical.Encode(new BookSide([.. levels])));
        }
        return Outcome.Ok;
    }

    private bool Crosses(OrderRecord taker, long makerPrice) =>
        taker.Side == OrderSide.Buy ? makerPrice <= taker.Price : makerPrice >= taker.Price;

    /// <summary>
    /// One fill at the maker's price, out of escrow: credits to the buyer, payment to the seller,
    /// and to a taking buyer the difference between its limit and the trade price.
    /// </summary>
    private Outcome Settle(TxContext context, OrderRecord taker, OrderRecord maker, long price, long amount)
    {
        var (buy, sell) = taker.Side == OrderSide.Buy ? (taker, maker) : (maker, taker);
        var payment = (UInt128)price * (UInt128)amount;
        var outcome = tokens.Move(context, taker.Base, Escrow, buy.Owner, (UInt128)amount);
        outcome = outcome.Succeeded ? tokens.Move(context, taker.Quote, Escrow, sell.Owner, payment) : outcome;
        if (outcome.Succeeded && buy.Price > price)
        {
            outcome = tokens.Move(context, taker.Quote, Escrow, buy.Owner, (UInt128)(buy.Price - price) * (UInt128)amount);
        }
        if (!outcome.Succeeded)
        {
            return outcome;
        }
        var n = Counters.Next(context.State, TradeCountKey(taker.Base, taker.Quote));
        context.State.Set(TradeKey(taker.Base, taker.Quote, n), Canonical.Encode(new TradeRecord(
            n, buy.Id, sell.Id, buy.Owner, sell.Owner, price, amount, taker.Side, context.Height, context.Timestamp, context.Tx.Id)));
        context.Emit(MarketEvents.Trade, new("pair", $"{taker.Base}/{taker.Quote}"), new("trade", Text(n)), new("price", Text(price)),
            new("amount", Text(amount)), new("buy-order", Text(buy.Id)), new("sell-order", Text(sell.Id)),
            new("buyer", buy.Owner.ToString()), new("seller", sell.Owner.ToString()));
        return Outcome.Ok;
    }

    /// <summary>The book side with <paramref name="id"/> appended to its price level, a new level inserted where the price sorts.</summary>
    private BookSide Insert(BookSide book, OrderSide side, long price, ulong id)
    {
        var levels = new List<PriceLevel>(book.Levels);
        var at = levels.FindIndex(l => l.Price == price);
        if (at >= 0)
        {
            levels[at] = levels[at] with { Orders = [.. levels[at].Orders, id] };
            return new BookSide([.. levels]);
        }
        var before = levels.FindIndex(l => side == OrderSide.Buy ? l.Price < price : l.Price > price);
        levels.Insert(before < 0 ? levels.Count : before, new PriceLevel(price, [id]));
        return new BookSide([.. levels]);
    }

    private Outcome DoCancel(TxContext context, CancelOrderPayload p)
    {
        if (ReadOrder(context.State, p.Order) is not { Status: OrderStatus.Open } order)
        {
            return MarketErrors.OrderNotFound;
        }
        if (order.Owner != context.Signer)
        {
            return MarketErrors.NotOrderOwner;
        }
        var book = ReadBook(context.State, order.Base, order.Quote, order.Side);
        var levels = book.Levels
            .Select(l => l.Price == order.Price ? l with { Orders = [.. l.Orders.Where(o => o != order.Id)] } : l)
            .Where(l => l.Orders.Length > 0).ToArray();
        context.State.Set(BookKey(order.Base, order.Quote, order.Side), Canonical.Encode(new BookSide(levels)));
        var refund = order.Side == OrderSide.Sell
            ? tokens.Move(context, order.Base, Escrow, order.Owner, (UInt128)order.Remaining)
            : tokens.Move(context, order.Quote, Escrow, order.Owner, (UInt128)order.Price * (UInt128)order.Remaining);
        if (!refund.Succeeded)
        {
            return refund;
        }
        context.State.Set(OrderKey(order.Id), Canonical.Encode(order with { Status = OrderStatus.Cancelled }));
        context.Emit(MarketEvents.Cancelled, new("order", Text(order.Id)), new("pair", $"{order.Base}/{order.Quote}"),
            new("remaining", Text(order.Remaining)));
        return Outcome.Ok;
    }


    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
