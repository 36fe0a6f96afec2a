using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Market;

/// <summary>The events the market module emits, with the index topic of each attribute (docs/WIRE-FORMAT.md "Events").</summary>
public static class MarketEvents
{
    public static readonly EventType Placed = new(MarketNames.ModuleName, "placed",
        new("order"), new("pair"), new("side"), new("price"), new("amount"), new("remaining"));

    public static readonly EventType Trade = new(MarketNames.ModuleName, "trade",
        new("pair"), new("trade"), new("price"), new("amount"), new("buy-order"), new("sell-order"), new("buyer", Topic.Address), new("seller", Topic.Address));

    public static readonly EventType Cancelled = new(MarketNames.ModuleName, "cancelled",
        new("order"), new("pair"), new("remaining"));

    public static IReadOnlyList<EventType> All { get; } = [Placed, Trade, Cancelled];
}
