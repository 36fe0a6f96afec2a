using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Finance;

/// <summary>
/// Multilateral netting (docs/FINANCE.md "Multilateral netting"): the plan that settles a
/// clearing's net positions, and its digest. Execution and every participant's SDK run this same
/// code on the same positions, so they compute the same plan.
/// </summary>
public static class FinanceNetting
{
    public const string PlanTag = "thingledger/finance/netting/v1";

    /// <summary>One participant's totals in a clearing.</summary>
    public readonly record struct Position(Address Participant, UInt128 Credits, UInt128 Debits);

    /// <summary>
    /// The transfers that settle <paramref name="positions"/>: debtors and creditors each in address
    /// order, walked together, each transfer the smaller of what the current debtor still owes and
    /// the current creditor is still owed. At most debtors + creditors − 1 transfers. Null, with
    /// <paramref name="error"/> set, when the net positions do not sum to zero or one address appears twice.
    /// </summary>
    public static List<NetTransfer>? Plan(IEnumerable<Position> positions, out string? error)
    {
        error = null;
        var debtors = new List<(Address Who, UInt128 Owes)>();
        var creditors = new List<(Address Who, UInt128 Owed)>();
        var seen = new HashSet<Address>();
        UInt128 owed = UInt128.Zero, owes = UInt128.Zero;
        foreach (var p in positions)
        {
            if (!seen.Add(p.Participant))
            {
                error = FinanceErrors.NettingUnbalanced;
                return null;
            }
            try
            {
                if (p.Credits > p.Debits)
                {
                    creditors.Add((p.Participant, p.Credits - p.Debits));
                    owed = checked(owed + (p.Credits - p.Debits));
                }
                else if (p.Debits > p.Credits)
                {
                    debtors.Add((p.Participant, p.Debits - p.Credits));
                    owes = checked(owes + (p.Debits - p.Credits));
                }
            }
            catch (OverflowException)
            {
                error = FinanceErrors.NettingUnbalanced;
                return null;
            }
        }
        if (owed != owes)
        {
            error = FinanceErrors.NettingUnbalanced;
            return null;
        }
        debtors.Sort((a, b) => a.Who.CompareTo(b.Who));
        creditors.Sort((a, b) => a.Who.CompareTo(b.Who));
        var plan = new List<NetTransfer>(Math.Max(0, debtors.Count + creditors.Count - 1));
        int d = 0, c = 0;
        while (d < debtors.Count && c < creditors.Count)
        {
            var amount = UInt128.Min(debtors[d].Owes, creditors[c].Owed);
            plan.Add(new NetTransfer(debtors[d].Who, creditors[c].Who, amount));
            debtors[d] = (debtors[d].Who, debtors[d].Owes - amount);
            creditors[c] = (creditors[c].Who, creditors[c].Owed - amount);
            if (debtors[d].Owes == UInt128.Zero)
            {
                d++;
            }
            if (creditors[c].Owed == UInt128.Zero)
            {
                c++;
            }
        }
        return plan;
    }

    /// <summary>
    /// A gas limit that covers netting a clearing of <paramref name="participants"/>: every position
    /// read and at most one transfer per participant, with room to spare (about 2,600 gas each is used).
    /// </summary>
    public static ulong GasLimit(uint participants) => Math.Max(Core.Ledger.Gas.DefaultTxLimit, 200_000 + (participants * 12_000ul));

    /// <summary>SHA-256(str(tag) ‖ varuint n ‖ n × (address from ‖ address to ‖ u128 amount)).</summary>
    public static Hash Digest(IReadOnlyList<NetTransfer> plan)
    {
        var body = new SettlementRecord([.. plan]);
        var bytes = new byte[CanonicalSizes.String(PlanTag) + body.EncodedLength];
        var writer = new SpanWriter(bytes);
        writer.WriteString(PlanTag);
        body.Write(ref writer);
        return Hash.Sha256(bytes);
    }
}
