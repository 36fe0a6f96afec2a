using ThingLedger.Core;

namespace ThingLedger.Execution.Modules.Market;

/// <summary>
/// The market module's error codes (docs/ERRORS.md, "Market"). New codes start with
/// <see cref="Prefix"/>; the kernel refuses at start a code another module or the kernel declares.
/// </summary>
public static class MarketErrors
{
    public const string Prefix = "MARKET_";

    [Unprefixed]
    public const string OrderInvalid = "ORDER_INVALID";

    [Unprefixed]
    public const string SelfTrade = "SELF_TRADE";

    [Unprefixed]
    public const string OrderNotFound = "ORDER_NOT_FOUND";

    [Unprefixed]
    public const string NotOrderOwner = "NOT_ORDER_OWNER";

    [Unprefixed]
    public const string OrderBookFull = "ORDER_BOOK_FULL";
}
