using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;

[assembly: ThingLedger.Client.ModuleJson(typeof(ThingLedger.Client.IdentityJson))]

namespace ThingLedger.Client;

/// <summary>The identity module's queries.</summary>
public sealed partial class ThingLedgerClient
{
    public Task<List<OrgView>> GetOrgsAsync(CancellationToken cancellationToken = default) => GetAsync("v1/orgs", IdentityJson.Default.ListOrgView, cancellationToken);

    /// <summary>The validator epochs and membership proposals.</summary>
    public Task<MembershipView> GetMembershipAsync(CancellationToken cancellationToken = default) => GetAsync("v1/membership", IdentityJson.Default.MembershipView, cancellationToken);

    public Task<Page<MemberView>> GetMembersAsync(string org, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/orgs/{org}/members?limit=200", IdentityJson.Default.PageMemberView, cancellationToken);
}

/// <summary>The identity module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(List<OrgView>))]
[JsonSerializable(typeof(Page<MemberView>))]
[JsonSerializable(typeof(MembershipView))]
public sealed partial class IdentityJson : JsonSerializerContext;
