using ThingLedger.Client.Contracts;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Carbon;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Identity;
using ThingLedger.Execution.Modules.Market;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;
using ThingLedger.Storage;

namespace ThingLedger.Node.Json;

/// <summary>Maps ledger objects to their JSON views.</summary>
public static class ViewMapper
{
    public static ReceiptView Receipt(Receipt r) => new(
        r.Succeeded ? "success" : "failed",
        r.Succeeded ? null : r.ErrorCode,
        r.GasUsed,
        [.. r.Events.Select(e => new EventView(e.Module, e.Name, e.Attributes.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal)))]);

    public static TxView Tx(Transaction tx, string status, ulong? height, int? index, Receipt? receipt) => new(
        tx.Id.ToString(), status, height, index, tx.Module, tx.Operation, tx.SignerAddress.ToString(), tx.Nonce, tx.ExpiryHeight,
        tx.Version, tx.GasLimit, Convert.ToHexStringLower(tx.Payload), receipt is null ? null : Receipt(receipt));

    public static TxView Committed(StoredTx s) => Tx(s.Transaction, s.Receipt.Succeeded ? "committed" : "failed", s.Height, s.Index, s.Receipt);

    public static BlockView Block(BlockHeader h, FinalityCertificate c, StoredBlock? body) => new(
        h.Height, h.Hash.ToString(), h.PreviousHash.ToString(), h.Timestamp, h.TxCount, h.TxRoot.ToString(), h.ReceiptsRoot.ToString(),
        h.StateRoot.ToString(),
        [.. c.Attestations.Select(a => new AttestationView(a.Validator.ToHex(), Convert.ToHexStringLower(a.Signature)))],
        body is null ? null : [.. body.Transactions.Select((tx, i) => Tx(tx, body.Receipts[i].Succeeded ? "committed" : "failed", h.Height, i, body.Receipts[i]))]);

    public static MemberView Member(string address, MemberRecord m) => new(address, m.Org, RoleNames.Format(m.Roles), m.Since);

    /// <summary>A proposal is open until enacted, or expired once the chain reached its effective height without enough approvals.</summary>
    public static ProposalView Proposal(string id, ProposalRecord r, ulong height) => new(
        id, MembershipProposal.ActionName(r.Proposal.Action), r.Proposal.Org, r.Proposal.Name.Length == 0 ? null : r.Proposal.Name,
        r.Proposal.Validator?.ToHex(), r.Proposal.Quorum, r.Proposal.EffectiveHeight, r.ProposedAt, [.. r.Approvals],
        r.Enacted ? "enacted" : r.Proposal.EffectiveHeight <= height + 1 ? "expired" : "open", r.Enacted ? r.EnactedEpoch : null);

    public static DeviceView Device(DeviceRecord d) => new(
        d.Id.ToString(), d.PublicKey.ToHex(), d.Org, d.Model, d.Serial, d.Owner.ToString(),
        d.Metadata.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal),
        d.Status == DeviceStatus.Active ? "active" : "revoked", d.RegisteredAt,
        d.Status == DeviceStatus.Revoked ? d.RevokedAt : null, d.Status == DeviceStatus.Revoked ? d.RevokeReason : null);

    public static TokenView Token(string symbol, TokenRecord t) => new(
        symbol, t.Org, t.Name, t.Decimals, RoleNames.Format(t.MintRoles), TokensModule.Text(t.Cap), TokensModule.Text(t.Supply));

    public static SchemaView Schema(SchemaRecord r) => new(r.Schema.Id, r.Schema.Version, r.Schema.Ref, r.Org, r.Height,
        [.. r.Schema.Fields.Select(f => new SchemaFieldView(f.Name, f.Unit, f.Decimals,
            Core.Telemetry.TelemetrySchema.FormatValue(f.Min, f.Decimals), Core.Telemetry.TelemetrySchema.FormatValue(f.Max, f.Decimals), f.Additive))]);

    /// <summary>A UTC day number (days since the Unix epoch) as yyyy-MM-dd.</summary>
    public static string Date(uint day) => DateOnly.FromDateTime(DateTime.UnixEpoch).AddDays((int)Math.Min(day, 2_900_000u))
        .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static MethodologyView Methodology(MethodologyRecord r)
    {
        var m = r.Methodology;
        return new MethodologyView(m.Id, m.Name, m.SchemaRef, r.Org, m.VerifierOrg, Date(m.StartDay), m.PeriodDays, m.Periods,
            [.. m.Baselines.Select(b => new BaselineView(b.VehicleClass, b.GramsPerKm))],
            [.. m.GridFactors.Select(f => new GridFactorView(f.Region, f.FromPeriod, f.GramsPerKwh))], r.Height);
    }

    public static CarbonClaimView Claim(ClaimRecord c, Methodology m)
    {
        var decided = c.Status != ClaimStatus.Pending;
        return new CarbonClaimView(c.Methodology, c.Vehicle.ToString(), c.Period, Date(m.FirstDay(c.Period)), Date(m.FirstDay(c.Period) + m.PeriodDays - 1),
            c.Status.ToString().ToLowerInvariant(), c.Symbol, c.Grams, c.Owner.ToString(), c.CustodianOrg, c.Claimant.ToString(), c.ClaimTx.ToString(),
            c.ClaimHeight, c.Readings, c.FlaggedReadings, c.Metres, c.EnergyWh, c.BaselineGramsPerKm, c.GridGramsPerKwh,
            decided ? c.Decider.ToString() : null, decided ? c.DecisionHeight : null, decided ? c.Note : null);
    }

    public static CreditView Credit(string symbol, CreditRecord c) => new(
        symbol, c.Methodology, c.Vintage, TokensModule.Text(c.Issued), TokensModule.Text(c.Retired), TokensModule.Text(c.Issued - c.Retired));

    public static RetirementView Retirement(RetirementRecord r) => new(
        r.Number, r.Symbol, TokensModule.Text(r.Amount), r.Holder.ToString(), r.Beneficiary, r.Reason, r.Tx.ToString(), r.Height, r.Timestamp);

    public static OrderView Order(OrderRecord o) => new(
        o.Id, o.Owner.ToString(), o.Base, o.Quote, MarketModule.SideText(o.Side), o.Price, o.Amount, o.Remaining, o.Status.ToString().ToLowerInvariant(),
        o.Height, o.Tx.ToString());

    public static TradeView Trade(string @base, string quote, TradeRecord t) => new(
        t.Number, @base, quote, t.Price, t.Amount, t.BuyOrder, t.SellOrder, t.Buyer.ToString(), t.Seller.ToString(), MarketModule.SideText(t.Taker),
        t.Height, t.Timestamp, t.Tx.ToString());
}
