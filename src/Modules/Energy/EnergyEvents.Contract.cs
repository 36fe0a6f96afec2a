using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Energy;

/// <summary>The events the energy module emits, with the index topic of each attribute (docs/WIRE-FORMAT.md "Events").</summary>
public static class EnergyEvents
{
    private const string M = EnergyNames.ModuleName;

    public static readonly EventType MarketCreated = new(M, "market-created",
        new("market"), new("operator"), new("zone"), new("token", Topic.Token), new("interval"));

    public static readonly EventType Joined = new(M, "meter-joined", new("market"), new("meter", Topic.Address), new("owner", Topic.Address));

    public static readonly EventType Funded = new(M, "meter-funded", new("market"), new("meter", Topic.Address), new("amount"), new("funds"));

    public static readonly EventType Left = new(M, "meter-left", new("market"), new("meter", Topic.Address), new("returned"));

    public static readonly EventType Placed = new(M, "order-placed",
        new("market"), new("interval"), new("order"), new("side"), new("meter", Topic.Address), new("wh"), new("price"));

    public static readonly EventType FlexRequested = new(M, "flex-requested", new("market"), new("interval"), new("wh"), new("price"));

    public static readonly EventType Cleared = new(M, "interval-cleared",
        new("market"), new("interval"), new("price"), new("traded"), new("excess"), new("flex"), new("absorbed"));

    public static readonly EventType Settled = new(M, "interval-settled",
        new("market"), new("interval"), new("meters"), new("energy"), new("fees"));

    public static readonly IReadOnlyList<EventType> All = [MarketCreated, Joined, Funded, Left, Placed, FlexRequested, Cleared, Settled];
}
