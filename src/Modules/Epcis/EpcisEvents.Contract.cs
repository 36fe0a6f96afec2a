using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>The events the epcis module emits, with the index topic of each attribute (docs/WIRE-FORMAT.md "Events").</summary>
public static class EpcisEvents
{
    private const string M = EpcisNames.ModuleName;

    public static readonly EventType Anchored = new(M, "events-anchored",
        new("custodian", Topic.Address), new("org"), new("events"), new("root"), new("first"), new("last"));

    public static readonly EventType Flagged = new(M, "item-flagged", new("item"), new("code"), new("event"), new("org"));

    public static readonly EventType RoleApproved = new(M, "role-approved", new("org"), new("role"), new("grant"), new("by"));

    public static readonly EventType RoleChanged = new(M, "role-changed", new("org"), new("roles"));

    public static readonly EventType LocationRegistered = new(M, "location-registered", new("location"), new("org"), new("country"));

    public static readonly EventType Tagged = new(M, "item-tagged", new("item"), new("device", Topic.Address), new("org"));

    public static IReadOnlyList<EventType> All { get; } = [Anchored, Flagged, RoleApproved, RoleChanged, LocationRegistered, Tagged];
}
