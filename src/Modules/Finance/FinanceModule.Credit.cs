using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Modules.Finance;

/// <summary>Credit lines from verified sales (docs/FINANCE.md "Credit lines from verified sales").</summary>
public sealed partial class FinanceModule
{
    public static string SalesSourceKey(Address merchant, string schemaRef) => $"finance/sales-source/{merchant}/{schemaRef}";
    public static string SalesSchemaKey(string schemaRef) => $"finance/sales-schema/{schemaRef}";
    public static string SalesKey(Address merchant, string schemaRef, uint day) => $"finance/sales/{merchant}/{schemaRef}/{day:D6}";
    public static string LineKey(Address merchant, Address lender) => $"finance/line/{merchant}/{lender}";
    public static string LendersKey(Address merchant) => $"finance/lenders/{merchant}";

    public static CreditLineRecord? ReadLine(IStateReader state, Address merchant, Address lender) =>
        Payload.Get(state, LineKey(merchant, lender), CreditLineRecord.Read);

    public static SalesSourceRecord? ReadSalesSource(IStateReader state, Address merchant, string schemaRef) =>
        Payload.Get(state, SalesSourceKey(merchant, schemaRef), SalesSourceRecord.Read);

    public static LendersRecord ReadLenders(IStateReader state, Address merchant) =>
        Payload.Get(state, LendersKey(merchant), LendersRecord.Read) ?? LendersRecord.Empty;

    /// <summary>The merchant's clean sales of <paramref name="schemaRef"/> over the <see cref="FinanceLimits.ScoreDays"/> UTC days that end with <paramref name="day"/>.</summary>
    public static UInt128 Score(IStateReader state, Address merchant, string schemaRef, uint day, GasMeter? gas = null)
    {
        var sum = UInt128.Zero;
        for (var d = day >= FinanceLimits.ScoreDays - 1 ? day - (FinanceLimits.ScoreDays - 1) : 0; d <= day; d++)
        {
            gas?.Steps(1);
            sum += Amounts.Read(state, SalesKey(merchant, schemaRef, d));
        }
        return sum;
    }

    private Outcome DoSales(TxContext context, SalesSourcePayload p)
    {
        if (telemetry.Schema(context.State, p.Schema, p.SchemaVersion)?.Schema is not { } schema)
        {
            return TelemetryErrors.SchemaNotFound;
        }
        var additive = schema.AdditiveFields();
        var index = Array.FindIndex(additive, i => schema.Fields[i].Name == p.Field);
        if (index < 0 || context.State.Contains(SalesSourceKey(context.Signer, p.SchemaRef)))
        {
            return FinanceErrors.SalesInvalid;
        }
        context.State.Set(SalesSourceKey(context.Signer, p.SchemaRef), Canonical.Encode(new SalesSourceRecord(p.Field, (byte)index, context.Height)));
        Counters.Next(context.State, SalesSchemaKey(p.SchemaRef));
        context.Emit(FinanceEvents.SalesEnrolled, new("merchant", context.Signer.ToString()), new("schema", p.SchemaRef), new("field", p.Field));
        return Outcome.Ok;
    }

    /// <summary>
    /// Counts an anchored summary's clean sales for the device's owner when it enrolled the schema,
    /// and takes each of its lines' share of them as repayment. A device-level flag (a cloned or
    /// replayed stream) counts nothing, and neither does an anchor in a version-1 tx.
    /// </summary>
    public void OnSummary(TxContext context, DeviceSummary summary)
    {
        // A version-1 anchor (written before gas, and before this module) replays to the receipt it
        // had then, which counted no reads of finance state: it is not observed.
        if (!context.Tx.IsMetered)
        {
            return;
        }
        var schemaRef = summary.SchemaRef;
        if (Counters.Read(context.State, SalesSchemaKey(schemaRef)) == 0 ||
            devices.Find(context.State, summary.Device) is not { Status: DeviceStatus.Active } device ||
            ReadSalesSource(context.State, device.Owner, schemaRef) is not { } source ||
            source.SumIndex >= summary.Sums.Length || FlagCodes.AnyDeviceLevel(summary.Flags))
        {
            return;
        }
        var clean = summary.Sums[source.SumIndex] - (summary.FlaggedSums.Length == 0 ? 0 : summary.FlaggedSums[source.SumIndex]);
        if (clean <= 0)
        {
            return;
        }
        var merchant = device.Owner;
        var key = SalesKey(merchant, schemaRef, summary.Day);
        Amounts.Write(context.State, key, Amounts.Read(context.State, key) + (UInt128)clean);
        foreach (var lender in ReadLenders(context.State, merchant).Lenders)
        {
            context.Gas.Steps(1);
            if (ReadLine(context.State, merchant, lender) is not { } line || line.SchemaRef != schemaRef ||
                line.Status == LineStatus.Repaid || line.Outstanding == UInt128.Zero)
            {
                continue;
            }
            var due = UInt128.Min(line.Outstanding, (UInt128)clean * line.ShareBps / FinanceLimits.WholeBps);
            var taken = UInt128.Min(due, tokens.BalanceOf(context.State, line.Token, merchant));
            if (taken > UInt128.Zero && tokens.Move(context, line.Token, merchant, lender, taken).Succeeded)
            {
                Repaid(context, line, taken, "sales");
            }
            else
            {
                taken = UInt128.Zero;
            }
            if (taken < due)
            {
                context.Emit(FinanceEvents.RepaymentShort, new("merchant", merchant.ToString()), new("lender", lender.ToString()),
                    new("device", summary.Device.ToString()), new("due", TokensModule.Text(due)), new("taken", TokensModule.Text(taken)));
            }
        }
    }

    private Outcome DoCredit(TxContext context, CreditLinePayload p)
    {
        if (p.Merchant == context.Signer || p.AdvanceBps is 0 or > FinanceLimits.WholeBps || p.ShareBps is 0 or > FinanceLimits.WholeBps ||
            p.MaturityMs <= context.Timestamp || !Identifiers.IsSymbol(p.Token))
        {
            return FinanceErrors.LineInvalid;
        }
        if (tokens.Find(context.State, p.Token) is null)
        {
            return TokensErrors.TokenNotFound;
        }
        if (ReadLine(context.State, p.Merchant, context.Signer) is { Status: not LineStatus.Repaid })
        {
            return FinanceErrors.LineExists;
        }
        var lenders = ReadLenders(context.State, p.Merchant);
        var listed = lenders.Lenders.Contains(context.Signer);
        if (!listed && lenders.Lenders.Length >= LendersRecord.MaxLenders)
        {
            return FinanceErrors.LineInvalid;
        }
        if (ReadSalesSource(context.State, p.Merchant, p.SchemaRef) is null)
        {
            return FinanceErrors.NoSales;
        }
        var score = Score(context.State, p.Merchant, p.SchemaRef, DeviceSummary.DayOf(context.Timestamp), context.Gas);
        var limit = score * p.AdvanceBps / FinanceLimits.WholeBps;
        if (limit == UInt128.Zero)
        {
            return FinanceErrors.NoSales;
        }
        var line = new CreditLineRecord(p.Merchant, context.Signer, p.Token, p.Schema, p.SchemaVersion, p.AdvanceBps, p.ShareBps,
            score, limit, UInt128.Zero, UInt128.Zero, p.MaturityMs, p.GraceDays, LineStatus.Open, context.Height, context.Tx.Id);
        context.State.Set(LineKey(p.Merchant, context.Signer), Canonical.Encode(line));
        if (!listed)
        {
            context.State.Set(LendersKey(p.Merchant), Canonical.Encode(new LendersRecord([.. lenders.Lenders, context.Signer])));
        }
        context.Emit(FinanceEvents.LineOpened, new("merchant", p.Merchant.ToString()), new("lender", context.Signer.ToString()), new("token", p.Token),
            new("score", TokensModule.Text(score)), new("limit", TokensModule.Text(limit)));
        return Outcome.Ok;
    }

    private Outcome DoDraw(TxContext context, LineAmountPayload p)
    {
        if (ReadLine(context.State, context.Signer, p.Lender) is not { } line)
        {
            return FinanceErrors.LineNotFound;
        }
        if (line.Status != LineStatus.Open || context.Timestamp >= line.MaturityMs)
        {
            return FinanceErrors.LineClosed;
        }
        if (p.Amount == UInt128.Zero)
        {
            return FinanceErrors.LineInvalid;
        }
        if (p.Amount > line.Limit - line.Drawn)
        {
            return FinanceErrors.DrawExceeds;
        }
        var lent = tokens.Move(context, line.Token, p.Lender, context.Signer, p.Amount);
        if (!lent.Succeeded)
        {
            return lent;
        }
        line = line with { Drawn = line.Drawn + p.Amount };
        context.State.Set(LineKey(line.Merchant, line.Lender), Canonical.Encode(line));
        context.Emit(FinanceEvents.Drawn, new("merchant", line.Merchant.ToString()), new("lender", line.Lender.ToString()),
            new("amount", TokensModule.Text(p.Amount)), new("outstanding", TokensModule.Text(line.Outstanding)));
        return Outcome.Ok;
    }

    private Outcome DoRepay(TxContext context, LineAmountPayload p)
    {
        if (ReadLine(context.State, context.Signer, p.Lender) is not { } line)
        {
            return FinanceErrors.LineNotFound;
        }
        if (line.Status == LineStatus.Repaid)
        {
            return FinanceErrors.LineClosed;
        }
        if (p.Amount == UInt128.Zero)
        {
            return FinanceErrors.LineInvalid;
        }
        if (p.Amount > line.Outstanding)
        {
            return FinanceErrors.RepayExceeds;
        }
        var paid = tokens.Move(context, line.Token, context.Signer, p.Lender, p.Amount);
        if (!paid.Succeeded)
        {
            return paid;
        }
        Repaid(context, line, p.Amount, "direct");
        return Outcome.Ok;
    }

    /// <summary>Records a repayment already moved; a line repaid in full closes, unless it was in default (which stays on record).</summary>
    private static void Repaid(TxContext context, CreditLineRecord line, UInt128 amount, string source)
    {
        line = line with { Repaid = line.Repaid + amount };
        if (line.Outstanding == UInt128.Zero && line.Status == LineStatus.Open)
        {
            line = line with { Status = LineStatus.Repaid };
        }
        context.State.Set(LineKey(line.Merchant, line.Lender), Canonical.Encode(line));
        context.Emit(FinanceEvents.Repaid, new("merchant", line.Merchant.ToString()), new("lender", line.Lender.ToString()),
            new("amount", TokensModule.Text(amount)), new("outstanding", TokensModule.Text(line.Outstanding)), new("source", source));
    }

    private Outcome DoDefault(TxContext context, LinePayload p)
    {
        if (ReadLine(context.State, p.Merchant, p.Lender) is not { } line)
        {
            return FinanceErrors.LineNotFound;
        }
        if (line.Status != LineStatus.Open || line.Outstanding == UInt128.Zero || context.Timestamp <= line.DefaultAfterMs)
        {
            return FinanceErrors.NotInDefault;
        }
        context.State.Set(LineKey(line.Merchant, line.Lender), Canonical.Encode(line with { Status = LineStatus.Defaulted }));
        context.Emit(FinanceEvents.Defaulted, new("merchant", line.Merchant.ToString()), new("lender", line.Lender.ToString()),
            new("outstanding", TokensModule.Text(line.Outstanding)));
        return Outcome.Ok;
    }
}
