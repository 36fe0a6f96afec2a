using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Client;

/// <summary>Reward programmes and enrolments.</summary>
public sealed partial class ThingLedgerClient
{
    public Task<List<ProgrammeView>> GetProgrammesAsync(CancellationToken cancellationToken = default) =>
        GetAsync("v1/rewards/programmes", Json.ListProgrammeView, cancellationToken);

    public Task<ProgrammeView?> GetProgrammeAsync(string id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/rewards/programmes/{Uri.EscapeDataString(id)}", Json.ProgrammeView, cancellationToken);

    /// <summary>The programmes a device is enrolled in.</summary>
    public Task<List<string>> GetEnrolmentsAsync(Address device, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/rewards/devices/{device}", Json.ListString, cancellationToken);
}
