using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Devices;

/// <summary>The events the devices module emits, with the index topic of each attribute (docs/WIRE-FORMAT.md "Events").</summary>
public static class DevicesEvents
{
    public static readonly EventType Registered = new(DevicesNames.ModuleName, "registered",
        new("device", Topic.Address), new("org"), new("model"), new("serial"), new("owner", Topic.Address));

    public static readonly EventType Transferred = new(DevicesNames.ModuleName, "transferred",
        new("device", Topic.Address), new("from", Topic.Address), new("to", Topic.Address));

    public static readonly EventType Revoked = new(DevicesNames.ModuleName, "revoked",
        new("device", Topic.Address), new("org"), new("reason"));

    public static IReadOnlyList<EventType> All { get; } = [Registered, Transferred, Revoked];
}
