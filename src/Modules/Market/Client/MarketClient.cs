using System.Globalization;
using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;

[assembly: ThingLedger.Client.ModuleJson(typeof(ThingLedger.Client.MarketJson))]

namespace ThingLedger.Client;

/// <summary>The credit market: order books, trades and orders.</summary>
public sealed partial class ThingLedgerClient
{
    public Task<OrderBookView> GetOrderBookAsync(string @base, string quote, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/market/{Uri.EscapeDataString(@base)}/{Uri.EscapeDataString(quote)}/book", MarketJson.Default.OrderBookView, cancellationToken);

    /// <summary>A pair's trades, newest first; page with the last number seen as <paramref name="before"/>.</summary>
    public Task<Page<TradeView>> GetTradesAsync(string @base, string quote, ulong? before = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        var query = $"v1/market/{Uri.EscapeDataString(@base)}/{Uri.EscapeDataString(quote)}/trades?limit={limit.ToString(CultureInfo.InvariantCulture)}";
        query += before is { } b ? $"&before={b.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
        return GetAsync(query, MarketJson.Default.PageTradeView, cancellationToken);
    }

    public Task<OrderView?> GetOrderAsync(ulong id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/market/orders/{id.ToString(CultureInfo.InvariantCulture)}", MarketJson.Default.OrderView, cancellationToken);
}

/// <summary>The market module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(OrderView))]
[JsonSerializable(typeof(OrderBookView))]
[JsonSerializable(typeof(Page<TradeView>))]
public sealed partial class MarketJson : JsonSerializerContext;
