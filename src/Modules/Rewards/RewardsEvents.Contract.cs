using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Rewards;

/// <summary>The events the rewards module emits, with the index topic of each attribute (docs/WIRE-FORMAT.md "Events").</summary>
public static class RewardsEvents
{
    /// <summary>"token" is how version-1 txs named the token (not indexed); version 2 names it "symbol".</summary>
    public static readonly EventType Created = new(RewardsNames.ModuleName, "created",
        new("programme"), new("org"), new("symbol", Topic.Token), new("token"), new("budget"));

    public static readonly EventType Enrolled = new(RewardsNames.ModuleName, "enrolled",
        new("programme"), new("device", Topic.Address), new("owner", Topic.Address));

    /// <summary>"token" is how version-1 txs named the token (not indexed); version 2 names it "symbol".</summary>
    public static readonly EventType Paid = new(RewardsNames.ModuleName, "paid",
        new("programme"), new("account", Topic.Address), new("amount"), new("symbol", Topic.Token), new("token"), new("reason"), new("device", Topic.Address));

    public static readonly EventType Skipped = new(RewardsNames.ModuleName, "skipped",
        new("programme"), new("device", Topic.Address), new("reason"), new("unpaid"));

    public static IReadOnlyList<EventType> All { get; } = [Created, Enrolled, Paid, Skipped];
}
