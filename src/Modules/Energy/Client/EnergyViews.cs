using ThingLedger.Execution.Modules.Energy;

namespace ThingLedger.Client.Contracts;

/// <summary>A local energy market: its terms (prices per kWh in the token's smallest units), and the intervals that have orders, newest first.</summary>
public sealed record EnergyMarketView(
    string Id, string Zone, string Operator, string Schema, ushort IntervalMinutes, ushort GateMinutes, ulong Floor, ulong Cap, ulong GridFee, string Token,
    ushort ShortBps, ushort LongBps, ulong CapacityWh, ushort SettleWaitMinutes, ulong Height, List<EnergyIntervalSummary> Intervals);

/// <summary>One interval of a market at a glance: when it starts, how many orders, and where it is (open, gate-closed, cleared, settled).</summary>
public sealed record EnergyIntervalSummary(ulong Start, uint Orders, string Status, ulong? Price, ulong? TradedWh);

/// <summary>An order or commitment; <see cref="MatchedWh"/> once the interval is cleared (a commitment: what was accepted).</summary>
public sealed record EnergyOrderView(uint Number, EnergySide Side, string Meter, string Owner, ulong Wh, ulong Price, string Escrow, bool ByMeter, ulong Height, ulong? MatchedWh);

public sealed record EnergyCurvePoint(ulong Price, ulong Wh);

/// <summary>An interval's clearing: the price, what traded, what the feeder could not carry, the flexibility need and what covered it, both curves.</summary>
public sealed record EnergyClearingView(
    ulong Price, ulong TradedWh, ulong UncappedWh, ulong ExcessWh, ulong FlexNeedWh, ulong FlexAcceptedWh,
    List<EnergyCurvePoint> Supply, List<EnergyCurvePoint> Demand, ulong Height);

/// <summary>What a meter measured in an interval (from the anchors named) and, once settled, what it was paid and paid.</summary>
public sealed record EnergyMeterIntervalView(
    string Meter, ulong ExportWh, ulong ImportWh, ulong SocRise, bool Flagged, List<string> Anchors,
    ulong? SoldWh, ulong? BoughtWh, ulong? AbsorbedWh, string? Received, string? Paid, string? Returned);

public sealed record EnergySettlementView(uint Meters, string Energy, string Fees, string Shortfalls, string Surpluses, string Flexibility, string Remainder, string Tx, ulong Height);

/// <summary>One interval of a market: its book, flexibility request and commitments, clearing, what each meter measured, and settlement.</summary>
public sealed record EnergyIntervalView(
    string Market, ulong Start, ulong End, ulong Gate, string Status, List<EnergyOrderView> Orders, ulong? FlexWh, ulong? FlexPrice,
    List<EnergyOrderView> Commitments, EnergyClearingView? Clearing, List<EnergyMeterIntervalView> Meters, EnergySettlementView? Settlement);

/// <summary>A meter in a market: rating and battery from its registration, its key's allowance, its deposit, and its latest anchored period.</summary>
public sealed record EnergyMeterView(
    string Meter, string Market, string Owner, ulong RatingW, ulong BatteryWh, ulong AllowanceWh, ulong AllowancePrice, string Funds, uint OpenIntervals,
    ulong? LastPeriod, long? Soc, ulong Height);

/// <summary>One energy event of a market's stream: the block and tx it is in, its name and attributes (docs/WIRE-FORMAT.md "Events").</summary>
public sealed record EnergyStreamEvent(ulong Height, string Tx, string Name, Dictionary<string, string> Attributes);
