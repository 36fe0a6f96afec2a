using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Carbon;

/// <summary>The events the carbon module emits, with the index topic of each attribute (docs/WIRE-FORMAT.md "Events").</summary>
public static class CarbonEvents
{
    public static readonly EventType MethodologyRegistered = new(CarbonNames.ModuleName, "methodology-registered",
        new("methodology"), new("org"), new("verifier"), new("schema"), new("periods"));

    public static readonly EventType Claimed = new(CarbonNames.ModuleName, "claimed",
        new("methodology"), new("vehicle", Topic.Address), new("period"), new("grams"), new("km"), new("custodian"));

    public static readonly EventType Rejected = new(CarbonNames.ModuleName, "rejected",
        new("methodology"), new("vehicle", Topic.Address), new("period"), new("verifier"), new("reason"));

    public static readonly EventType Issued = new(CarbonNames.ModuleName, "issued",
        new("methodology"), new("vehicle", Topic.Address), new("period"), new("symbol", Topic.Token), new("grams"), new("owner", Topic.Address), new("verifier"), new("claim"));

    public static readonly EventType Retired = new(CarbonNames.ModuleName, "retired",
        new("number"), new("symbol", Topic.Token), new("grams"), new("holder", Topic.Address), new("beneficiary"));

    public static IReadOnlyList<EventType> All { get; } = [MethodologyRegistered, Claimed, Rejected, Issued, Retired];
}
