using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Finance;

namespace ThingLedger.Client;

/// <summary>The finance module's operations, ready to sign (docs/FINANCE.md).</summary>
public static partial class Operations
{
    private static Operation Finance<T>(string operation, T payload) where T : Core.Codec.ICanonical =>
        Operation.Of(FinanceNames.ModuleName, operation, payload);

    /// <summary>The supplier's receivable against <paramref name="buyer"/>; its id is <see cref="FinanceIds.Receivable"/>.</summary>
    [Builds(FinanceNames.ModuleName, FinanceNames.Issue)]
    public static Operation IssueReceivable(Address buyer, string token, UInt128 amount, ulong dueMs, Hash invoice, params Hash[] evidence) =>
        Finance(FinanceNames.Issue, new IssueReceivablePayload(buyer, token, amount, dueMs, invoice, evidence));

    [Builds(FinanceNames.ModuleName, FinanceNames.Acknowledge)]
    public static Operation AcknowledgeReceivable(Hash receivable) => Finance(FinanceNames.Acknowledge, new ReceivablePayload(receivable));

    [Builds(FinanceNames.ModuleName, FinanceNames.Split)]
    public static Operation SplitReceivable(Hash receivable, ushort part, Address to, UInt128 amount) =>
        Finance(FinanceNames.Split, new SplitPayload(receivable, part, to, amount));

    [Builds(FinanceNames.ModuleName, FinanceNames.Sell)]
    public static Operation SellReceivable(Hash receivable, ushort part, Address lender, UInt128 price, ulong expiryMs) =>
        Finance(FinanceNames.Sell, new OfferPayload(receivable, part, lender, price, expiryMs));

    [Builds(FinanceNames.ModuleName, FinanceNames.Pledge)]
    public static Operation PledgeReceivable(Hash receivable, ushort part, Address lender, UInt128 loan, ulong expiryMs) =>
        Finance(FinanceNames.Pledge, new OfferPayload(receivable, part, lender, loan, expiryMs));

    [Builds(FinanceNames.ModuleName, FinanceNames.Take)]
    public static Operation TakeReceivable(Hash receivable, ushort part) => Finance(FinanceNames.Take, new PartPayload(receivable, part));

    [Builds(FinanceNames.ModuleName, FinanceNames.Release)]
    public static Operation ReleasePledge(Hash receivable, ushort part) => Finance(FinanceNames.Release, new PartPayload(receivable, part));

    [Builds(FinanceNames.ModuleName, FinanceNames.Pay)]
    public static Operation PayReceivable(Hash receivable) => Finance(FinanceNames.Pay, new ReceivablePayload(receivable));

    [Builds(FinanceNames.ModuleName, FinanceNames.Settle)]
    public static Operation SettleReceivable(Hash receivable) => Finance(FinanceNames.Settle, new ReceivablePayload(receivable));

    [Builds(FinanceNames.ModuleName, FinanceNames.Sales)]
    public static Operation CountSales(string schema, ushort version, string field) => Finance(FinanceNames.Sales, new SalesSourcePayload(schema, version, field));

    [Builds(FinanceNames.ModuleName, FinanceNames.Credit)]
    public static Operation OpenCreditLine(Address merchant, string token, string schema, ushort version, uint advanceBps, uint shareBps, ulong maturityMs, ushort graceDays) =>
        Finance(FinanceNames.Credit, new CreditLinePayload(merchant, token, schema, version, advanceBps, shareBps, maturityMs, graceDays));

    [Builds(FinanceNames.ModuleName, FinanceNames.Draw)]
    public static Operation DrawCredit(Address lender, UInt128 amount) => Finance(FinanceNames.Draw, new LineAmountPayload(lender, amount));

    [Builds(FinanceNames.ModuleName, FinanceNames.Repay)]
    public static Operation RepayCredit(Address lender, UInt128 amount) => Finance(FinanceNames.Repay, new LineAmountPayload(lender, amount));

    [Builds(FinanceNames.ModuleName, FinanceNames.Default)]
    public static Operation RecordDefault(Address merchant, Address lender) => Finance(FinanceNames.Default, new LinePayload(merchant, lender));

    /// <summary>The maker takes up to <paramref name="max"/> of <paramref name="base"/> and pays ⌊amount × numerator / denominator⌋ of <paramref name="quote"/>.</summary>
    [Builds(FinanceNames.ModuleName, FinanceNames.Quote)]
    public static Operation QuoteRate(string @base, string quote, ulong numerator, ulong denominator, UInt128 max, ulong expiryMs, Address? taker = null) =>
        Finance(FinanceNames.Quote, new QuotePayload(@base, quote, numerator, denominator, max, expiryMs, taker));

    [Builds(FinanceNames.ModuleName, FinanceNames.Swap)]
    public static Operation Swap(ulong quote, UInt128 amount) => Finance(FinanceNames.Swap, new SwapPayload(quote, amount));

    [Builds(FinanceNames.ModuleName, FinanceNames.Clearing)]
    public static Operation OpenClearing(string id, string token, ulong cutoffMs) => Finance(FinanceNames.Clearing, new ClearingPayload(id, token, cutoffMs));

    [Builds(FinanceNames.ModuleName, FinanceNames.Oblige)]
    public static Operation Oblige(string clearing, Address creditor, UInt128 amount) => Finance(FinanceNames.Oblige, new ObligePayload(clearing, creditor, amount));

    /// <summary>Settles the clearing by the plan whose digest is <paramref name="plan"/> (<see cref="FinanceNetting.Digest"/> of the plan from its positions).</summary>
    [Builds(FinanceNames.ModuleName, FinanceNames.Net)]
    public static Operation Net(string clearing, Hash plan) => Finance(FinanceNames.Net, new NetPayload(clearing, plan));
}
