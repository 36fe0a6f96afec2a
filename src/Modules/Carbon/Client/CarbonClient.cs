using System.Globalization;
using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;

[assembly: ThingLedger.Client.ModuleJson(typeof(ThingLedger.Client.CarbonJson))]

namespace ThingLedger.Client;

/// <summary>Carbon credits: methodologies, claims, credit tokens and retirements.</summary>
public sealed partial class ThingLedgerClient
{
    public Task<List<MethodologyView>> GetMethodologiesAsync(CancellationToken cancellationToken = default) =>
        GetAsync("v1/carbon/methodologies", CarbonJson.Default.ListMethodologyView, cancellationToken);

    public Task<MethodologyView?> GetMethodologyAsync(string id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/carbon/methodologies/{Uri.EscapeDataString(id)}", CarbonJson.Default.MethodologyView, cancellationToken);

    /// <summary>A methodology's claims, by vehicle then period; only one vehicle's when <paramref name="vehicle"/> is given.</summary>
    public Task<Page<CarbonClaimView>> GetCarbonClaimsAsync(string methodology, Address? vehicle = null, string? after = null, int limit = 50,
        CancellationToken cancellationToken = default)
    {
        var query = $"v1/carbon/methodologies/{Uri.EscapeDataString(methodology)}/claims?limit={limit.ToString(CultureInfo.InvariantCulture)}";
        query += vehicle is { } v ? $"&vehicle={v}" : string.Empty;
        query += after is not null ? $"&after={Uri.EscapeDataString(after)}" : string.Empty;
        return GetAsync(query, CarbonJson.Default.PageCarbonClaimView, cancellationToken);
    }

    public Task<CarbonClaimView?> GetCarbonClaimAsync(string methodology, Address vehicle, ushort period, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/carbon/claims/{Uri.EscapeDataString(methodology)}/{vehicle}/{period.ToString(CultureInfo.InvariantCulture)}",
            CarbonJson.Default.CarbonClaimView, cancellationToken);

    /// <summary>Every credit token with grams issued, retired and outstanding.</summary>
    public Task<List<CreditView>> GetCreditsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("v1/carbon/credits", CarbonJson.Default.ListCreditView, cancellationToken);

    /// <summary>Retirement records, newest first.</summary>
    public Task<Page<RetirementView>> GetRetirementsAsync(ulong? before = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        var query = $"v1/carbon/retirements?limit={limit.ToString(CultureInfo.InvariantCulture)}";
        query += before is { } b ? $"&before={b.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
        return GetAsync(query, CarbonJson.Default.PageRetirementView, cancellationToken);
    }
}

/// <summary>The carbon module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(MethodologyView))]
[JsonSerializable(typeof(List<MethodologyView>))]
[JsonSerializable(typeof(CarbonClaimView))]
[JsonSerializable(typeof(Page<CarbonClaimView>))]
[JsonSerializable(typeof(List<CreditView>))]
[JsonSerializable(typeof(Page<RetirementView>))]
[JsonSerializable(typeof(CarbonRegistryView))]
public sealed partial class CarbonJson : JsonSerializerContext;
