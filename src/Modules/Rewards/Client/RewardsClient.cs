using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;

[assembly: ThingLedger.Client.ModuleJson(typeof(ThingLedger.Client.RewardsJson))]

namespace ThingLedger.Client;

/// <summary>Reward programmes and enrolments.</summary>
public sealed partial class ThingLedgerClient
{
    public Task<List<ProgrammeView>> GetProgrammesAsync(CancellationToken cancellationToken = default) =>
        GetAsync("v1/rewards/programmes", RewardsJson.Default.ListProgrammeView, cancellationToken);

    public Task<ProgrammeView?> GetProgrammeAsync(string id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/rewards/programmes/{Uri.EscapeDataString(id)}", RewardsJson.Default.ProgrammeView, cancellationToken);

    /// <summary>The programmes a device is enrolled in.</summary>
    public Task<List<string>> GetEnrolmentsAsync(Address device, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/rewards/devices/{device}", Json.ListString, cancellationToken);
}

/// <summary>The rewards module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ProgrammeView))]
[JsonSerializable(typeof(List<ProgrammeView>))]
public sealed partial class RewardsJson : JsonSerializerContext;
