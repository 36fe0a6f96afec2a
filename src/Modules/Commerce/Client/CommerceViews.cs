using ThingLedger.Execution.Modules.Commerce;

namespace ThingLedger.Client.Contracts;

/// <summary>
/// An order under an agreement: what, how it came, where it is, and what showed it — the anchor,
/// day and sequence range of the readings that placed it (a level, or a flag and its category),
/// and the reading sequence that showed delivery. Amounts in the token's smallest units; times in Unix ms.
/// </summary>
public sealed record CommerceOrderView(
    string Agreement, uint Number, string Device, OrderSource Source, uint Units, string UnitPrice, string Amount, CommerceOrderStatus Status,
    ulong Placed, ulong Deadline, bool Overdue, string PlacedTx, ulong Height,
    string? TriggerAnchor, uint? TriggerDay, ulong? FirstSequence, ulong? LastSequence, long? Level, string? Flag, string? Category, string? Model,
    string? Tracking, ulong? Shipped, ulong? Visited, ulong? Delivered, Confirmation DeliveredBy, string? Confirmer, ulong? EvidenceSequence,
    ulong? Closed, string OwnerAmount, string StateKey)
{
    /// <summary>Not released, refunded, cancelled or resolved yet: the device's one open order under the agreement.</summary>
    public bool Open => Status is not (CommerceOrderStatus.Released or CommerceOrderStatus.Refunded or CommerceOrderStatus.Cancelled or CommerceOrderStatus.Resolved);
}

/// <summary>A standing agreement: its terms, where it is, its money, and (in a single agreement's view) its orders, newest first.</summary>
public sealed record AgreementView(
    string Id, string Reference, AgreementKind Kind, string Owner, string Counterparty, string? Payee, List<string> Devices, string? Sku, List<string> Categories,
    string Token, string Price, uint Quantity, uint MaxOrders, ulong Period, string Budget, ulong Deadline, ulong Hold, string? Arbiter, string? Courier,
    string? Schema, string? Field, long? Threshold, long? RisePerUnit, ulong Until, AgreementStatus Status, bool Paused,
    string Escrowed, string Reserved, string Available, string Paid, string Refunded, uint Orders, string ProposeTx, ulong Height, string StateKey,
    List<CommerceOrderView> OrderList);

/// <summary>How the CLI and the explorer name an agreement's state.</summary>
public static class AgreementStatusText
{
    public static string Text(AgreementView a) => a.Status switch
    {
        AgreementStatus.Proposed => "proposed (waiting for the counterparty)",
        AgreementStatus.Closed => "closed",
        _ => a.Paused ? "paused" : "active",
    };
}
