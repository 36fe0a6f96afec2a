using ThingLedger.Execution.Modules.Finance;

namespace ThingLedger.Client.Contracts;

/// <summary>One part of a receivable: its holder and amount, whether it was sold (financed), a pledge over it, the open offer, and when it was paid.</summary>
public sealed record ReceivablePartView(
    ushort Number, string Holder, string Amount, bool Financed, string? Pledgee, string Loan, OfferKind Offer, string? OfferLender, string OfferPrice,
    ulong OfferExpiry, ulong? Paid, bool Late);

/// <summary>One step of a receivable's life, in order.</summary>
public sealed record ReceivableStepView(ulong Number, LogKind Kind, ushort Part, string From, string To, string Amount, string Tx, ulong Height, ulong Timestamp);

/// <summary>A receivable: the promise, its parts, whether it is late now, and its whole life. Amounts in the token's smallest units; times in Unix ms.</summary>
public sealed record ReceivableView(
    string Id, string Supplier, string Buyer, string Token, string Amount, ulong Due, string Invoice, List<string> Evidence,
    bool Acknowledged, ulong? AcknowledgedHeight, string Escrowed, string Paid, string Owed, bool Settled, bool Late, string IssueTx, ulong Height,
    List<ReceivablePartView> Parts, List<ReceivableStepView> Steps);

/// <summary>A quote: the maker takes up to Max of Base and pays ⌊amount × Numerator / Denominator⌋ of Quote, until Expiry.</summary>
public sealed record QuoteView(
    ulong Number, string Maker, string Base, string Quote, ulong Numerator, ulong Denominator, string Max, string Taken, ulong Expiry, string? Taker,
    string Tx, ulong Height);

/// <summary>A participant's totals in a clearing and its net position (credits − debits, signed).</summary>
public sealed record PositionView(string Participant, string Credits, string Debits, string Net);

/// <summary>One transfer of a netting plan.</summary>
public sealed record TransferView(string From, string To, string Amount);

/// <summary>
/// A clearing, its positions, and a plan: the one executed when netted, else the one `net` would
/// execute now, with its digest (what `finance net` signs).
/// </summary>
public sealed record ClearingView(
    string Id, string Token, ulong Cutoff, string Org, ulong Obligations, uint Participants, string Gross, ClearingStatus Status, ulong? NettedHeight,
    List<PositionView> Positions, List<TransferView> Plan, string PlanDigest);

/// <summary>A credit line: its size from the score it opened with, what is drawn and repaid, and the merchant's score today.</summary>
public sealed record CreditLineView(
    string Merchant, string Lender, string Token, string Schema, uint AdvanceBps, uint ShareBps, string Score, string Limit, string Drawn, string Repaid,
    string Outstanding, ulong Maturity, ushort GraceDays, LineStatus Status, bool PastGrace, string ScoreToday, ulong Height, string Tx);

/// <summary>How the CLI and the explorer name a receivable's state.</summary>
public static class ReceivableStatus
{
    public static string Text(ReceivableView r) =>
        r.Settled ? (r.Late ? "paid late" : "paid") : r.Late ? "late" : r.Acknowledged ? "acknowledged" : "issued";
}
