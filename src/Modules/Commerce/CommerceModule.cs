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

namespace ThingLedger.Execution.Modules.Commerce;

/// <summary>
/// Autonomous device commerce (docs/COMMERCE.md): standing agreements between a device owner and
/// a retailer or a service organisation, orders a device signs or its anchored readings place,
/// and payment out of the owner's escrowed budget only once delivery (or a repair) is shown.
/// </summary>
public sealed partial class CommerceModule(ITokenLedger tokens, IDeviceRegistry devices, ITelemetryRecords telemetry) : ISummaryObserver
{
    public const string ModuleName = CommerceNames.ModuleName;

    public string Name => ModuleName;

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(CommerceErrors));

    public IReadOnlyList<EventType> Events => CommerceEvents.All;

    public IReadOnlyList<StateRecordType> StateRecords { get; } =
    [
        StateRecordType.Of(AgreementsPrefix, "agreement", AgreementRecord.Read),
        StateRecordType.Of("commerce/order/", "order", CommerceOrderRecord.Read),
        StateRecordType.Of("commerce/device/", "agreements covering the device", DeviceAgreementsRecord.Read),
        StateRecordType.Number("commerce/schema/", "agreements watching the schema"),
        StateRecordType.Of("commerce/faults/", "repair categories of the schema's flags", FaultMapRecord.Read),
        StateRecordType.Of("commerce/resolution/", "proposed resolution", ResolutionRecord.Read),
        StateRecordType.Number(ByOwnerPrefix, "agreement of the owner (height proposed)"),
        StateRecordType.Number(ByCounterpartyPrefix, "agreement with the counterparty (height proposed)"),
    ];

    public OperationTable Operations => _operations ??= new OperationTable()
        .Add(CommerceNames.Propose, AgreementTerms.Read, DoPropose, Describe)
        .Add(CommerceNames.Countersign, AgreementPayload.Read, DoCountersign, Describe, Access.Members)
        .Add(CommerceNames.Pause, AgreementPayload.Read, (c, p) => DoPause(c, p, paused: true), Describe)
        .Add(CommerceNames.Resume, AgreementPayload.Read, (c, p) => DoPause(c, p, paused: false), Describe)
        .Add(CommerceNames.Close, AgreementPayload.Read, DoClose, Describe)
        .Add(CommerceNames.Order, DeviceOrderPayload.Read, DoDeviceOrder, static p =>
            [Link(p.Agreement), F.Text("sku", p.Sku), F.Number("units", p.Units), F.Number("unit price", p.UnitPrice)])
        .Add(CommerceNames.Repair, RepairPayload.Read, DoRepair, static p =>
            [Link(p.Agreement), F.Account("device", p.Device), F.Number("day", p.Day), F.Text("category", p.Category)])
        .Add(CommerceNames.Accept, OrderPayload.Read, DoAccept, Describe, Access.Members)
        .Add(CommerceNames.Ship, ShipPayload.Read, DoShip, static p => [Link(p.Agreement), F.Number("order", p.Order), F.Text("tracking", p.Tracking)], Access.Members)
        .Add(CommerceNames.Confirm, OrderPayload.Read, DoConfirm, Describe)
        .Add(CommerceNames.Release, OrderPayload.Read, DoRelease, Describe)
        .Add(CommerceNames.Refund, OrderPayload.Read, DoRefund, Describe)
        .Add(CommerceNames.Cancel, OrderPayload.Read, DoCancel, Describe)
        .Add(CommerceNames.Dispute, OrderPayload.Read, DoDispute, Describe)
        .Add(CommerceNames.Resolve, ResolvePayload.Read, DoResolve, static p =>
            [Link(p.Agreement), F.Number("order", p.Order), F.Text("owner share", Bps(p.OwnerShareBps))])
        .Add(CommerceNames.MapFaults, FaultMapPayload.Read, DoMapFaults, static p =>
            [F.Text("schema", p.SchemaRef), .. p.Faults.Select(f => F.Text(Core.Telemetry.FlagCodes.Text(f.Code), f.Category))], Access.Members);

    private OperationTable? _operations;

    /// <summary>Where agreements' budgets wait for their orders: an address derived from a fixed text, whose key nobody holds.</summary>
    public static Address Escrow { get; } = TokenLedger.ModuleAccount("thingledger/commerce/escrow");

    public const string AgreementsPrefix = "commerce/agreement/";
    public const string ByOwnerPrefix = "commerce/by-owner/";
    public const string ByCounterpartyPrefix = "commerce/by-counterparty/";
    public static string ByOwnerKey(Address owner, Hash id) => $"{ByOwnerPrefix}{owner}/{id}";
    public static string ByCounterpartyKey(string org, Hash id) => $"{ByCounterpartyPrefix}{org}/{id}";
    public static string AgreementKey(Hash id) => AgreementsPrefix + id;
    public static string OrderKey(Hash agreement, uint n) => $"commerce/order/{agreement}/{n:D6}";
    public static string DeviceKey(Address device) => $"commerce/device/{device}";
    public static string SchemaKey(string schemaRef) => $"commerce/schema/{schemaRef}";
    public static string FaultsKey(string schemaRef) => $"commerce/faults/{schemaRef}";
    public static string ResolutionKey(Hash agreement, uint n, string party) => $"commerce/resolution/{agreement}/{n:D6}/{party}";

    public static AgreementRecord? ReadAgreement(IStateReader state, Hash id) => Payload.Get(state, AgreementKey(id), AgreementRecord.Read);

    public static CommerceOrderRecord? ReadOrder(IStateReader state, Hash agreement, uint n) => Payload.Get(state, OrderKey(agreement, n), CommerceOrderRecord.Read);

    public static DeviceAgreementsRecord ReadDevice(IStateReader state, Address device) =>
        Payload.Get(state, DeviceKey(device), DeviceAgreementsRecord.Read) ?? DeviceAgreementsRecord.Empty;

    public static FaultMapRecord? ReadFaults(IStateReader state, string schemaRef) => Payload.Get(state, FaultsKey(schemaRef), FaultMapRecord.Read);

    public void InitGenesis(Genesis genesis, StateView state)
    {
    }

    private static F Link(Hash agreement) => new("agreement", agreement.ToString(), $"/commerce/agreements/{agreement}");

    private static F[] Describe(AgreementPayload p) => [Link(p.Agreement)];

    private static F[] Describe(OrderPayload p) => [Link(p.Agreement), F.Number("order", p.Order)];

    private static F[] Describe(AgreementTerms p) =>
    [
        F.Text("reference", p.Reference), F.Text("kind", KindText(p.Kind)), F.Text("counterparty", p.Counterparty),
        .. p.Devices.Select(d => F.Account("device", d)),
        .. p.Kind == AgreementKind.Supply ? [F.Text("sku", p.Sku)] : p.Categories.Select(c => F.Text("category", c)),
        F.Token(p.Token), F.Number("price", p.Price), F.Number("quantity", p.Quantity), F.Text("orders", $"{p.MaxOrders} per {Duration(p.PeriodMs)}"),
        F.Number("budget", p.Budget), F.Text("deadline", Duration(p.DeadlineMs)), F.Text("hold", Duration(p.HoldMs)),
        .. p.Arbiter.Length > 0 ? [F.Text("arbiter", p.Arbiter)] : Array.Empty<F>(),
        .. p.Courier.Length > 0 ? [F.Text("courier", p.Courier)] : Array.Empty<F>(),
        .. p.HasTrigger ? [F.Text("trigger", $"{p.SchemaRef} {p.Field} < {p.Threshold}"), F.Number("rise per unit", p.RisePerUnit)] :
           p.Schema.Length > 0 ? [F.Text("schema", p.SchemaRef)] : Array.Empty<F>(),
        F.Text("until", F.Time(p.UntilMs)),
    ];

    private Outcome DoPropose(TxContext context, AgreementTerms p)
    {
        var valid = Validate(context, p);
        if (!valid.Succeeded)
        {
            return valid;
        }
        var id = CommerceIds.Agreement(context.Signer, p.Counterparty, p.Reference);
        if (context.State.Contains(AgreementKey(id)))
        {
            return CommerceErrors.AgreementExists;
        }
        foreach (var device in p.Devices)
        {
            context.Gas.Steps(1);
            if (devices.Find(context.State, device) is not { Status: DeviceStatus.Active } record || record.Owner != context.Signer)
            {
                return CommerceErrors.DeviceNotOwned;
            }
            var covering = ReadDevice(context.State, device);
            if (covering.Entries.Length >= CommerceLimits.MaxAgreementsPerDevice)
            {
                return CommerceErrors.TooManyAgreements;
            }
            context.State.Set(DeviceKey(device), Canonical.Encode(new DeviceAgreementsRecord([.. covering.Entries, new DeviceAgreement(id, CommerceLimits.NoOrder, 0)])));
        }
        var moved = tokens.Move(context, p.Token, context.Signer, Escrow, p.Budget);
        if (!moved.Succeeded)
        {
            return moved;
        }
        if (p.Schema.Length > 0)
        {
            Counters.Next(context.State, SchemaKey(p.SchemaRef));
        }
        var height = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(height, context.Height);
        context.State.Set(ByOwnerKey(context.Signer, id), height);
        context.State.Set(ByCounterpartyKey(p.Counterparty, id), height);
        Write(context, new AgreementRecord(id, context.Signer, p, AgreementStatus.Proposed, false, default, context.Timestamp,
            p.Budget, UInt128.Zero, UInt128.Zero, UInt128.Zero, 0, 0, 0, context.Tx.Id, context.Height));
        context.Emit(CommerceEvents.Proposed, new("agreement", id.ToString()), new("kind", KindText(p.Kind)), new("owner", context.Signer.ToString()),
            new("counterparty", p.Counterparty), new("token", p.Token), new("budget", TokensModule.Text(p.Budget)));
        return Outcome.Ok;
    }

    /// <summary>The terms' own rules (docs/COMMERCE.md "Agreements"), before any device or money is looked at.</summary>
    private Outcome Validate(TxContext context, AgreementTerms p)
    {
        var supply = p.Kind == AgreementKind.Supply;
        if (!Identifiers.IsLabel(p.Reference) || !Identifiers.IsOrgId(p.Counterparty) || !Identifiers.IsSymbol(p.Token) ||
            p.Devices.Length == 0 || p.Devices.Distinct().Count() != p.Devices.Length ||
            p.Price == UInt128.Zero || p.Quantity == 0 || p.MaxOrders == 0 || p.PeriodMs == 0 || p.Budget == UInt128.Zero || p.DeadlineMs == 0 ||
            p.UntilMs <= context.Timestamp || p.Threshold < 0 || p.RisePerUnit < 0 ||
            (p.Arbiter.Length > 0 && (!Identifiers.IsOrgId(p.Arbiter) || p.Arbiter == p.Counterparty)) ||
            (p.Courier.Length > 0 && !Identifiers.IsOrgId(p.Courier)) ||
            (supply && (!Identifiers.IsLabel(p.Sku) || p.Categories.Length != 0 || (!p.HasTrigger && (p.Schema.Length > 0 || p.RisePerUnit > 0 || p.Threshold > 0)))) ||
            (!supply && (p.Sku.Length != 0 || p.Categories.Length == 0 || p.Quantity != 1 || p.HasTrigger || p.Courier.Length > 0 || p.RisePerUnit > 0 ||
                p.Threshold > 0 || p.Schema.Length == 0 || !p.Categories.All(Identifiers.IsOrgId) || p.Categories.Distinct().Count() != p.Categories.Length)))
        {
            return CommerceErrors.AgreementInvalid;
        }
        if (!Multiply(p.Price, p.Quantity, out var most))
        {
            return CommerceErrors.AmountOverflow;
        }
        if (most > p.Budget || !context.Members.OrgExists(context.State, p.Counterparty) ||
            (p.Arbiter.Length > 0 && !context.Members.OrgExists(context.State, p.Arbiter)) ||
            (p.Courier.Length > 0 && !context.Members.OrgExists(context.State, p.Courier)))
        {
            return CommerceErrors.AgreementInvalid;
        }
        if (tokens.Find(context.State, p.Token) is null)
        {
            return TokensErrors.TokenNotFound;
        }
        if (p.Schema.Length == 0)
        {
            return Outcome.Ok;
        }
        if (telemetry.Schema(context.State, p.Schema, p.SchemaVersion)?.Schema is not { } schema)
        {
            return TelemetryErrors.SchemaNotFound;
        }
        return !p.HasTrigger || LevelIndex(schema, p.Field) >= 0 ? Outcome.Ok : CommerceErrors.AgreementInvalid;
    }

    /// <summary>The position of <paramref name="field"/> among the schema's non-additive fields (its index in a summary's levels), or -1.</summary>
    public static int LevelIndex(Core.Telemetry.TelemetrySchema schema, string field)
    {
        var k = 0;
        foreach (var f in schema.Fields)
        {
            if (f.Additive)
            {
                continue;
            }
            if (f.Name == field)
            {
                return k;
            }
            k++;
        }
        return -1;
    }

    private static bool Multiply(UInt128 price, uint units, out UInt128 amount)
    {
        try
        {
            amount = checked(price * units);
            return true;
        }
        catch (OverflowException)
        {
            amount = UInt128.Zero;
            return false;
        }
    }

    /// <summary>Whether the signer acts for <paramref name="org"/>: a member of it with the admin or operator role.</summary>
    private static bool ActsFor(TxContext context, string org) =>
        org.Length > 0 && context.SignerMembership is { } m && m.Org == org && m.Has(Roles.Admin | Roles.Operator);

    private static Outcome Find(TxContext context, Hash id, out AgreementRecord agreement) =>
        (agreement = ReadAgreement(context.State, id)!) is null ? CommerceErrors.AgreementNotFound : Outcome.Ok;

    private static Outcome OwnersAgreement(TxContext context, Hash id, out AgreementRecord agreement)
    {
        var found = Find(context, id, out agreement);
        return !found.Succeeded ? found : agreement.Owner != context.Signer ? CommerceErrors.NotOwner : Outcome.Ok;
    }

    private Outcome DoCountersign(TxContext context, AgreementPayload p)
    {
        var found = Find(context, p.Agreement, out var agreement);
        if (!found.Succeeded)
        {
            return found;
        }
        if (!ActsFor(context, agreement.Terms.Counterparty))
        {
            return CommerceErrors.NotCounterparty;
        }
        if (agreement.Status != AgreementStatus.Proposed)
        {
            return CommerceErrors.NotProposed;
        }
        Write(context, agreement with { Status = AgreementStatus.Active, Payee = context.Signer, StartMs = context.Timestamp });
        context.Emit(CommerceEvents.Countersigned, new("agreement", agreement.Id.ToString()), new("counterparty", agreement.Terms.Counterparty),
            new("payee", context.Signer.ToString()));
        return Outcome.Ok;
    }

    private Outcome DoPause(TxContext context, AgreementPayload p, bool paused)
    {
        var found = OwnersAgreement(context, p.Agreement, out var agreement);
        if (!found.Succeeded)
        {
            return found;
        }
        if (agreement.Status == AgreementStatus.Closed)
        {
            return CommerceErrors.AgreementNotActive;
        }
        if (agreement.Paused == paused)
        {
            return paused ? CommerceErrors.AgreementPaused : CommerceErrors.AgreementNotActive;
        }
        Write(context, agreement with { Paused = paused });
        context.Emit(paused ? CommerceEvents.Paused : CommerceEvents.Resumed, new("agreement", agreement.Id.ToString()), new("owner", context.Signer.ToString()));
        return Outcome.Ok;
    }

    /// <summary>The owner ends the agreement: what no open order reserves returns at once; open orders go on.</summary>
    private Outcome DoClose(TxContext context, AgreementPayload p)
    {
        var found = OwnersAgreement(context, p.Agreement, out var agreement);
        if (!found.Succeeded)
        {
            return found;
        }
        if (agreement.Status == AgreementStatus.Closed)
        {
            return CommerceErrors.AgreementNotActive;
        }
        var returned = agreement.Available;
        if (returned > UInt128.Zero)
        {
            var moved = tokens.Move(context, agreement.Terms.Token, Escrow, agreement.Owner, returned);
            if (!moved.Succeeded)
            {
                return moved;
            }
        }
        Write(context, agreement with { Status = AgreementStatus.Closed, Escrowed = agreement.Reserved, Refunded = agreement.Refunded + returned });
        context.Emit(CommerceEvents.Closed, new("agreement", agreement.Id.ToString()), new("owner", context.Signer.ToString()),
            new("returned", TokensModule.Text(returned)));
        return Outcome.Ok;
    }

    private static void Write(TxContext context, AgreementRecord agreement) => context.State.Set(AgreementKey(agreement.Id), Canonical.Encode(agreement));

    private static void Write(TxContext context, Hash agreement, CommerceOrderRecord order) =>
        context.State.Set(OrderKey(agreement, order.Number), Canonical.Encode(order));

    public static string KindText(AgreementKind kind) => kind == AgreementKind.Repair ? "repair" : "supply";

    /// <summary>Basis points as a percentage, e.g. 2500 → "25%".</summary>
    public static string Bps(uint bps) => $"{(bps / 100m).ToString("0.##", CultureInfo.InvariantCulture)}%";

    /// <summary>A span of ms as its largest whole unit: "30d", "6h", "15m", "500ms".</summary>
    public static string Duration(ulong ms) => ms switch
    {
        0 => "0",
        _ when ms % 86_400_000 == 0 => $"{ms / 86_400_000}d",
        _ when ms % 3_600_000 == 0 => $"{ms / 3_600_000}h",
        _ when ms % 60_000 == 0 => $"{ms / 60_000}m",
        _ when ms % 1_000 == 0 => $"{ms / 1_000}s",
        _ => $"{ms}ms",
    };

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
