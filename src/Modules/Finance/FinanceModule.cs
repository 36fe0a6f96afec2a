using System.Globalization;
using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;
using F = ThingLedger.Execution.PayloadField;

namespace ThingLedger.Execution.Modules.Finance;

/// <summary>
/// Supply-chain finance (docs/FINANCE.md): receivables a buyer acknowledges, financed once, split
/// down the chain and paid to each part's holder; credit lines sized by a merchant's anchored
/// sales and repaid from them; quotes and payment-versus-payment swaps; multilateral netting.
/// Money is always a token, moved through the token ledger.
/// </summary>
public sealed partial class FinanceModule(ITokenLedger tokens, IDeviceRegistry devices, ITelemetryRecords telemetry) : ISummaryObserver
{
    public const string ModuleName = FinanceNames.ModuleName;

    public string Name => ModuleName;

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(FinanceErrors));

    public IReadOnlyList<EventType> Events => FinanceEvents.All;

    public IReadOnlyList<StateRecordType> StateRecords { get; } =
    [
        StateRecordType.Of(ReceivablesPrefix, "receivable", ReceivableRecord.Read),
        StateRecordType.Of("finance/part/", "receivable part", PartRecord.Read),
        StateRecordType.Of("finance/log/", "receivable step", LogEntry.Read),
        StateRecordType.Of("finance/sales-source/", "sales source", SalesSourceRecord.Read),
        StateRecordType.Number("finance/sales-schema/", "merchants counting sales in the schema"),
        StateRecordType.Amount("finance/sales/", "clean sales of the day"),
        StateRecordType.Of("finance/line/", "credit line", CreditLineRecord.Read),
        StateRecordType.Of("finance/lenders/", "lenders of the merchant", LendersRecord.Read),
        StateRecordType.Of("finance/quote/", "quote", QuoteRecord.Read),
        StateRecordType.Number("finance/quotes", "quotes"),
        StateRecordType.Of("finance/clearing/", "clearing", ClearingRecord.Read),
        StateRecordType.Account("finance/participant/", "clearing participant"),
        StateRecordType.Of("finance/position/", "clearing position", PositionRecord.Read),
        StateRecordType.Of("finance/obligation/", "obligation", ObligationRecord.Read),
        StateRecordType.Of("finance/settlement/", "netting plan executed", SettlementRecord.Read),
    ];

    public OperationTable Operations => _operations ??= new OperationTable()
        .Add(FinanceNames.Issue, IssueReceivablePayload.Read, DoIssue, static p =>
            [F.Account("buyer", p.Buyer), F.Token(p.Token), F.Number("amount", p.Amount), F.Text("due", F.Time(p.DueMs)), F.Text("invoice", p.Invoice.ToString()),
             .. p.Evidence.Select(e => F.Tx("evidence", e))])
        .Add(FinanceNames.Acknowledge, ReceivablePayload.Read, DoAcknowledge, Describe)
        .Add(FinanceNames.Split, SplitPayload.Read, DoSplit, static p =>
            [Link(p.Receivable), F.Number("part", p.Part), F.Account("to", p.To), F.Number("amount", p.Amount)])
        .Add(FinanceNames.Sell, OfferPayload.Read, (c, p) => DoOffer(c, p, OfferKind.Sale), static p => Describe(p, "price"))
        .Add(FinanceNames.Pledge, OfferPayload.Read, (c, p) => DoOffer(c, p, OfferKind.Pledge), static p => Describe(p, "loan"))
        .Add(FinanceNames.Take, PartPayload.Read, DoTake, Describe)
        .Add(FinanceNames.Release, PartPayload.Read, DoRelease, Describe)
        .Add(FinanceNames.Pay, ReceivablePayload.Read, DoPay, Describe)
        .Add(FinanceNames.Settle, ReceivablePayload.Read, DoSettle, Describe)
        .Add(FinanceNames.Sales, SalesSourcePayload.Read, DoSales, static p => [F.Text("schema", p.SchemaRef), F.Text("field", p.Field)])
        .Add(FinanceNames.Credit, CreditLinePayload.Read, DoCredit, static p =>
            [F.Account("merchant", p.Merchant), F.Token(p.Token), F.Text("schema", p.SchemaRef), F.Text("advance", Bps(p.AdvanceBps)),
             F.Text("repayment share", Bps(p.ShareBps)), F.Text("maturity", F.Time(p.MaturityMs)), F.Number("grace days", p.GraceDays)])
        .Add(FinanceNames.Draw, LineAmountPayload.Read, DoDraw, static p => [F.Account("lender", p.Lender), F.Number("amount", p.Amount)])
        .Add(FinanceNames.Repay, LineAmountPayload.Read, DoRepay, static p => [F.Account("lender", p.Lender), F.Number("amount", p.Amount)])
        .Add(FinanceNames.Default, LinePayload.Read, DoDefault, static p => [F.Account("merchant", p.Merchant), F.Account("lender", p.Lender)])
        .Add(FinanceNames.Quote, QuotePayload.Read, DoQuote, static p =>
            [F.Token(p.Base, "takes"), F.Token(p.Quote, "pays"), F.Text("rate", $"{p.Numerator}/{p.Denominator}"), F.Number("max", p.Max),
             F.Text("expiry", F.Time(p.ExpiryMs)), .. p.Taker is { } t ? [F.Account("taker", t)] : Array.Empty<F>()])
        .Add(FinanceNames.Swap, SwapPayload.Read, DoSwap, static p => [new("quote", Text(p.Quote), $"/finance/quotes/{p.Quote}"), F.Number("amount", p.Amount)])
        .Add(FinanceNames.Clearing, ClearingPayload.Read, DoClearing, static p =>
            [ClearingLink(p.Id), F.Token(p.Token), F.Text("cut-off", F.Time(p.CutoffMs))], Access.Members)
        .Add(FinanceNames.Oblige, ObligePayload.Read, DoOblige, static p => [ClearingLink(p.Clearing), F.Account("creditor", p.Creditor), F.Number("amount", p.Amount)])
        .Add(FinanceNames.Net, NetPayload.Read, DoNet, static p => [ClearingLink(p.Clearing), F.Text("plan", p.Plan.ToString())]);

    private OperationTable? _operations;

    /// <summary>Where a buyer's payments wait for maturity: an address derived from a fixed text, whose key nobody holds.</summary>
    public static Address Escrow { get; } = TokenLedger.ModuleAccount("thingledger/finance/escrow");

    public const string ReceivablesPrefix = "finance/receivable/";
    public static string ReceivableKey(Hash id) => ReceivablesPrefix + id;
    public static string PartKey(Hash id, ushort part) => $"finance/part/{id}/{part:D4}";
    public static string LogKey(Hash id, ulong n) => $"finance/log/{id}/{n:D6}";

    public static ReceivableRecord? ReadReceivable(IStateReader state, Hash id) => Payload.Get(state, ReceivableKey(id), ReceivableRecord.Read);

    public static PartRecord? ReadPart(IStateReader state, Hash id, ushort part) => Payload.Get(state, PartKey(id, part), PartRecord.Read);

    public static LogEntry? ReadLog(IStateReader state, Hash id, ulong n) => Payload.Get(state, LogKey(id, n), LogEntry.Read);

    public void InitGenesis(Genesis genesis, StateView state)
    {
    }

    private static F Link(Hash receivable) => new("receivable", receivable.ToString(), $"/finance/receivables/{receivable}");

    private static F ClearingLink(string id) => new("clearing", id, $"/finance/clearings/{id}");

    private static F[] Describe(ReceivablePayload p) => [Link(p.Receivable)];

    private static F[] Describe(PartPayload p) => [Link(p.Receivable), F.Number("part", p.Part)];

    private static F[] Describe(OfferPayload p, string price) =>
        [Link(p.Receivable), F.Number("part", p.Part), F.Account("lender", p.Lender), F.Number(price, p.Price), F.Text("expiry", F.Time(p.ExpiryMs))];

    private Outcome DoIssue(TxContext context, IssueReceivablePayload p)
    {
        if (p.Amount == UInt128.Zero || p.Buyer == context.Signer || p.DueMs <= context.Timestamp || p.Invoice.IsZero ||
            p.Evidence.Distinct().Count() != p.Evidence.Length || !Identifiers.IsSymbol(p.Token))
        {
            return FinanceErrors.ReceivableInvalid;
        }
        if (tokens.Find(context.State, p.Token) is null)
        {
            return TokensErrors.TokenNotFound;
        }
        var id = FinanceIds.Receivable(context.Signer, p.Buyer, p.Invoice);
        if (context.State.Contains(ReceivableKey(id)))
        {
            return FinanceErrors.ReceivableExists;
        }
        var record = new ReceivableRecord(id, context.Signer, p.Buyer, p.Token, p.Amount, p.DueMs, p.Invoice, p.Evidence,
            0, 1, 0, UInt128.Zero, UInt128.Zero, 0, context.Tx.Id, context.Height, 0);
        WritePart(context, id, new PartRecord(0, context.Signer, p.Amount, false, null, UInt128.Zero, OfferKind.None, default, UInt128.Zero, 0, 0, false));
        Log(context, record, LogKind.Issued, 0, context.Signer, p.Buyer, p.Amount);
        context.Emit(FinanceEvents.Issued, new("receivable", id.ToString()), new("supplier", context.Signer.ToString()), new("buyer", p.Buyer.ToString()),
            new("token", p.Token), new("amount", TokensModule.Text(p.Amount)), new("due", Text(p.DueMs)));
        return Outcome.Ok;
    }

    /// <summary>The receivable <paramref name="id"/>, for an operation only its buyer signs.</summary>
    private static Outcome BuyersReceivable(TxContext context, Hash id, out ReceivableRecord record)
    {
        if ((record = ReadReceivable(context.State, id)!) is null)
        {
            return FinanceErrors.ReceivableNotFound;
        }
        return record.Buyer != context.Signer ? FinanceErrors.NotBuyer : Outcome.Ok;
    }

    /// <summary>The receivable <paramref name="id"/> and its part <paramref name="number"/>.</summary>
    private static Outcome FindPart(TxContext context, Hash id, ushort number, out ReceivableRecord record, out PartRecord part)
    {
        part = null!;
        if ((record = ReadReceivable(context.State, id)!) is null)
        {
            return FinanceErrors.ReceivableNotFound;
        }
        return (part = ReadPart(context.State, id, number)!) is null ? FinanceErrors.PartNotFound : Outcome.Ok;
    }

    private Outcome DoAcknowledge(TxContext context, ReceivablePayload p)
    {
        var found = BuyersReceivable(context, p.Receivable, out var record);
        if (!found.Succeeded)
        {
            return found;
        }
        if (record.Acknowledged)
        {
            return FinanceErrors.AlreadyAcknowledged;
        }
        Log(context, record with { AcknowledgedHeight = context.Height }, LogKind.Acknowledged, 0, record.Buyer, record.Supplier, record.Amount);
        context.Emit(FinanceEvents.Acknowledged, new("receivable", record.Id.ToString()), new("buyer", record.Buyer.ToString()));
        return Outcome.Ok;
    }

    /// <summary>An acknowledged receivable's unpaid part, read for an operation its holder signs.</summary>
    private static Outcome HeldPart(TxContext context, Hash id, ushort number, out ReceivableRecord record, out PartRecord part)
    {
        var found = FindPart(context, id, number, out record, out part);
        if (record is { Acknowledged: false })
        {
            return FinanceErrors.NotAcknowledged;
        }
        if (!found.Succeeded)
        {
            return found;
        }
        if (part.Holder != context.Signer)
        {
            return FinanceErrors.NotHolder;
        }
        return part.Paid ? FinanceErrors.AlreadyPaid : Outcome.Ok;
    }

    private static bool OfferOpen(PartRecord part, ulong now) => part.Offer != OfferKind.None && part.OfferExpiryMs > now;

    private Outcome DoSplit(TxContext context, SplitPayload p)
    {
        var held = HeldPart(context, p.Receivable, p.Part, out var record, out var part);
        if (!held.Succeeded)
        {
            return held;
        }
        if (part.Encumbered)
        {
            return FinanceErrors.AlreadyFinanced;
        }
        if (OfferOpen(part, context.Timestamp))
        {
            return FinanceErrors.OfferOpen;
        }
        if (p.Amount == UInt128.Zero || p.To == part.Holder)
        {
            return FinanceErrors.ReceivableInvalid;
        }
        if (p.Amount > part.Amount)
        {
            return FinanceErrors.SplitExceeds;
        }
        var cleared = part with { Offer = OfferKind.None, OfferLender = default, OfferPrice = UInt128.Zero, OfferExpiryMs = 0 };
        var number = p.Part;
        if (p.Amount == part.Amount)
        {
            WritePart(context, p.Receivable, cleared with { Holder = p.To });
        }
        else
        {
            if (record.Parts >= FinanceLimits.MaxParts)
            {
                return FinanceErrors.TooManyParts;
            }
            number = record.Parts;
            WritePart(context, p.Receivable, cleared with { Amount = part.Amount - p.Amount });
            WritePart(context, p.Receivable, cleared with { Number = number, Holder = p.To, Amount = p.Amount });
            record = record with { Parts = (ushort)(record.Parts + 1) };
        }
        Log(context, record, LogKind.Split, number, part.Holder, p.To, p.Amount);
        context.Emit(FinanceEvents.Split, new("receivable", record.Id.ToString()), new("part", Text(p.Part)), new("new-part", Text(number)),
            new("holder", part.Holder.ToString()), new("to", p.To.ToString()), new("amount", TokensModule.Text(p.Amount)));
        return Outcome.Ok;
    }

    private Outcome DoOffer(TxContext context, OfferPayload p, OfferKind kind)
    {
        var held = HeldPart(context, p.Receivable, p.Part, out var record, out var part);
        if (!held.Succeeded)
        {
            return held;
        }
        if (part.Encumbered)
        {
            return FinanceErrors.AlreadyFinanced;
        }
        if (OfferOpen(part, context.Timestamp))
        {
            return FinanceErrors.OfferOpen;
        }
        if (p.Price == UInt128.Zero || p.Price > part.Amount || p.Lender == part.Holder || p.ExpiryMs <= context.Timestamp)
        {
            return FinanceErrors.OfferInvalid;
        }
        WritePart(context, p.Receivable, part with { Offer = kind, OfferLender = p.Lender, OfferPrice = p.Price, OfferExpiryMs = p.ExpiryMs });
        Log(context, record, LogKind.Offered, p.Part, part.Holder, p.Lender, p.Price);
        context.Emit(FinanceEvents.Offered, new("receivable", record.Id.ToString()), new("part", Text(p.Part)), new("kind", KindText(kind)),
            new("holder", part.Holder.ToString()), new("lender", p.Lender.ToString()), new("price", TokensModule.Text(p.Price)), new("expiry", Text(p.ExpiryMs)));
        return Outcome.Ok;
    }

    private Outcome DoTake(TxContext context, PartPayload p)
    {
        var found = FindPart(context, p.Receivable, p.Part, out var record, out var part);
        if (!found.Succeeded)
        {
            return found;
        }
        if (part.Offer == OfferKind.None || part.OfferLender != context.Signer)
        {
            return FinanceErrors.NoOffer;
        }
        if (part.OfferExpiryMs <= context.Timestamp)
        {
            return FinanceErrors.OfferExpired;
        }
        if (part.Paid)
        {
            return FinanceErrors.AlreadyPaid;
        }
        // The offer was made on an unencumbered part and nothing encumbers a part while an offer is open.
        var paid = tokens.Move(context, record.Token, context.Signer, part.Holder, part.OfferPrice);
        if (!paid.Succeeded)
        {
            return paid;
        }
        var kind = part.Offer;
        var taken = part with { Offer = OfferKind.None, OfferLender = default, OfferPrice = UInt128.Zero, OfferExpiryMs = 0 };
        taken = kind == OfferKind.Sale
            ? taken with { Holder = context.Signer, Financed = true }
            : taken with { Pledgee = context.Signer, Loan = part.OfferPrice };
        WritePart(context, p.Receivable, taken);
        Log(context, record, kind == OfferKind.Sale ? LogKind.Sold : LogKind.Pledged, p.Part, part.Holder, context.Signer, part.OfferPrice);
        context.Emit(FinanceEvents.Financed, new("receivable", record.Id.ToString()), new("part", Text(p.Part)), new("kind", KindText(kind)),
            new("holder", part.Holder.ToString()), new("lender", context.Signer.ToString()), new("price", TokensModule.Text(part.OfferPrice)));
        return Outcome.Ok;
    }

    private Outcome DoRelease(TxContext context, PartPayload p)
    {
        var found = FindPart(context, p.Receivable, p.Part, out var record, out var part);
        if (!found.Succeeded)
        {
            return found;
        }
        if (part.Pledgee != context.Signer)
        {
            return FinanceErrors.NotPledgee;
        }
        WritePart(context, p.Receivable, part with { Pledgee = null, Loan = UInt128.Zero });
        Log(context, record, LogKind.Released, p.Part, context.Signer, part.Holder, part.Loan);
        context.Emit(FinanceEvents.Released, new("receivable", record.Id.ToString()), new("part", Text(p.Part)), new("pledgee", context.Signer.ToString()));
        return Outcome.Ok;
    }

    /// <summary>The buyer moves what is still owed into escrow; at or after the due date that also pays every part at once.</summary>
    private Outcome DoPay(TxContext context, ReceivablePayload p)
    {
        var found = BuyersReceivable(context, p.Receivable, out var record);
        if (!found.Succeeded)
        {
            return found;
        }
        if (!record.Acknowledged)
        {
            return FinanceErrors.NotAcknowledged;
        }
        var need = record.Owed - record.Escrowed;
        if (need == UInt128.Zero)
        {
            return FinanceErrors.AlreadyPaid;
        }
        var moved = tokens.Move(context, record.Token, context.Signer, Escrow, need);
        if (!moved.Succeeded)
        {
            return moved;
        }
        record = record with { Escrowed = record.Escrowed + need, FundedMs = context.Timestamp };
        record = Log(context, record, LogKind.Funded, 0, context.Signer, Escrow, need);
        context.Emit(FinanceEvents.Funded, new("receivable", record.Id.ToString()), new("buyer", context.Signer.ToString()),
            new("amount", TokensModule.Text(need)), new("escrowed", TokensModule.Text(record.Escrowed)));
        return context.Timestamp >= record.DueMs ? PayParts(context, record) : Outcome.Ok;
    }

    private Outcome DoSettle(TxContext context, ReceivablePayload p)
    {
        if (ReadReceivable(context.State, p.Receivable) is not { } record)
        {
            return FinanceErrors.ReceivableNotFound;
        }
        if (record.Settled)
        {
            return FinanceErrors.AlreadyPaid;
        }
        if (context.Timestamp < record.DueMs)
        {
            return FinanceErrors.NotDue;
        }
        return record.Escrowed < record.Owed ? FinanceErrors.NotFunded : PayParts(context, record);
    }

    /// <summary>Pays every unpaid part out of the escrow: a pledgee up to its loan, the holder the rest.</summary>
    private Outcome PayParts(TxContext context, ReceivableRecord record)
    {
        var late = record.FundedMs > record.DueMs;
        for (ushort n = 0; n < record.Parts; n++)
        {
            context.Gas.Steps(1);
            var part = ReadPart(context.State, record.Id, n)!;
            if (part.Paid)
            {
                continue;
            }
            var toPledgee = part.Pledgee is null ? UInt128.Zero : UInt128.Min(part.Loan, part.Amount);
            foreach (var (to, amount) in new[] { (part.Pledgee ?? default, toPledgee), (part.Holder, part.Amount - toPledgee) })
            {
                if (amount == UInt128.Zero)
                {
                    continue;
                }
                var moved = tokens.Move(context, record.Token, Escrow, to, amount);
                if (!moved.Succeeded)
                {
                    return moved;
                }
                record = Log(context, record, LogKind.Paid, n, record.Buyer, to, amount);
                context.Emit(FinanceEvents.Paid, new("receivable", record.Id.ToString()), new("part", Text(n)), new("to", to.ToString()),
                    new("amount", TokensModule.Text(amount)), new("late", late ? "true" : "false"));
            }
            WritePart(context, record.Id, part with { PaidMs = context.Timestamp, Late = late, Offer = OfferKind.None });
            record = record with
            {
                PaidParts = (ushort)(record.PaidParts + 1),
                Paid = record.Paid + part.Amount,
                Escrowed = record.Escrowed - part.Amount,
            };
        }
        context.State.Set(ReceivableKey(record.Id), Canonical.Encode(record));
        return Outcome.Ok;
    }

    private static void WritePart(TxContext context, Hash id, PartRecord part) => context.State.Set(PartKey(id, part.Number), Canonical.Encode(part));

    /// <summary>Appends a step to the receivable's log and stores the receivable with its new log count; returns what it stored.</summary>
    private static ReceivableRecord Log(TxContext context, ReceivableRecord record, LogKind kind, ushort part, Address from, Address to, UInt128 amount)
    {
        context.State.Set(LogKey(record.Id, record.LogCount), Canonical.Encode(
            new LogEntry(record.LogCount, kind, part, from, to, amount, context.Tx.Id, context.Height, context.Timestamp)));
        var next = record with { LogCount = record.LogCount + 1 };
        context.State.Set(ReceivableKey(record.Id), Canonical.Encode(next));
        return next;
    }

    public static string KindText(OfferKind kind) => kind switch
    {
        OfferKind.Sale => "sale",
        OfferKind.Pledge => "pledge",
        _ => "none",
    };

    /// <summary>Basis points as a percentage, e.g. 2500 → "25%", 125 → "1.25%".</summary>
    public static string Bps(uint bps) => $"{(bps / 100m).ToString("0.##", CultureInfo.InvariantCulture)}%";

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
