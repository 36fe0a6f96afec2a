using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Modules.Finance;

/// <summary>Quotes, payment-versus-payment swaps and multilateral netting (docs/FINANCE.md "Cross-border payment", "Multilateral netting").</summary>
public sealed partial class FinanceModule
{
    public static string QuoteKey(ulong n) => $"finance/quote/{n:D12}";
    public const string QuoteCountKey = "finance/quotes";
    public static string ClearingKey(string id) => $"finance/clearing/{id}";
    public static string ParticipantKey(string clearing, uint n) => $"finance/participant/{clearing}/{n:D6}";
    public static string PositionKey(string clearing, Address participant) => $"finance/position/{clearing}/{participant}";
    public static string ObligationKey(string clearing, ulong n) => $"finance/obligation/{clearing}/{n:D12}";
    public static string SettlementKey(string clearing) => $"finance/settlement/{clearing}";

    public static QuoteRecord? ReadQuote(IStateReader state, ulong n) => Payload.Get(state, QuoteKey(n), QuoteRecord.Read);

    public static ClearingRecord? ReadClearing(IStateReader state, string id) => Payload.Get(state, ClearingKey(id), ClearingRecord.Read);

    public static ObligationRecord? ReadObligation(IStateReader state, string clearing, ulong n) => Payload.Get(state, ObligationKey(clearing, n), ObligationRecord.Read);

    public static SettlementRecord? ReadSettlement(IStateReader state, string clearing) => Payload.Get(state, SettlementKey(clearing), SettlementRecord.Read);

    /// <summary>Every participant's totals in the clearing, in the order they joined it.</summary>
    public static List<FinanceNetting.Position> Positions(IStateReader state, ClearingRecord clearing, GasMeter? gas = null)
    {
        var positions = new List<FinanceNetting.Position>((int)clearing.Participants);
        for (uint n = 0; n < clearing.Participants; n++)
        {
            gas?.Steps(1);
            var participant = new Address(state.Get(ParticipantKey(clearing.Id, n)));
            var totals = Payload.Get(state, PositionKey(clearing.Id, participant), PositionRecord.Read) ?? PositionRecord.Zero;
            positions.Add(new(participant, totals.Credits, totals.Debits));
        }
        return positions;
    }

    private Outcome DoQuote(TxContext context, QuotePayload p)
    {
        if (!Identifiers.IsSymbol(p.Base) || !Identifiers.IsSymbol(p.Quote) || p.Base == p.Quote || p.Numerator == 0 || p.Denominator == 0 ||
            p.Max == UInt128.Zero || p.ExpiryMs <= context.Timestamp || p.Taker == context.Signer)
        {
            return FinanceErrors.QuoteInvalid;
        }
        if (tokens.Find(context.State, p.Base) is null || tokens.Find(context.State, p.Quote) is null)
        {
            return TokensErrors.TokenNotFound;
        }
        if (!TryQuoteAmount(p.Max, p.Numerator, p.Denominator, out _))
        {
            return FinanceErrors.AmountOverflow;
        }
        var n = Counters.Next(context.State, QuoteCountKey);
        context.State.Set(QuoteKey(n), Canonical.Encode(new QuoteRecord(
            n, context.Signer, p.Base, p.Quote, p.Numerator, p.Denominator, p.Max, UInt128.Zero, p.ExpiryMs, p.Taker, context.Tx.Id, context.Height)));
        context.Emit(FinanceEvents.Quoted, new("quote", Text(n)), new("maker", context.Signer.ToString()), new("pair", $"{p.Base}/{p.Quote}"),
            new("rate", $"{p.Numerator}/{p.Denominator}"), new("max", TokensModule.Text(p.Max)), new("expiry", Text(p.ExpiryMs)));
        return Outcome.Ok;
    }

    /// <summary>⌊amount × numerator / denominator⌋, false when the product does not fit in 128 bits.</summary>
    public static bool TryQuoteAmount(UInt128 amount, ulong numerator, ulong denominator, out UInt128 result)
    {
        result = UInt128.Zero;
        if (numerator != 0 && amount > UInt128.MaxValue / numerator)
        {
            return false;
        }
        result = amount * numerator / denominator;
        return true;
    }

    private Outcome DoSwap(TxContext context, SwapPayload p)
    {
        if (ReadQuote(context.State, p.Quote) is not { } quote)
        {
            return FinanceErrors.QuoteNotFound;
        }
        if (quote.ExpiryMs <= context.Timestamp)
        {
            return FinanceErrors.QuoteExpired;
        }
        if ((quote.Taker is { } only && only != context.Signer) || quote.Maker == context.Signer)
        {
            return FinanceErrors.NotQuoteTaker;
        }
        if (p.Amount == UInt128.Zero)
        {
            return FinanceErrors.QuoteInvalid;
        }
        if (!TryQuoteAmount(p.Amount, quote.Numerator, quote.Denominator, out var counter))
        {
            return FinanceErrors.AmountOverflow;
        }
        if (counter == UInt128.Zero)
        {
            return FinanceErrors.QuoteInvalid;
        }
        if (p.Amount > quote.Max - quote.Taken)
        {
            return FinanceErrors.QuoteExceeded;
        }
        // Both legs or neither: check both sides before either moves, and say which side lacked funds.
        foreach (var (side, who, symbol, needed) in new[] { ("taker", context.Signer, quote.Base, p.Amount), ("maker", quote.Maker, quote.Quote, counter) })
        {
            if (tokens.BalanceOf(context.State, symbol, who) < needed)
            {
                return Outcome.Because(FinanceErrors.SwapUnfunded, FinanceEvents.SwapUnfunded, new("quote", Text(quote.Number)), new("side", side),
                    new("account", who.ToString()), new("needed", TokensModule.Text(needed)));
            }
        }
        var moved = tokens.Move(context, quote.Base, context.Signer, quote.Maker, p.Amount);
        moved = moved.Succeeded ? tokens.Move(context, quote.Quote, quote.Maker, context.Signer, counter) : moved;
        if (!moved.Succeeded)
        {
            return moved;
        }
        context.State.Set(QuoteKey(quote.Number), Canonical.Encode(quote with { Taken = quote.Taken + p.Amount }));
        context.Emit(FinanceEvents.Swapped, new("quote", Text(quote.Number)), new("maker", quote.Maker.ToString()), new("taker", context.Signer.ToString()),
            new("pair", $"{quote.Base}/{quote.Quote}"), new("base-amount", TokensModule.Text(p.Amount)), new("quote-amount", TokensModule.Text(counter)));
        return Outcome.Ok;
    }

    private Outcome DoClearing(TxContext context, ClearingPayload p)
    {
        if (context.SignerMembership is not { } signer || !signer.Has(Roles.Admin))
        {
            return ErrorCodes.Unauthorised;
        }
        if (!Identifiers.IsLabel(p.Id) || !Identifiers.IsSymbol(p.Token) || p.CutoffMs <= context.Timestamp)
        {
            return FinanceErrors.ClearingInvalid;
        }
        if (tokens.Find(context.State, p.Token) is null)
        {
            return TokensErrors.TokenNotFound;
        }
        if (context.State.Contains(ClearingKey(p.Id)))
        {
            return FinanceErrors.ClearingExists;
        }
        context.State.Set(ClearingKey(p.Id), Canonical.Encode(new ClearingRecord(
            p.Id, p.Token, p.CutoffMs, signer.Org, 0, 0, UInt128.Zero, ClearingStatus.Open, default, 0)));
        context.Emit(FinanceEvents.ClearingOpened, new("clearing", p.Id), new("token", p.Token), new("cutoff", Text(p.CutoffMs)), new("org", signer.Org));
        return Outcome.Ok;
    }

    private Outcome DoOblige(TxContext context, ObligePayload p)
    {
        if (ReadClearing(context.State, p.Clearing) is not { } clearing)
        {
            return FinanceErrors.ClearingNotFound;
        }
        if (clearing.Status != ClearingStatus.Open || context.Timestamp >= clearing.CutoffMs)
        {
            return FinanceErrors.ClearingClosed;
        }
        if (p.Amount == UInt128.Zero || p.Creditor == context.Signer)
        {
            return FinanceErrors.ClearingInvalid;
        }
        var debtor = Payload.Get(context.State, PositionKey(p.Clearing, context.Signer), PositionRecord.Read);
        var creditor = Payload.Get(context.State, PositionKey(p.Clearing, p.Creditor), PositionRecord.Read);
        var participants = clearing.Participants;
        if (participants + (debtor is null ? 1u : 0u) + (creditor is null ? 1u : 0u) > FinanceLimits.MaxParticipants)
        {
            return FinanceErrors.TooManyParticipants;
        }
        if (UInt128.MaxValue - p.Amount < UInt128.Max(clearing.Gross, UInt128.Max(debtor?.Debits ?? 0, creditor?.Credits ?? 0)))
        {
            return FinanceErrors.AmountOverflow;
        }
        if (debtor is null)
        {
            context.State.Set(ParticipantKey(p.Clearing, participants++), context.Signer.ToArray());
            debtor = PositionRecord.Zero;
        }
        if (creditor is null)
        {
            context.State.Set(ParticipantKey(p.Clearing, participants++), p.Creditor.ToArray());
            creditor = PositionRecord.Zero;
        }
        context.State.Set(PositionKey(p.Clearing, context.Signer), Canonical.Encode(debtor with { Debits = debtor.Debits + p.Amount }));
        context.State.Set(PositionKey(p.Clearing, p.Creditor), Canonical.Encode(creditor with { Credits = creditor.Credits + p.Amount }));
        var n = clearing.Obligations + 1;
        context.State.Set(ObligationKey(p.Clearing, n), Canonical.Encode(new ObligationRecord(n, context.Signer, p.Creditor, p.Amount, context.Tx.Id, context.Height)));
        context.State.Set(ClearingKey(p.Clearing), Canonical.Encode(clearing with { Obligations = n, Participants = participants, Gross = clearing.Gross + p.Amount }));
        context.Emit(FinanceEvents.Obliged, new("clearing", p.Clearing), new("obligation", Text(n)), new("debtor", context.Signer.ToString()),
            new("creditor", p.Creditor.ToString()), new("amount", TokensModule.Text(p.Amount)));
        return Outcome.Ok;
    }

    private Outcome DoNet(TxContext context, NetPayload p)
    {
        if (ReadClearing(context.State, p.Clearing) is not { } clearing)
        {
            return FinanceErrors.ClearingNotFound;
        }
        if (clearing.Status != ClearingStatus.Open)
        {
            return FinanceErrors.ClearingClosed;
        }
        if (context.Timestamp < clearing.CutoffMs)
        {
            return FinanceErrors.ClearingOpen;
        }
        var plan = FinanceNetting.Plan(Positions(context.State, clearing, context.Gas), out var error);
        if (plan is null)
        {
            return error!;
        }
        if (FinanceNetting.Digest(plan) != p.Plan)
        {
            return FinanceErrors.NettingMismatch;
        }
        // All or none: every debtor must hold what it owes before anything moves.
        var owes = new Dictionary<Address, UInt128>();
        foreach (var transfer in plan)
        {
            owes[transfer.From] = owes.GetValueOrDefault(transfer.From) + transfer.Amount;
        }
        foreach (var (debtor, amount) in owes.OrderBy(o => o.Key))
        {
            context.Gas.Steps(1);
            var balance = tokens.BalanceOf(context.State, clearing.Token, debtor);
            if (balance < amount)
            {
                return Outcome.Because(FinanceErrors.NetUnfunded, FinanceEvents.NetUnfunded, new("clearing", clearing.Id), new("debtor", debtor.ToString()),
                    new("owes", TokensModule.Text(amount)), new("balance", TokensModule.Text(balance)));
            }
        }
        var settled = UInt128.Zero;
        foreach (var transfer in plan)
        {
            var moved = tokens.Move(context, clearing.Token, transfer.From, transfer.To, transfer.Amount);
            if (!moved.Succeeded)
            {
                return moved;
            }
            settled += transfer.Amount;
        }
        context.State.Set(SettlementKey(clearing.Id), Canonical.Encode(new SettlementRecord([.. plan])));
        context.State.Set(ClearingKey(clearing.Id), Canonical.Encode(clearing with { Status = ClearingStatus.Netted, Plan = p.Plan, NettedHeight = context.Height }));
        context.Emit(FinanceEvents.Netted, new("clearing", clearing.Id), new("obligations", Text(clearing.Obligations)), new("participants", Text(clearing.Participants)),
            new("transfers", Text((ulong)plan.Count)), new("gross", TokensModule.Text(clearing.Gross)), new("settled", TokensModule.Text(settled)));
        return Outcome.Ok;
    }
}
