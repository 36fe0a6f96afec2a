using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Finance;
using ThingLedger.Execution.Modules.Tokens;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Finance;

/// <summary>Receivables, quotes, clearings and credit lines read from committed state: the one place the finance API and explorer pages read from.</summary>
public sealed class FinanceQueries(LedgerStore store)
{
    public ReceivableView? Receivable(Hash id) => store.Consistent(head =>
    {
        if (FinanceModule.ReadReceivable(store, id) is not { } r)
        {
            return null;
        }
        var parts = Enumerable.Range(0, r.Parts).Select(n => FinanceModule.ReadPart(store, id, (ushort)n)!).Select(p => new ReceivablePartView(
            p.Number, p.Holder.ToString(), Text(p.Amount), p.Financed, p.Pledgee?.ToString(), Text(p.Loan), p.Offer,
            p.Offer == OfferKind.None ? null : p.OfferLender.ToString(), Text(p.OfferPrice), p.OfferExpiryMs, p.Paid ? p.PaidMs : null, p.Late)).ToList();
        var steps = Enumerable.Range(0, (int)r.LogCount).Select(n => FinanceModule.ReadLog(store, id, (ulong)n)!).Select(s => new ReceivableStepView(
            s.Number, s.Kind, s.Part, s.From.ToString(), s.To.ToString(), Text(s.Amount), s.Tx.ToString(), s.Height, s.Timestamp)).ToList();
        return new ReceivableView(
            r.Id.ToString(), r.Supplier.ToString(), r.Buyer.ToString(), r.Token, Text(r.Amount), r.DueMs, r.Invoice.ToString(), [.. r.Evidence.Select(e => e.ToString())],
            r.Acknowledged, r.Acknowledged ? r.AcknowledgedHeight : null, Text(r.Escrowed), Text(r.Paid), Text(r.Owed), r.Settled, r.LateAt(head.Header.Timestamp),
            r.IssueTx.ToString(), r.Height, parts, steps);
    });

    public QuoteView? Quote(ulong number) => FinanceModule.ReadQuote(store, number) is { } q
        ? new QuoteView(q.Number, q.Maker.ToString(), q.Base, q.Quote, q.Numerator, q.Denominator, Text(q.Max), Text(q.Taken), q.ExpiryMs,
            q.Taker?.ToString(), q.Tx.ToString(), q.Height)
        : null;

    public ClearingView? Clearing(string id) => store.Consistent(head =>
    {
        if (FinanceModule.ReadClearing(store, id) is not { } c)
        {
            return null;
        }
        var positions = FinanceModule.Positions(store, c);
        var plan = c.Status == ClearingStatus.Netted
            ? [.. FinanceModule.ReadSettlement(store, id)!.Transfers]
            : FinanceNetting.Plan(positions, out _) ?? [];
        return new ClearingView(c.Id, c.Token, c.CutoffMs, c.Org, c.Obligations, c.Participants, Text(c.Gross), c.Status,
            c.Status == ClearingStatus.Netted ? c.NettedHeight : null,
            [.. positions.Select(p => new PositionView(p.Participant.ToString(), Text(p.Credits), Text(p.Debits), Net(p.Credits, p.Debits)))],
            [.. plan.Select(t => new TransferView(t.From.ToString(), t.To.ToString(), Text(t.Amount)))],
            (c.Status == ClearingStatus.Netted ? c.Plan : FinanceNetting.Digest(plan)).ToString());
    });

    public CreditLineView? Line(Address merchant, Address lender) => store.Consistent(head =>
    {
        if (FinanceModule.ReadLine(store, merchant, lender) is not { } l)
        {
            return null;
        }
        var now = head.Header.Timestamp;
        var today = FinanceModule.Score(store, merchant, l.SchemaRef, DeviceSummary.DayOf(now));
        return new CreditLineView(l.Merchant.ToString(), l.Lender.ToString(), l.Token, l.SchemaRef, l.AdvanceBps, l.ShareBps, Text(l.Score), Text(l.Limit),
            Text(l.Drawn), Text(l.Repaid), Text(l.Outstanding), l.MaturityMs, l.GraceDays, l.Status,
            l.Outstanding > UInt128.Zero && now > l.DefaultAfterMs, Text(today), l.Height, l.Tx.ToString());
    });

    /// <summary>The decimals of <paramref name="token"/> (0 when there is no such token), to show amounts in units.</summary>
    public byte Decimals(string token) => TokensModule.ReadToken(store, token)?.Decimals ?? 0;

    /// <summary>Whether the chain has a receivable <paramref name="id"/> (for the explorer's search).</summary>
    public bool HasReceivable(Hash id) => store.Head is not null && FinanceModule.ReadReceivable(store, id) is not null;

    private static string Text(UInt128 amount) => TokensModule.Text(amount);

    private static string Net(UInt128 credits, UInt128 debits) => credits >= debits ? Text(credits - debits) : "-" + Text(debits - credits);
}
