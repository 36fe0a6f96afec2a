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

namespace ThingLedger.Execution.Modules.Energy;

/// <summary>
/// Peer-to-peer energy trading (docs/ENERGY.md): a grid operator's local markets, meters' offers
/// and bids per interval, a uniform-price clearing capped by the feeder's capacity, batteries
/// absorbing what the feeder cannot carry, and settlement against the meters' anchored summaries.
/// </summary>
public sealed partial class EnergyModule(ITokenLedger tokens, IDeviceRegistry devices, ITelemetryRecords telemetry) : ISummaryObserver
{
    public const string ModuleName = EnergyNames.ModuleName;

    /// <summary>Registration metadata, set by the organisation that registered the meter: the most power it carries (W), its battery's usable capacity (Wh).</summary>
    public const string RatingKey = "rating_w";
    public const string BatteryKey = "battery_wh";

    public string Name => ModuleName;

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(EnergyErrors));

    public IReadOnlyList<EventType> Events => EnergyEvents.All;

    public IReadOnlyList<StateRecordType> StateRecords { get; } =
    [
        StateRecordType.Of(MarketsPrefix, "market", MarketRecord.Read),
        StateRecordType.Of("energy/meter/", "meter in a market", MeterRecord.Read),
        StateRecordType.Of("energy/order/", "order", EnergyOrderRecord.Read),
        StateRecordType.Number("energy/orders/", "orders of the interval"),
        StateRecordType.Of("energy/commit/", "battery commitment", EnergyOrderRecord.Read),
        StateRecordType.Number("energy/commits/", "commitments of the interval"),
        StateRecordType.Of("energy/side/", "what the meter offered, bid and committed in the interval", SideRecord.Read),
        StateRecordType.Of("energy/flex/", "flexibility request", FlexRecord.Read),
        StateRecordType.Of("energy/clearing/", "clearing", ClearingRecord.Read),
        StateRecordType.Of("energy/measured/", "what the meter measured in the interval", MeasuredRecord.Read),
        StateRecordType.Of("energy/seen/", "the meter's latest anchored period", SeenRecord.Read),
        StateRecordType.Of("energy/settlement/", "settlement", SettlementRecord.Read),
    ];

    public OperationTable Operations => _operations ??= new OperationTable()
        .Add(EnergyNames.Market, MarketTerms.Read, DoMarket, static p =>
            [Link(p.Id), F.Text("zone", p.Zone), F.Text("schema", p.SchemaRef), F.Text("interval", $"{p.IntervalMinutes} min, gate {p.GateMinutes} min before"),
             F.Text("prices", $"{p.Floor}–{p.Cap} per kWh, grid fee {p.GridFee}"), F.Token(p.Token), F.Text("imbalance", $"short {p.ShortBps} bps, long {p.LongBps} bps"),
             F.Number("capacity Wh", p.CapacityWh)], Access.Members)
        .Add(EnergyNames.Join, JoinPayload.Read, DoJoin, static p =>
            [Link(p.Market), F.Account("meter", p.Meter), F.Number("allowance Wh", p.AllowanceWh), F.Number("allowance price", p.AllowancePrice), F.Number("deposit", p.Deposit)])
        .Add(EnergyNames.Fund, MeterFundsPayload.Read, DoFund, static p => [F.Account("meter", p.Meter), F.Number("amount", p.Amount)])
        .Add(EnergyNames.Leave, MeterFundsPayload.Read, DoLeave, static p => [F.Account("meter", p.Meter)])
        .Add(EnergyNames.Offer, EnergyOrderPayload.Read, (c, p) => DoOrder(c, p, EnergySide.Offer), Describe)
        .Add(EnergyNames.Bid, EnergyOrderPayload.Read, (c, p) => DoOrder(c, p, EnergySide.Bid), Describe)
        .Add(EnergyNames.Commit, EnergyOrderPayload.Read, (c, p) => DoOrder(c, p, EnergySide.Commit), Describe)
        .Add(EnergyNames.Flex, FlexPayload.Read, DoFlex, static p =>
            [Link(p.Market), F.Text("interval", F.Time(p.Interval)), F.Number("wh", p.Wh), F.Number("price", p.Price)], Access.Members)
        .Add(EnergyNames.Clear, IntervalPayload.Read, DoClear, Describe)
        .Add(EnergyNames.Settle, IntervalPayload.Read, DoSettle, Describe, Access.Members);

    private OperationTable? _operations;

    /// <summary>Where deposits wait for their orders: an address derived from a fixed text, whose key nobody holds.</summary>
    public static Address Escrow { get; } = TokenLedger.ModuleAccount("thingledger/energy/escrow");

    public const string MarketsPrefix = "energy/market/";
    public static string MarketKey(string id) => MarketsPrefix + id;
    public static string MeterKey(Address meter) => $"energy/meter/{meter}";
    public static string IntervalPart(string market, ulong start) => $"{market}/{start:D13}";
    public static string OrderKey(string market, ulong start, uint n) => $"energy/order/{IntervalPart(market, start)}/{n:D6}";
    public static string OrdersKey(string market, ulong start) => $"energy/orders/{IntervalPart(market, start)}";
    public static string CommitKey(string market, ulong start, uint n) => $"energy/commit/{IntervalPart(market, start)}/{n:D6}";
    public static string CommitsKey(string market, ulong start) => $"energy/commits/{IntervalPart(market, start)}";
    public static string SideKey(string market, ulong start, Address meter) => $"energy/side/{IntervalPart(market, start)}/{meter}";
    public static string FlexKey(string market, ulong start) => $"energy/flex/{IntervalPart(market, start)}";
    public static string ClearingKey(string market, ulong start) => $"energy/clearing/{IntervalPart(market, start)}";
    public static string MeasuredKey(string market, ulong start, Address meter) => $"energy/measured/{IntervalPart(market, start)}/{meter}";
    public static string SeenKey(Address meter) => $"energy/seen/{meter}";
    public static string SettlementKey(string market, ulong start) => $"energy/settlement/{IntervalPart(market, start)}";

    public static MarketRecord? ReadMarket(IStateReader state, string id) => Payload.Get(state, MarketKey(id), MarketRecord.Read);

    public static MeterRecord? ReadMeter(IStateReader state, Address meter) => Payload.Get(state, MeterKey(meter), MeterRecord.Read);

    public static EnergyOrderRecord? ReadOrder(IStateReader state, string market, ulong start, uint n) => Payload.Get(state, OrderKey(market, start, n), EnergyOrderRecord.Read);

    public static EnergyOrderRecord? ReadCommit(IStateReader state, string market, ulong start, uint n) => Payload.Get(state, CommitKey(market, start, n), EnergyOrderRecord.Read);

    public static uint OrderCount(IStateReader state, string market, ulong start) => (uint)Counters.Read(state, OrdersKey(market, start));

    public static uint CommitCount(IStateReader state, string market, ulong start) => (uint)Counters.Read(state, CommitsKey(market, start));

    public static FlexRecord? ReadFlex(IStateReader state, string market, ulong start) => Payload.Get(state, FlexKey(market, start), FlexRecord.Read);

    public static ClearingRecord? ReadClearing(IStateReader state, string market, ulong start) => Payload.Get(state, ClearingKey(market, start), ClearingRecord.Read);

    public static MeasuredRecord? ReadMeasured(IStateReader state, string market, ulong start, Address meter) =>
        Payload.Get(state, MeasuredKey(market, start, meter), MeasuredRecord.Read);

    public static SeenRecord? ReadSeen(IStateReader state, Address meter) => Payload.Get(state, SeenKey(meter), SeenRecord.Read);

    public static SettlementRecord? ReadSettlement(IStateReader state, string market, ulong start) => Payload.Get(state, SettlementKey(market, start), SettlementRecord.Read);

    public static SideRecord ReadSide(IStateReader state, string market, ulong start, Address meter) =>
        Payload.Get(state, SideKey(market, start, meter), SideRecord.Read) ?? SideRecord.Empty;

    public void InitGenesis(Genesis genesis, StateView state)
    {
    }

    private static F Link(string market) => new("market", market, $"/energy/{market}");

    private static F[] Describe(EnergyOrderPayload p) => [F.Account("meter", p.Meter), F.Text("interval", F.Time(p.Interval)), F.Number("wh", p.Wh), F.Number("price", p.Price)];

    private static F[] Describe(IntervalPayload p) => [Link(p.Market), F.Text("interval", F.Time(p.Interval))];

    /// <summary>Whether the signer acts for <paramref name="org"/>: a member of it with the admin or operator role.</summary>
    private static bool ActsFor(TxContext context, string org) =>
        context.SignerMembership is { } m && m.Org == org && m.Has(Roles.Admin | Roles.Operator);

    private Outcome DoMarket(TxContext context, MarketTerms p)
    {
        if (context.SignerMembership is not { } member || !member.Has(Roles.Admin | Roles.Operator))
        {
            return EnergyErrors.NotOperator;
        }
        if (!Identifiers.IsLabel(p.Id) || p.Id.Length > EnergyLimits.MaxMarketIdBytes || !Identifiers.IsText(p.Zone, EnergyLimits.MaxZoneBytes) ||
            p.IntervalMinutes < EnergyLimits.MinIntervalMinutes || p.IntervalMinutes > Core.Telemetry.TelemetrySchema.MinutesPerDay ||
            Core.Telemetry.TelemetrySchema.MinutesPerDay % p.IntervalMinutes != 0 || p.GateMinutes > Core.Telemetry.TelemetrySchema.MinutesPerDay ||
            p.Floor > p.Cap || p.Cap == 0 || p.ShortBps < EnergyLimits.WholeBps || p.LongBps > EnergyLimits.WholeBps || p.CapacityWh == 0 ||
            !Identifiers.IsSymbol(p.Token))
        {
            return EnergyErrors.MarketInvalid;
        }
        // Every amount an order can come to must fit: the cap's dearest imbalance price times a meter's most energy.
        if ((UInt128)p.Cap * p.ShortBps / EnergyLimits.WholeBps > ulong.MaxValue / 1_000_000)
        {
            return EnergyErrors.MarketInvalid;
        }
        if (context.State.Contains(MarketKey(p.Id)))
        {
            return EnergyErrors.MarketExists;
        }
        if (tokens.Find(context.State, p.Token) is null)
        {
            return TokensErrors.TokenNotFound;
        }
        if (telemetry.Schema(context.State, p.Schema, p.SchemaVersion)?.Schema is not { } schema)
        {
            return TelemetryErrors.SchemaNotFound;
        }
        var additive = schema.AdditiveFields();
        var levels = schema.LevelFields();
        var import = Array.FindIndex(additive, i => schema.Fields[i].Name == "import_wh");
        var export = Array.FindIndex(additive, i => schema.Fields[i].Name == "export_wh");
        var soc = Array.FindIndex(levels, i => schema.Fields[i].Name == "battery_soc_pct");
        // The meters' schema must say what they imported and exported, per period that fits the interval.
        if (import < 0 || export < 0 || schema.SummaryMinutes == 0 || p.IntervalMinutes % schema.SummaryMinutes != 0)
        {
            return EnergyErrors.MarketInvalid;
        }
        context.State.Set(MarketKey(p.Id), Canonical.Encode(new MarketRecord(p, member.Org, (byte)import, (byte)export,
            soc < 0 ? MarketRecord.NoLevel : (byte)soc, context.Height)));
        context.Emit(EnergyEvents.MarketCreated, new("market", p.Id), new("operator", member.Org), new("zone", p.Zone), new("token", p.Token),
            new("interval", p.IntervalMinutes.ToString(CultureInfo.InvariantCulture)));
        return Outcome.Ok;
    }

    /// <summary>A whole number from the meter's registration metadata, or null when it has none (or not a number).</summary>
    private static ulong? MetadataNumber(DeviceRecord device, string key)
    {
        foreach (var entry in device.Metadata)
        {
            if (entry.Key == key)
            {
                return ulong.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            }
        }
        return null;
    }

    private Outcome DoJoin(TxContext context, JoinPayload p)
    {
        if (ReadMarket(context.State, p.Market) is not { } market)
        {
            return EnergyErrors.MarketNotFound;
        }
        if (devices.Find(context.State, p.Meter) is not { Status: DeviceStatus.Active } device || device.Owner != context.Signer)
        {
            return EnergyErrors.NotMeterOwner;
        }
        if (MetadataNumber(device, RatingKey) is not { } rating || rating == 0)
        {
            return EnergyErrors.NoRating;
        }
        if (context.State.Contains(MeterKey(p.Meter)))
        {
            return EnergyErrors.MeterInMarket;
        }
        if (p.AllowancePrice > market.Terms.Cap)
        {
            return EnergyErrors.PriceOutOfRange;
        }
        if (p.Deposit > UInt128.Zero)
        {
            var moved = tokens.Move(context, market.Terms.Token, context.Signer, Escrow, p.Deposit);
            if (!moved.Succeeded)
            {
                return moved;
            }
        }
        var battery = market.SocLevel == MarketRecord.NoLevel ? 0 : MetadataNumber(device, BatteryKey) ?? 0;
        Write(context, p.Meter, new MeterRecord(p.Market, context.Signer, rating, battery, p.AllowanceWh, p.AllowancePrice, p.Deposit, 0, context.Height));
        context.Emit(EnergyEvents.Joined, new("market", p.Market), new("meter", p.Meter.ToString()), new("owner", context.Signer.ToString()));
        return Outcome.Ok;
    }

    private Outcome OwnersMeter(TxContext context, Address id, out MeterRecord meter, out MarketRecord market)
    {
        market = null!;
        if ((meter = ReadMeter(context.State, id)!) is null)
        {
            return EnergyErrors.MeterNotJoined;
        }
        if (meter.Owner != context.Signer)
        {
            return EnergyErrors.NotMeterOwner;
        }
        market = ReadMarket(context.State, meter.Market)!;
        return Outcome.Ok;
    }

    private Outcome DoFund(TxContext context, MeterFundsPayload p)
    {
        var found = OwnersMeter(context, p.Meter, out var meter, out var market);
        if (!found.Succeeded)
        {
            return found;
        }
        if (p.Amount == UInt128.Zero)
        {
            return EnergyErrors.QuantityInvalid;
        }
        var moved = tokens.Move(context, market.Terms.Token, context.Signer, Escrow, p.Amount);
        if (!moved.Succeeded)
        {
            return moved;
        }
        var funded = meter with { Funds = meter.Funds + p.Amount };
        Write(context, p.Meter, funded);
        context.Emit(EnergyEvents.Funded, new("market", meter.Market), new("meter", p.Meter.ToString()), new("amount", TokensModule.Text(p.Amount)),
            new("funds", TokensModule.Text(funded.Funds)));
        return Outcome.Ok;
    }

    private Outcome DoLeave(TxContext context, MeterFundsPayload p)
    {
        var found = OwnersMeter(context, p.Meter, out var meter, out var market);
        if (!found.Succeeded)
        {
            return found;
        }
        if (meter.Open > 0)
        {
            return EnergyErrors.MeterBusy;
        }
        if (meter.Funds > UInt128.Zero)
        {
            var moved = tokens.Move(context, market.Terms.Token, Escrow, meter.Owner, meter.Funds);
            if (!moved.Succeeded)
            {
                return moved;
            }
        }
        context.State.Delete(MeterKey(p.Meter));
        context.Emit(EnergyEvents.Left, new("market", meter.Market), new("meter", p.Meter.ToString()), new("returned", TokensModule.Text(meter.Funds)));
        return Outcome.Ok;
    }

    private static void Write(TxContext context, Address meter, MeterRecord record) => context.State.Set(MeterKey(meter), Canonical.Encode(record));

    /// <summary>Whether <paramref name="start"/> is an interval of the market whose gate has not closed at the block's time.</summary>
    private static Outcome Open(TxContext context, MarketTerms terms, ulong start)
    {
        if (start % terms.IntervalMs != 0)
        {
            return EnergyErrors.IntervalInvalid;
        }
        return start < terms.GateMs || context.Timestamp >= start - terms.GateMs ? EnergyErrors.GateClosed : Outcome.Ok;
    }

    /// <summary>An offer, a bid or a battery commitment (docs/ENERGY.md "Orders", "Flexibility").</summary>
    private Outcome DoOrder(TxContext context, EnergyOrderPayload p, EnergySide side)
    {
        if (ReadMeter(context.State, p.Meter) is not { } meter)
        {
            return EnergyErrors.MeterNotJoined;
        }
        var byMeter = context.Signer == p.Meter;
        if (!byMeter && context.Signer != meter.Owner)
        {
            return EnergyErrors.NotMeterOwner;
        }
        // The owner may have given the meter away or had it revoked since joining: only its owner's active meter trades.
        if (devices.Find(context.State, p.Meter) is not { Status: DeviceStatus.Active } device || device.Owner != meter.Owner)
        {
            return EnergyErrors.NotMeterOwner;
        }
        var market = ReadMarket(context.State, meter.Market)!;
        var terms = market.Terms;
        var open = Open(context, terms, p.Interval);
        if (!open.Succeeded)
        {
            return open;
        }
        if (p.Wh == 0)
        {
            return EnergyErrors.QuantityInvalid;
        }
        var flex = side == EnergySide.Commit ? ReadFlex(context.State, meter.Market, p.Interval) : null;
        if (side == EnergySide.Commit && flex is null)
        {
            return EnergyErrors.NoFlexRequest;
        }
        // A commitment names what the battery asks for absorbing, up to what the operator offers; orders trade within the market's range.
        if (p.Price < (flex is null ? terms.Floor : 0) || p.Price > (flex?.Price ?? terms.Cap))
        {
            return EnergyErrors.PriceOutOfRange;
        }
        if (byMeter && (p.Wh > meter.AllowanceWh || (side == EnergySide.Bid && p.Price > meter.AllowancePrice)))
        {
            return EnergyErrors.BeyondAllowance;
        }
        var placed = ReadSide(context.State, meter.Market, p.Interval, p.Meter);
        var ratingWh = terms.RatingWh(meter.RatingW);
        switch (side)
        {
            case EnergySide.Offer when placed.BidWh > 0:
            case EnergySide.Bid when placed.OfferedWh > 0:
                return EnergyErrors.SideTaken;
            case EnergySide.Offer when p.Wh > ratingWh - Math.Min(ratingWh, placed.OfferedWh):
            case EnergySide.Bid when p.Wh > ratingWh - Math.Min(ratingWh, placed.BidWh):
                return EnergyErrors.BeyondRating;
            case EnergySide.Commit:
                if (meter.BatteryWh == 0)
                {
                    return EnergyErrors.NoBattery;
                }
                // What the battery can still take, by its last anchored level (0.1 % steps), less what it has committed already.
                var seen = ReadSeen(context.State, p.Meter);
                var soc = (ulong)Math.Clamp(seen is { HasSoc: true } ? seen.Soc : 0, 0, 1000);
                var room = (ulong)((UInt128)meter.BatteryWh * (1000 - soc) / 1000);
                if (p.Wh > room - Math.Min(room, placed.CommittedWh) || p.Wh > ratingWh - Math.Min(ratingWh, placed.CommittedWh))
                {
                    return EnergyErrors.BeyondCapacity;
                }
                break;
        }
        var escrow = side switch
        {
            EnergySide.Bid => EnergyLimits.Ceiling(p.Wh, p.Price) + EnergyLimits.Ceiling(p.Wh, terms.GridFee),
            EnergySide.Offer => EnergyLimits.Ceiling(p.Wh, EnergyLimits.Scale(terms.Cap, terms.ShortBps)),
            _ => UInt128.Zero,
        };
        if (escrow > meter.Funds)
        {
            return EnergyErrors.FundsLow;
        }
        var countKey = side == EnergySide.Commit ? CommitsKey(meter.Market, p.Interval) : OrdersKey(meter.Market, p.Interval);
        if (Counters.Read(context.State, countKey) >= EnergyLimits.MaxOrdersPerInterval)
        {
            return EnergyErrors.TooManyOrders;
        }
        var n = (uint)Counters.Next(context.State, countKey);
        var order = new EnergyOrderRecord(n, side, p.Meter, meter.Owner, p.Wh, p.Price, escrow, byMeter, context.Height);
        context.State.Set(side == EnergySide.Commit ? CommitKey(meter.Market, p.Interval, n) : OrderKey(meter.Market, p.Interval, n), Canonical.Encode(order));
        var first = placed == SideRecord.Empty;
        context.State.Set(SideKey(meter.Market, p.Interval, p.Meter), Canonical.Encode(side switch
        {
            EnergySide.Offer => placed with { OfferedWh = placed.OfferedWh + p.Wh },
            EnergySide.Bid => placed with { BidWh = placed.BidWh + p.Wh },
            _ => placed with { CommittedWh = placed.CommittedWh + p.Wh },
        }));
        Write(context, p.Meter, meter with { Funds = meter.Funds - escrow, Open = meter.Open + (first ? 1u : 0u) });
        context.Emit(EnergyEvents.Placed, new("market", meter.Market), new("interval", Text(p.Interval)), new("order", Text(n)), new("side", SideText(side)),
            new("meter", p.Meter.ToString()), new("wh", Text(p.Wh)), new("price", Text(p.Price)));
        return Outcome.Ok;
    }

    private static Outcome DoFlex(TxContext context, FlexPayload p)
    {
        if (ReadMarket(context.State, p.Market) is not { } market)
        {
            return EnergyErrors.MarketNotFound;
        }
        if (!ActsFor(context, market.Operator))
        {
            return EnergyErrors.NotOperator;
        }
        var open = Open(context, market.Terms, p.Interval);
        if (!open.Succeeded)
        {
            return open;
        }
        if (p.Wh == 0)
        {
            return EnergyErrors.QuantityInvalid;
        }
        if (p.Price > market.Terms.Cap)
        {
            return EnergyErrors.PriceOutOfRange;
        }
        if (context.State.Contains(FlexKey(p.Market, p.Interval)))
        {
            return EnergyErrors.FlexExists;
        }
        context.State.Set(FlexKey(p.Market, p.Interval), Canonical.Encode(new FlexRecord(p.Wh, p.Price, context.Height)));
        context.Emit(EnergyEvents.FlexRequested, new("market", p.Market), new("interval", Text(p.Interval)), new("wh", Text(p.Wh)), new("price", Text(p.Price)));
        return Outcome.Ok;
    }

    /// <summary>The interval's offers and bids (or its commitments), each sorted in its side's order.</summary>
    public static (List<EnergyOrderRecord> Offers, List<EnergyOrderRecord> Bids) Book(IStateReader state, string market, ulong start, GasMeter? gas = null)
    {
        var count = OrderCount(state, market, start);
        List<EnergyOrderRecord> offers = [], bids = [];
        for (var n = 1u; n <= count; n++)
        {
            gas?.Steps(1);
            var order = ReadOrder(state, market, start, n)!;
            (order.Side == EnergySide.Bid ? bids : offers).Add(order);
        }
        offers.Sort(EnergyAuction.CompareOffers);
        bids.Sort(EnergyAuction.CompareBids);
        return (offers, bids);
    }

    public static List<EnergyOrderRecord> Commitments(IStateReader state, string market, ulong start, GasMeter? gas = null)
    {
        var count = CommitCount(state, market, start);
        var commits = new List<EnergyOrderRecord>((int)count);
        for (var n = 1u; n <= count; n++)
        {
            gas?.Steps(1);
            commits.Add(ReadCommit(state, market, start, n)!);
        }
        commits.Sort(EnergyAuction.CompareOffers);
        return commits;
    }

    private static Outcome DoClear(TxContext context, IntervalPayload p)
    {
        if (ReadMarket(context.State, p.Market) is not { } market)
        {
            return EnergyErrors.MarketNotFound;
        }
        var terms = market.Terms;
        if (p.Interval % terms.IntervalMs != 0)
        {
            return EnergyErrors.IntervalInvalid;
        }
        if (p.Interval >= terms.GateMs && context.Timestamp < p.Interval - terms.GateMs)
        {
            return EnergyErrors.GateOpen;
        }
        if (context.State.Contains(ClearingKey(p.Market, p.Interval)))
        {
            return EnergyErrors.Cleared;
        }
        var (offers, bids) = Book(context.State, p.Market, p.Interval, context.Gas);
        context.Gas.Steps(offers.Count + bids.Count);
        var result = EnergyAuction.Clear(offers, bids, terms.CapacityWh);
        var need = (ReadFlex(context.State, p.Market, p.Interval)?.Wh ?? 0) + (result.UncappedWh - result.TradedWh);
        var commits = Commitments(context.State, p.Market, p.Interval, context.Gas);
        var (last, accepted) = EnergyAuction.Accept(commits, need);
        var clearing = new ClearingRecord(result.Price, result.TradedWh, result.UncappedWh, result.Offer, result.Bid, need, accepted, last,
            EnergyAuction.Curve(offers, supply: true, terms.Floor, terms.Cap), EnergyAuction.Curve(bids, supply: false, terms.Floor, terms.Cap),
            (uint)(offers.Count + bids.Count), (uint)commits.Count, context.Height, context.Timestamp);
        context.State.Set(ClearingKey(p.Market, p.Interval), Canonical.Encode(clearing));
        context.Emit(EnergyEvents.Cleared, new("market", p.Market), new("interval", Text(p.Interval)), new("price", Text(result.Price)),
            new("traded", Text(result.TradedWh)), new("excess", Text(clearing.ExcessWh)), new("flex", Text(need)), new("absorbed", Text(accepted)));
        return Outcome.Ok;
    }

    public static string SideText(EnergySide side) => side switch { EnergySide.Offer => "offer", EnergySide.Bid => "bid", _ => "commit" };

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
