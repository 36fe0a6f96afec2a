using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Identity;

/// <summary>The events the identity module emits, with the index topic of each attribute (docs/WIRE-FORMAT.md "Events").</summary>
public static class IdentityEvents
{
    public static readonly EventType MembershipProposed = new(IdentityNames.ModuleName, "membership-proposed",
        new("proposal"), new("action"), new("org"), new("effective-height"), new("by"));

    public static readonly EventType MembershipApproved = new(IdentityNames.ModuleName, "membership-approved",
        new("proposal"), new("by"));

    public static readonly EventType MembershipScheduled = new(IdentityNames.ModuleName, MembershipEvent.Name,
        new(MembershipEvent.Epoch), new(MembershipEvent.From), new(MembershipEvent.SetHash), new("action"), new("org"), new("validators"), new("quorum"));

    public static readonly EventType MemberAdded = new(IdentityNames.ModuleName, "member-added",
        new("org"), new("member", Topic.Address), new("roles"));

    public static readonly EventType MemberUpdated = new(IdentityNames.ModuleName, "member-updated",
        new("org"), new("member", Topic.Address), new("roles"));

    public static readonly EventType MemberRemoved = new(IdentityNames.ModuleName, "member-removed",
        new("org"), new("member", Topic.Address));

    public static IReadOnlyList<EventType> All { get; } = [MembershipProposed, MembershipApproved, MembershipScheduled, MemberAdded, MemberUpdated, MemberRemoved];
}
