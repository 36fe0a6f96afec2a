using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Commerce;
using ThingLedger.Execution.Modules.Tokens;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Commerce;

/// <summary>Agreements, their orders and counterparties' queues read from committed state: the one place the commerce API and explorer pages read from.</summary>
public sealed class CommerceQueries(LedgerStore store)
{
    public AgreementView? Agreement(Hash id) => store.Consistent(head =>
        CommerceModule.ReadAgreement(store, id) is { } a ? View(a, head.Header.Timestamp, withOrders: true) : null);

    public CommerceOrderView? Order(Hash agreement, uint number) => store.Consistent(head =>
        CommerceModule.ReadOrder(store, agreement, number) is { } o ? View(agreement, o, head.Header.Timestamp) : null);

    /// <summary>The agreements <paramref name="owner"/> proposed, or that <paramref name="counterparty"/> holds, newest proposal first (without orders).</summary>
    public List<AgreementView> Agreements(Address? owner, string? counterparty) => store.Consistent(head =>
    {
        var prefix = owner is { } o ? $"{CommerceModule.ByOwnerPrefix}{o}/" : $"{CommerceModule.ByCounterpartyPrefix}{counterparty}/";
        return store.Scan(prefix, null, LedgerLists.MaxEntries)
            .Select(kv => CommerceModule.ReadAgreement(store, Hash.Parse(kv.Key[prefix.Length..]))!)
            .OrderByDescending(a => a.Height).ThenBy(a => a.Id.ToString(), StringComparer.Ordinal)
            .Select(a => View(a, head.Header.Timestamp, withOrders: false)).ToList();
    });

    /// <summary>Every agreement on the chain, newest proposal first (at most <paramref name="limit"/>, without orders).</summary>
    public List<AgreementView> All(int limit = 500) => store.Consistent(head =>
        LedgerLists.Decoded(store, CommerceModule.AgreementsPrefix, AgreementRecord.Read)
            .Select(e => e.Record).OrderByDescending(a => a.Height).ThenBy(a => a.Id.ToString(), StringComparer.Ordinal).Take(limit)
            .Select(a => View(a, head.Header.Timestamp, withOrders: false)).ToList());

    /// <summary>Every open order of the agreements <paramref name="org"/> is the counterparty of, oldest first.</summary>
    public List<CommerceOrderView> Queue(string org) => store.Consistent<List<CommerceOrderView>>(head =>
    {
        var prefix = $"{CommerceModule.ByCounterpartyPrefix}{org}/";
        var orders = new List<CommerceOrderView>();
        foreach (var kv in store.Scan(prefix, null, LedgerLists.MaxEntries))
        {
            var agreement = CommerceModule.ReadAgreement(store, Hash.Parse(kv.Key[prefix.Length..]))!;
            for (uint n = 0; n < agreement.Orders; n++)
            {
                if (CommerceModule.ReadOrder(store, agreement.Id, n) is { Open: true } order)
                {
                    orders.Add(View(agreement.Id, order, head.Header.Timestamp));
                }
            }
        }
        return [.. orders.OrderBy(o => o.Placed).ThenBy(o => o.Agreement, StringComparer.Ordinal).ThenBy(o => o.Number)];
    });

    /// <summary>The decimals of <paramref name="token"/> (0 when there is no such token), to show amounts in units.</summary>
    public byte Decimals(string token) => TokensModule.ReadToken(store, token)?.Decimals ?? 0;

    public bool HasAgreement(Hash id) => store.Head is not null && CommerceModule.ReadAgreement(store, id) is not null;

    private AgreementView View(AgreementRecord a, ulong now, bool withOrders)
    {
        var t = a.Terms;
        var orders = withOrders
            ? Enumerable.Range(0, (int)a.Orders).Reverse().Select(n => View(a.Id, CommerceModule.ReadOrder(store, a.Id, (uint)n)!, now)).ToList()
            : [];
        return new AgreementView(a.Id.ToString(), t.Reference, t.Kind, a.Owner.ToString(), t.Counterparty,
            a.Status == AgreementStatus.Proposed ? null : a.Payee.ToString(), [.. t.Devices.Select(d => d.ToString())],
            t.Sku.Length == 0 ? null : t.Sku, [.. t.Categories], t.Token, Text(t.Price), t.Quantity, t.MaxOrders, t.PeriodMs, Text(t.Budget), t.DeadlineMs, t.HoldMs,
            Optional(t.Arbiter), Optional(t.Courier), t.Schema.Length == 0 ? null : t.SchemaRef, Optional(t.Field),
            t.HasTrigger ? t.Threshold : null, t.HasTrigger ? t.RisePerUnit : null, t.UntilMs, a.Status, a.Paused,
            Text(a.Escrowed), Text(a.Reserved), Text(a.Available), Text(a.Paid), Text(a.Refunded), a.Orders, a.ProposeTx.ToString(), a.Height,
            CommerceModule.AgreementKey(a.Id), orders);
    }

    private static CommerceOrderView View(Hash agreement, CommerceOrderRecord o, ulong now)
    {
        var trigger = o.Trigger;
        var fromReadings = trigger.Day != 0 || !trigger.AnchorTx.IsZero;
        return new CommerceOrderView(agreement.ToString(), o.Number, o.Device.ToString(), o.Source, o.Units, Text(o.UnitPrice), Text(o.Amount), o.Status,
            o.PlacedMs, o.DeadlineMs, o.Open && o.Status != CommerceOrderStatus.Delivered && o.Status != CommerceOrderStatus.Disputed && now > o.DeadlineMs,
            o.PlacedTx.ToString(), o.Height,
            trigger.AnchorTx.IsZero ? null : trigger.AnchorTx.ToString(), fromReadings ? trigger.Day : null,
            trigger.LastSequence == 0 ? null : trigger.FirstSequence, trigger.LastSequence == 0 ? null : trigger.LastSequence,
            trigger.AnchorTx.IsZero || trigger.Flag != 0 ? null : trigger.Level, trigger.Flag == 0 ? null : FlagCodes.Text(trigger.Flag),
            Optional(trigger.Category), Optional(trigger.Model), Optional(o.Tracking),
            o.ShippedMs == 0 ? null : o.ShippedMs, o.VisitedMs == 0 ? null : o.VisitedMs, o.DeliveredMs == 0 ? null : o.DeliveredMs, o.DeliveredBy,
            o.DeliveredBy == Confirmation.None && o.VisitedMs == 0 ? null : o.Confirmer.ToString(), o.EvidenceSequence == 0 ? null : o.EvidenceSequence,
            o.ClosedMs == 0 ? null : o.ClosedMs, Text(o.OwnerAmount), CommerceModule.OrderKey(agreement, o.Number));
    }

    private static string? Optional(string value) => value.Length == 0 ? null : value;

    private static string Text(UInt128 amount) => TokensModule.Text(amount);
}
