using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;

[assembly: ThingLedger.Client.ModuleJson(typeof(ThingLedger.Client.ContractsJson))]

namespace ThingLedger.Client;

/// <summary>Contracts: what is deployed, its versions and proposals, its storage, and read-only queries.</summary>
public sealed partial class ThingLedgerClient
{
    public Task<List<ContractView>> GetContractsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("v1/contracts", ContractsJson.Default.ListContractView, cancellationToken);

    public Task<ContractView?> GetContractAsync(string name, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/contracts/{Uri.EscapeDataString(name)}", ContractsJson.Default.ContractView, cancellationToken);

    public Task<List<ContractVersionView>> GetContractVersionsAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/contracts/{Uri.EscapeDataString(name)}/versions", ContractsJson.Default.ListContractVersionView, cancellationToken);

    public Task<List<ContractProposalView>> GetContractProposalsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("v1/contracts/proposals", ContractsJson.Default.ListContractProposalView, cancellationToken);

    public Task<ContractProposalView?> GetContractProposalAsync(string id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/contracts/proposals/{Uri.EscapeDataString(id)}", ContractsJson.Default.ContractProposalView, cancellationToken);

    /// <summary>A contract's storage entries in state-key order after the cursor <paramref name="after"/>.</summary>
    public Task<Page<ContractEntryView>> GetContractStateAsync(string name, string? after = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        var query = $"v1/contracts/{Uri.EscapeDataString(name)}/state?limit={limit.ToString(CultureInfo.InvariantCulture)}";
        query += after is null ? string.Empty : $"&after={Uri.EscapeDataString(after)}";
        return GetAsync(query, ContractsJson.Default.PageContractEntryView, cancellationToken);
    }

    /// <summary>Runs a method read-only against committed state (nothing is written; no tx).</summary>
    public async Task<ContractQueryView> QueryContractAsync(string name, ContractQueryRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsJsonAsync($"v1/contracts/{Uri.EscapeDataString(name)}/query", request, ContractsJson.Default.ContractQueryRequest, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, ContractsJson.Default.ContractQueryView, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The contracts module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(List<ContractView>))]
[JsonSerializable(typeof(ContractView))]
[JsonSerializable(typeof(List<ContractVersionView>))]
[JsonSerializable(typeof(List<ContractProposalView>))]
[JsonSerializable(typeof(ContractProposalView))]
[JsonSerializable(typeof(Page<ContractEntryView>))]
[JsonSerializable(typeof(ContractQueryRequest))]
[JsonSerializable(typeof(ContractQueryView))]
public sealed partial class ContractsJson : JsonSerializerContext;
