using System.Globalization;
using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;

[assembly: ThingLedger.Client.ModuleJson(typeof(ThingLedger.Client.EnergyJson))]

namespace ThingLedger.Client;

/// <summary>Energy trading: markets, intervals (book, clearing, settlement) and meters.</summary>
public sealed partial class ThingLedgerClient
{
    public async Task<List<EnergyMarketView>> GetEnergyMarketsAsync(CancellationToken cancellationToken = default) =>
        await GetOrNullAsync("v1/energy/markets", EnergyJson.Default.ListEnergyMarketView, cancellationToken).ConfigureAwait(false) ?? [];

    public Task<EnergyMarketView?> GetEnergyMarketAsync(string id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/energy/markets/{Uri.EscapeDataString(id)}", EnergyJson.Default.EnergyMarketView, cancellationToken);

    public Task<EnergyIntervalView?> GetEnergyIntervalAsync(string market, ulong start, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/energy/markets/{Uri.EscapeDataString(market)}/intervals/{start.ToString(CultureInfo.InvariantCulture)}", EnergyJson.Default.EnergyIntervalView, cancellationToken);

    public Task<EnergyMeterView?> GetEnergyMeterAsync(Address meter, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/energy/meters/{meter}", EnergyJson.Default.EnergyMeterView, cancellationToken);
}

/// <summary>The energy module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(EnergyMarketView))]
[JsonSerializable(typeof(List<EnergyMarketView>))]
[JsonSerializable(typeof(EnergyIntervalView))]
[JsonSerializable(typeof(EnergyMeterView))]
[JsonSerializable(typeof(EnergyStreamEvent))]
public sealed partial class EnergyJson : JsonSerializerContext;
