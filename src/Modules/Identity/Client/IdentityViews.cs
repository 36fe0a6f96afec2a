using System.Text.Json.Serialization;

namespace ThingLedger.Client.Contracts;

public sealed record MemberView(string Address, string Org, string Roles, ulong Since);

public sealed record OrgView(string Id, string Name);

public sealed record ValidatorView(string Org, string PublicKey);

/// <summary>A validator set and the block it certifies from; ScheduledBy is the tx that enacted it (null for genesis).</summary>
public sealed record EpochView(ulong Epoch, ulong From, int Quorum, List<ValidatorView> Validators, string? ScheduledBy);

/// <summary>A membership proposal's state: open for approvals, enacted, or expired (its effective height came without a quorum).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProposalStatus>))]
public enum ProposalStatus
{
    [JsonStringEnumMemberName("open")]
    Open,
    [JsonStringEnumMemberName("enacted")]
    Enacted,
    [JsonStringEnumMemberName("expired")]
    Expired,
}

/// <summary>A membership proposal.</summary>
public sealed record ProposalView(
    string Id, string Action, string Org, string? Name, string? Validator, uint Quorum, ulong EffectiveHeight, ulong ProposedAt,
    List<string> Approvals, ProposalStatus Status, ulong? Epoch);

/// <summary>GET /v1/membership: every epoch, the one in force for the next block, and the proposals.</summary>
public sealed record MembershipView(ulong Height, ulong CurrentEpoch, List<EpochView> Epochs, List<ProposalView> Proposals);
