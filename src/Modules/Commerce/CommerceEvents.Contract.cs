using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Commerce;

/// <summary>The events the commerce module emits, with the index topic of each attribute (docs/WIRE-FORMAT.md "Events").</summary>
public static class CommerceEvents
{
    private const string M = CommerceNames.ModuleName;

    public static readonly EventType Proposed = new(M, "agreement-proposed",
        new("agreement"), new("kind"), new("owner", Topic.Address), new("counterparty"), new("token", Topic.Token), new("budget"));

    public static readonly EventType Countersigned = new(M, "agreement-countersigned",
        new("agreement"), new("counterparty"), new("payee", Topic.Address));

    public static readonly EventType Paused = new(M, "agreement-paused", new("agreement"), new("owner", Topic.Address));

    public static readonly EventType Resumed = new(M, "agreement-resumed", new("agreement"), new("owner", Topic.Address));

    public static readonly EventType Closed = new(M, "agreement-closed", new("agreement"), new("owner", Topic.Address), new("returned"));

    public static readonly EventType Placed = new(M, "order-placed",
        new("agreement"), new("order"), new("device", Topic.Address), new("source"), new("units"), new("amount"));

    public static readonly EventType Skipped = new(M, "order-skipped",
        new("agreement"), new("device", Topic.Address), new("code"), new("level"));

    public static readonly EventType RepairOpened = new(M, "repair-opened",
        new("agreement"), new("order"), new("device", Topic.Address), new("flag"), new("category"), new("model"));

    public static readonly EventType Accepted = new(M, "order-accepted", new("agreement"), new("order"), new("by", Topic.Address));

    public static readonly EventType Shipped = new(M, "order-shipped", new("agreement"), new("order"), new("by", Topic.Address), new("tracking"));

    public static readonly EventType Visited = new(M, "repair-visited", new("agreement"), new("order"), new("by", Topic.Address));

    public static readonly EventType Delivered = new(M, "order-delivered",
        new("agreement"), new("order"), new("by"), new("confirmer", Topic.Address));

    public static readonly EventType Released = new(M, "payment-released",
        new("agreement"), new("order"), new("payee", Topic.Address), new("amount"));

    public static readonly EventType Refunded = new(M, "order-refunded",
        new("agreement"), new("order"), new("owner", Topic.Address), new("amount"));

    public static readonly EventType Cancelled = new(M, "order-cancelled", new("agreement"), new("order"), new("owner", Topic.Address));

    public static readonly EventType Disputed = new(M, "order-disputed", new("agreement"), new("order"), new("owner", Topic.Address));

    public static readonly EventType ResolutionProposed = new(M, "resolution-proposed",
        new("agreement"), new("order"), new("by", Topic.Address), new("owner-share"));

    public static readonly EventType Resolved = new(M, "order-resolved",
        new("agreement"), new("order"), new("owner-amount"), new("payee-amount"), new("by"));

    public static readonly EventType FaultsMapped = new(M, "faults-mapped", new("schema"), new("faults"));

    public static IReadOnlyList<EventType> All { get; } =
    [
        Proposed, Countersigned, Paused, Resumed, Closed, Placed, Skipped, RepairOpened, Accepted, Shipped, Visited, Delivered,
        Released, Refunded, Cancelled, Disputed, ResolutionProposed, Resolved, FaultsMapped,
    ];
}
