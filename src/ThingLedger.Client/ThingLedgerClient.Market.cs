using System.Globalization;
using ThingLedger.Client.Contracts;

namespace ThingLedger.Client;

/// <summary>The credit market: order books, trades and orders.</summary>
public sealed partial class ThingLedgerClient
{
    public Task<OrderBookView> GetOrderBookAsync(string @base, string quote, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/market/{Uri.EscapeDataString(@base)}/{Uri.EscapeDataString(quote)}/book", Json.OrderBookView, cancellationToken);

    /// <summary>A pair's trades, newest first; page with the last number seen as <paramref name="before"/>.</summary>
    public Task<Page<TradeView>> GetTradesAsync(string @base, string quote, ulong? before = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        var query = $"v1/market/{Uri.EscapeDataString(@base)}/{Uri.EscapeDataString(quote)}/trades?limit={limit.ToString(CultureInfo.InvariantCulture)}";
        query += before is { } b ? $"&before={b.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
        return GetAsync(query, Json.PageTradeView, cancellationToken);
    }

    public Task<OrderView?> GetOrderAsync(ulong id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/market/orders/{id.ToString(CultureInfo.InvariantCulture)}", Json.OrderView, cancellationToken);
}
