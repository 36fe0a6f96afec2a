using ThingLedger.Execution.Modules.Market;

namespace ThingLedger.Client;

/// <summary>The market module's operations, ready to sign.</summary>
public static partial class Operations
{
    /// <summary>A limit order; price in quote units per base unit, amount in base units (both above zero).</summary>
    [Builds(MarketNames.ModuleName, MarketNames.Place)]
    public static Operation PlaceOrder(string @base, string quote, OrderSide side, long price, long amount) =>
        Operation.Of(MarketNames.ModuleName, MarketNames.Place, new PlaceOrderPayload(@base, quote, side, price, amount));

    [Builds(MarketNames.ModuleName, MarketNames.Cancel)]
    public static Operation CancelOrder(ulong order) =>
        Operation.Of(MarketNames.ModuleName, MarketNames.Cancel, new CancelOrderPayload(order));
}
