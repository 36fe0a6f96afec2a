using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.AccessLogs;

/// <summary>The events the access module emits, with the index topic of each attribute (docs/WIRE-FORMAT.md "Events").</summary>
public static class AccessEvents
{
    public static readonly EventType Recorded = new(AccessNames.ModuleName, "access-recorded",
        new("subject", Topic.Address), new("kind"), new("entry"), new("by", Topic.Address));

    public static readonly IReadOnlyList<EventType> All = [Recorded];
}
