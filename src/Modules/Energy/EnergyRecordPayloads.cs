using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Energy;

/// <summary>A market as stored: its terms, the grid operator's org, and where the meters' schema keeps import, export and battery level.</summary>
public sealed record MarketRecord(MarketTerms Terms, string Operator, byte ImportSum, byte ExportSum, byte SocLevel, ulong Height) : ICanonical
{
    /// <summary>The <see cref="SocLevel"/> of a schema without a battery level.</summary>
    public const byte NoLevel = byte.MaxValue;

    public int EncodedLength => Terms.EncodedLength + CanonicalSizes.String(Operator) + 3 + 8;

    public void Write(ref SpanWriter writer)
    {
        Terms.Write(ref writer);
        writer.WriteString(Operator);
        writer.WriteU8(ImportSum);
        writer.WriteU8(ExportSum);
        writer.WriteU8(SocLevel);
        writer.WriteU64(Height);
    }

    public static MarketRecord Read(ref SpanReader reader) =>
        new(MarketTerms.Read(ref reader), reader.ReadString(32), reader.ReadU8(), reader.ReadU8(), reader.ReadU8(), reader.ReadU64());
}

/// <summary>A meter in a market: its owner, rating and battery from its registration, what its own key may order, the deposit its orders escrow from, and how many of its intervals are not yet settled.</summary>
public sealed record MeterRecord(
    string Market, Address Owner, ulong RatingW, ulong BatteryWh, ulong AllowanceWh, ulong AllowancePrice, UInt128 Funds, uint Open, ulong Height) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Market) + Address.Size + 8 + 8 + 8 + 8 + 16 + 4 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Market);
        writer.WriteAddress(Owner);
        writer.WriteU64(RatingW);
        writer.WriteU64(BatteryWh);
        writer.WriteU64(AllowanceWh);
        writer.WriteU64(AllowancePrice);
        writer.WriteU128(Funds);
        writer.WriteU32(Open);
        writer.WriteU64(Height);
    }

    public static MeterRecord Read(ref SpanReader reader) => new(
        reader.ReadString(EnergyLimits.MaxMarketIdBytes), reader.ReadAddress(), reader.ReadU64(), reader.ReadU64(), reader.ReadU64(), reader.ReadU64(),
        reader.ReadU128(), reader.ReadU32(), reader.ReadU64());
}

/// <summary>An offer, bid or battery commitment of one interval, numbered in admission order; what it escrowed from the meter's deposit.</summary>
public sealed record EnergyOrderRecord(uint Number, EnergySide Side, Address Meter, Address Owner, ulong Wh, ulong Price, UInt128 Escrow, bool ByMeter, ulong Height) : ICanonical
{
    public int EncodedLength => 4 + 1 + Address.Size + Address.Size + 8 + 8 + 16 + 1 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU32(Number);
        writer.WriteU8((byte)Side);
        writer.WriteAddress(Meter);
        writer.WriteAddress(Owner);
        writer.WriteU64(Wh);
        writer.WriteU64(Price);
        writer.WriteU128(Escrow);
        writer.WriteBool(ByMeter);
        writer.WriteU64(Height);
    }

    public static EnergyOrderRecord Read(ref SpanReader reader)
    {
        var number = reader.ReadU32();
        var side = reader.ReadU8();
        if (side > (byte)EnergySide.Commit)
        {
            reader.Fail(CodecError.InvalidValue);
        }
        return new(number, (EnergySide)side, reader.ReadAddress(), reader.ReadAddress(), reader.ReadU64(), reader.ReadU64(), reader.ReadU128(), reader.ReadBool(), reader.ReadU64());
    }
}

/// <summary>What one meter has offered, bid and committed in one interval.</summary>
public sealed record SideRecord(ulong OfferedWh, ulong BidWh, ulong CommittedWh) : ICanonical
{
    public static SideRecord Empty { get; } = new(0, 0, 0);

    public int EncodedLength => 24;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(OfferedWh);
        writer.WriteU64(BidWh);
        writer.WriteU64(CommittedWh);
    }

    public static SideRecord Read(ref SpanReader reader) => new(reader.ReadU64(), reader.ReadU64(), reader.ReadU64());
}

/// <summary>The grid operator's request to absorb energy in one interval.</summary>
public sealed record FlexRecord(ulong Wh, ulong Price, ulong Height) : ICanonical
{
    public int EncodedLength => 24;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(Wh);
        writer.WriteU64(Price);
        writer.WriteU64(Height);
    }

    public static FlexRecord Read(ref SpanReader reader) => new(reader.ReadU64(), reader.ReadU64(), reader.ReadU64());
}

/// <summary>
/// The last order of a side that a clearing matched (by the side's order: price, then admission)
/// and how much of it; every order before it is matched whole, none after. Number 0: none matched.
/// </summary>
public readonly record struct Marginal(uint Number, ulong Price, ulong Wh)
{
    public const int EncodedLength = 4 + 8 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU32(Number);
        writer.WriteU64(Price);
        writer.WriteU64(Wh);
    }

    public static Marginal Read(ref SpanReader reader) => new(reader.ReadU32(), reader.ReadU64(), reader.ReadU64());

    /// <summary>What of <paramref name="order"/> the clearing matched: bids rank by price descending, offers and commitments ascending.</summary>
    public ulong MatchedOf(EnergyOrderRecord order)
    {
        if (Number == 0)
        {
            return 0;
        }
        if (order.Number == Number)
        {
            return Wh;
        }
        var before = order.Side == EnergySide.Bid
            ? order.Price > Price || (order.Price == Price && order.Number < Number)
            : order.Price < Price || (order.Price == Price && order.Number < Number);
        return before ? order.Wh : 0;
    }
}

/// <summary>A step of a supply or demand curve: at <paramref name="Price"/>, <paramref name="Wh"/> offered (at most that price) or bid (at least it), cumulated.</summary>
public readonly record struct CurvePoint(ulong Price, ulong Wh)
{
    public const int EncodedLength = 16;
}

/// <summary>An interval's clearing (docs/ENERGY.md "Clearing"): one price, the marginal orders, the flexibility need and what covers it, and both curves.</summary>
public sealed record ClearingRecord(
    ulong Price, ulong TradedWh, ulong UncappedWh, Marginal Offer, Marginal Bid, ulong FlexNeedWh, ulong FlexAcceptedWh, Marginal Commit,
    CurvePoint[] Supply, CurvePoint[] Demand, uint Orders, uint Commits, ulong Height, ulong Timestamp) : ICanonical
{
    public ulong ExcessWh => UncappedWh - TradedWh;

    public int EncodedLength =>
        8 + 8 + 8 + (3 * Marginal.EncodedLength) + 8 + 8 + CurveLength(Supply) + CurveLength(Demand) + 4 + 4 + 8 + 8;

    private static int CurveLength(CurvePoint[] curve) => CanonicalSizes.VarUInt((ulong)curve.Length) + (curve.Length * CurvePoint.EncodedLength);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(Price);
        writer.WriteU64(TradedWh);
        writer.WriteU64(UncappedWh);
        Offer.Write(ref writer);
        Bid.Write(ref writer);
        writer.WriteU64(FlexNeedWh);
        writer.WriteU64(FlexAcceptedWh);
        Commit.Write(ref writer);
        WriteCurve(ref writer, Supply);
        WriteCurve(ref writer, Demand);
        writer.WriteU32(Orders);
        writer.WriteU32(Commits);
        writer.WriteU64(Height);
        writer.WriteU64(Timestamp);
    }

    private static void WriteCurve(ref SpanWriter writer, CurvePoint[] curve)
    {
        writer.WriteVarUInt((ulong)curve.Length);
        foreach (var point in curve)
        {
            writer.WriteU64(point.Price);
            writer.WriteU64(point.Wh);
        }
    }

    private static CurvePoint[] ReadCurve(ref SpanReader reader)
    {
        var curve = new CurvePoint[reader.ReadCount(EnergyLimits.MaxCurvePoints)];
        for (var i = 0; i < curve.Length && reader.Ok; i++)
        {
            curve[i] = new CurvePoint(reader.ReadU64(), reader.ReadU64());
        }
        return curve;
    }

    public static ClearingRecord Read(ref SpanReader reader)
    {
        var price = reader.ReadU64();
        var traded = reader.ReadU64();
        var uncapped = reader.ReadU64();
        var offer = Marginal.Read(ref reader);
        var bid = Marginal.Read(ref reader);
        var need = reader.ReadU64();
        var accepted = reader.ReadU64();
        var commit = Marginal.Read(ref reader);
        var supply = ReadCurve(ref reader);
        var demand = ReadCurve(ref reader);
        return new(price, traded, uncapped, offer, bid, need, accepted, commit, supply, demand, reader.ReadU32(), reader.ReadU32(), reader.ReadU64(), reader.ReadU64());
    }
}

/// <summary>What settlement did for one meter in one interval: the energy it counted and the money in and out.</summary>
public sealed record MeterSettlement(ulong SoldWh, ulong BoughtWh, ulong AbsorbedWh, UInt128 Received, UInt128 Paid, UInt128 Returned) : ICanonical
{
    public int EncodedLength => 24 + 48;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(SoldWh);
        writer.WriteU64(BoughtWh);
        writer.WriteU64(AbsorbedWh);
        writer.WriteU128(Received);
        writer.WriteU128(Paid);
        writer.WriteU128(Returned);
    }

    public static MeterSettlement Read(ref SpanReader reader) =>
        new(reader.ReadU64(), reader.ReadU64(), reader.ReadU64(), reader.ReadU128(), reader.ReadU128(), reader.ReadU128());
}

/// <summary>
/// What a meter measured in one interval, from the anchored summaries of its periods (the anchors
/// named, up to 8), whether any was flagged, its battery's lowest and last level; and, once the
/// interval is settled, its settlement (written last, only then).
/// </summary>
public sealed record MeasuredRecord(ulong ExportWh, ulong ImportWh, long SocLow, long SocLast, bool HasSoc, bool Flagged, Hash[] Anchors) : ICanonical
{
    public static MeasuredRecord Empty { get; } = new(0, 0, 0, 0, false, false, []);

    public MeterSettlement? Settlement { get; init; }

    public int EncodedLength =>
        8 + 8 + CanonicalSizes.VarInt(SocLow) + CanonicalSizes.VarInt(SocLast) + 2 + CanonicalSizes.VarUInt((ulong)Anchors.Length) + (Anchors.Length * Hash.Size) +
        (Settlement?.EncodedLength ?? 0);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(ExportWh);
        writer.WriteU64(ImportWh);
        writer.WriteVarInt(SocLow);
        writer.WriteVarInt(SocLast);
        writer.WriteBool(HasSoc);
        writer.WriteBool(Flagged);
        writer.WriteVarUInt((ulong)Anchors.Length);
        foreach (var anchor in Anchors)
        {
            writer.WriteHash(anchor);
        }
        Settlement?.Write(ref writer);
    }

    public static MeasuredRecord Read(ref SpanReader reader)
    {
        var export = reader.ReadU64();
        var import = reader.ReadU64();
        var low = reader.ReadVarInt();
        var last = reader.ReadVarInt();
        var hasSoc = reader.ReadBool();
        var flagged = reader.ReadBool();
        var anchors = new Hash[reader.ReadCount(EnergyLimits.MaxAnchorsNamed)];
        for (var i = 0; i < anchors.Length && reader.Ok; i++)
        {
            anchors[i] = reader.ReadHash();
        }
        var record = new MeasuredRecord(export, import, low, last, hasSoc, flagged, anchors);
        return reader.Ok && reader.Remaining > 0 ? record with { Settlement = MeterSettlement.Read(ref reader) } : record;
    }

    /// <summary>How much the battery charged: the last level over the lowest, in the level's 0.1 % steps (0 without levels).</summary>
    public ulong SocRise => HasSoc && SocLast > SocLow ? (ulong)(SocLast - SocLow) : 0;
}

/// <summary>The start (ms) of a meter's latest anchored period, and its battery's last anchored level.</summary>
public sealed record SeenRecord(ulong LastFrom, long Soc, bool HasSoc) : ICanonical
{
    public int EncodedLength => 8 + CanonicalSizes.VarInt(Soc) + 1;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(LastFrom);
        writer.WriteVarInt(Soc);
        writer.WriteBool(HasSoc);
    }

    public static SeenRecord Read(ref SpanReader reader) => new(reader.ReadU64(), reader.ReadVarInt(), reader.ReadBool());
}

/// <summary>An interval's settlement: how many meters, and where the money went.</summary>
public sealed record SettlementRecord(uint Meters, UInt128 Energy, UInt128 Fees, UInt128 Shortfalls, UInt128 Surpluses, UInt128 Flexibility, UInt128 Remainder, Hash Tx, ulong Height) : ICanonical
{
    public int EncodedLength => 4 + (6 * 16) + Hash.Size + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU32(Meters);
        writer.WriteU128(Energy);
        writer.WriteU128(Fees);
        writer.WriteU128(Shortfalls);
        writer.WriteU128(Surpluses);
        writer.WriteU128(Flexibility);
        writer.WriteU128(Remainder);
        writer.WriteHash(Tx);
        writer.WriteU64(Height);
    }

    public static SettlementRecord Read(ref SpanReader reader) => new(
        reader.ReadU32(), reader.ReadU128(), reader.ReadU128(), reader.ReadU128(), reader.ReadU128(), reader.ReadU128(), reader.ReadU128(), reader.ReadHash(), reader.ReadU64());
}
