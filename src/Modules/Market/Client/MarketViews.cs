using ThingLedger.Execution.Modules.Market;

namespace ThingLedger.Client.Contracts;

/// <summary>A limit order: side buy or sell, price in quote units per base unit, amounts in base units; status open, filled or cancelled.</summary>
public sealed record OrderView(ulong Id, string Owner, string Base, string Quote, OrderSide Side, long Price, long Amount, long Remaining, OrderStatus Status, ulong Height, string Tx);

/// <summary>One price level of the book: the price, the amount left at it, and how many orders.</summary>
public sealed record BookLevelView(long Price, long Amount, int Orders);

/// <summary>A pair's order book, best prices first: bids highest first, asks lowest first.</summary>
public sealed record OrderBookView(string Base, string Quote, List<BookLevelView> Bids, List<BookLevelView> Asks);

/// <summary>One fill, at the resting order's price; taker is the side of the incoming order.</summary>
public sealed record TradeView(ulong Number, string Base, string Quote, long Price, long Amount, ulong BuyOrder, ulong SellOrder, string Buyer, string Seller,
    OrderSide Taker, ulong Height, ulong Timestamp, string Tx);
