using System.Globalization;
using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;

[assembly: ThingLedger.Client.ModuleJson(typeof(ThingLedger.Client.TokensJson))]

namespace ThingLedger.Client;

/// <summary>The tokens module's queries.</summary>
public sealed partial class ThingLedgerClient
{
    public Task<List<TokenView>> GetTokensAsync(CancellationToken cancellationToken = default) => GetAsync("v1/tokens", TokensJson.Default.ListTokenView, cancellationToken);

    public Task<TokenView?> GetTokenAsync(string symbol, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/tokens/{symbol}", TokensJson.Default.TokenView, cancellationToken);

    public Task<BalanceView> GetBalanceAsync(string symbol, Address holder, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/tokens/{symbol}/balances/{holder}", TokensJson.Default.BalanceView, cancellationToken);

    /// <summary>A page of a token's holders with their balances, by address.</summary>
    public Task<Page<BalanceView>> GetHoldersAsync(string symbol, string? after = null, int limit = 50, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/tokens/{symbol}/holders?limit={limit.ToString(CultureInfo.InvariantCulture)}" +
            (after is null ? string.Empty : $"&after={Uri.EscapeDataString(after)}"), TokensJson.Default.PageBalanceView, cancellationToken);
}

/// <summary>The tokens module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(List<TokenView>))]
[JsonSerializable(typeof(BalanceView))]
[JsonSerializable(typeof(Page<BalanceView>))]
public sealed partial class TokensJson : JsonSerializerContext;
