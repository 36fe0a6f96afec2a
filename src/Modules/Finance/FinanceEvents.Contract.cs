using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Finance;

/// <summary>The events the finance module emits, with the index topic of each attribute (docs/WIRE-FORMAT.md "Events").</summary>
public static class FinanceEvents
{
    private const string M = FinanceNames.ModuleName;

    public static readonly EventType Issued = new(M, "receivable-issued",
        new("receivable"), new("supplier", Topic.Address), new("buyer", Topic.Address), new("token", Topic.Token), new("amount"), new("due"));

    public static readonly EventType Acknowledged = new(M, "acknowledged", new("receivable"), new("buyer", Topic.Address));

    public static readonly EventType Split = new(M, "split",
        new("receivable"), new("part"), new("new-part"), new("holder", Topic.Address), new("to", Topic.Address), new("amount"));

    public static readonly EventType Offered = new(M, "offered",
        new("receivable"), new("part"), new("kind"), new("holder", Topic.Address), new("lender", Topic.Address), new("price"), new("expiry"));

    public static readonly EventType Financed = new(M, "financed",
        new("receivable"), new("part"), new("kind"), new("holder", Topic.Address), new("lender", Topic.Address), new("price"));

    public static readonly EventType Released = new(M, "released", new("receivable"), new("part"), new("pledgee", Topic.Address));

    public static readonly EventType Funded = new(M, "funded", new("receivable"), new("buyer", Topic.Address), new("amount"), new("escrowed"));

    public static readonly EventType Paid = new(M, "paid", new("receivable"), new("part"), new("to", Topic.Address), new("amount"), new("late"));

    public static readonly EventType SalesEnrolled = new(M, "sales-enrolled", new("merchant", Topic.Address), new("schema"), new("field"));

    public static readonly EventType LineOpened = new(M, "line-opened",
        new("merchant", Topic.Address), new("lender", Topic.Address), new("token", Topic.Token), new("score"), new("limit"));

    public static readonly EventType Drawn = new(M, "drawn", new("merchant", Topic.Address), new("lender", Topic.Address), new("amount"), new("outstanding"));

    public static readonly EventType Repaid = new(M, "repaid",
        new("merchant", Topic.Address), new("lender", Topic.Address), new("amount"), new("outstanding"), new("source"));

    public static readonly EventType RepaymentShort = new(M, "repayment-short",
        new("merchant", Topic.Address), new("lender", Topic.Address), new("device", Topic.Address), new("due"), new("taken"));

    public static readonly EventType Defaulted = new(M, "defaulted", new("merchant", Topic.Address), new("lender", Topic.Address), new("outstanding"));

    public static readonly EventType Quoted = new(M, "quoted",
        new("quote"), new("maker", Topic.Address), new("pair"), new("rate"), new("max"), new("expiry"));

    public static readonly EventType Swapped = new(M, "swapped",
        new("quote"), new("maker", Topic.Address), new("taker", Topic.Address), new("pair"), new("base-amount"), new("quote-amount"));

    public static readonly EventType SwapUnfunded = new(M, "swap-unfunded", new("quote"), new("side"), new("account", Topic.Address), new("needed"));

    public static readonly EventType ClearingOpened = new(M, "clearing-opened", new("clearing"), new("token", Topic.Token), new("cutoff"), new("org"));

    public static readonly EventType Obliged = new(M, "obliged",
        new("clearing"), new("obligation"), new("debtor", Topic.Address), new("creditor", Topic.Address), new("amount"));

    public static readonly EventType Netted = new(M, "netted",
        new("clearing"), new("obligations"), new("participants"), new("transfers"), new("gross"), new("settled"));

    public static readonly EventType NetUnfunded = new(M, "net-unfunded", new("clearing"), new("debtor", Topic.Address), new("owes"), new("balance"));

    public static IReadOnlyList<EventType> All { get; } =
    [
        Issued, Acknowledged, Split, Offered, Financed, Released, Funded, Paid,
        SalesEnrolled, LineOpened, Drawn, Repaid, RepaymentShort, Defaulted,
        Quoted, Swapped, SwapUnfunded, ClearingOpened, Obliged, Netted, NetUnfunded,
    ];
}
