using System.Globalization;
using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;

[assembly: ThingLedger.Client.ModuleJson(typeof(ThingLedger.Client.CommerceJson))]

namespace ThingLedger.Client;

/// <summary>Device commerce: agreements, their orders, and a counterparty's queue.</summary>
public sealed partial class ThingLedgerClient
{
    public Task<AgreementView?> GetAgreementAsync(Hash id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/commerce/agreements/{id}", CommerceJson.Default.AgreementView, cancellationToken);

    public Task<CommerceOrderView?> GetCommerceOrderAsync(Hash agreement, uint order, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/commerce/agreements/{agreement}/orders/{order.ToString(CultureInfo.InvariantCulture)}", CommerceJson.Default.CommerceOrderView, cancellationToken);

    /// <summary>Agreements an owner proposed, or a counterparty organisation holds (without their orders).</summary>
    public async Task<List<AgreementView>> GetAgreementsAsync(Address? owner, string? counterparty, CancellationToken cancellationToken = default)
    {
        var query = owner is { } o ? $"owner={o}" : $"counterparty={Uri.EscapeDataString(counterparty ?? string.Empty)}";
        return await GetOrNullAsync($"v1/commerce/agreements?{query}", CommerceJson.Default.ListAgreementView, cancellationToken).ConfigureAwait(false) ?? [];
    }

    /// <summary>The open orders of every agreement <paramref name="org"/> is the counterparty of, oldest first: what it has to accept, ship or visit.</summary>
    public async Task<List<CommerceOrderView>> GetCommerceQueueAsync(string org, CancellationToken cancellationToken = default) =>
        await GetOrNullAsync($"v1/commerce/queue/{Uri.EscapeDataString(org)}", CommerceJson.Default.ListCommerceOrderView, cancellationToken).ConfigureAwait(false) ?? [];
}

/// <summary>The commerce module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(AgreementView))]
[JsonSerializable(typeof(CommerceOrderView))]
[JsonSerializable(typeof(List<AgreementView>))]
[JsonSerializable(typeof(List<CommerceOrderView>))]
public sealed partial class CommerceJson : JsonSerializerContext;
