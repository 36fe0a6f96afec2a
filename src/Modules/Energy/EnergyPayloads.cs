using System.Text.Json.Serialization;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Execution.Modules.Energy;

/// <summary>Which way an order trades, or a battery's commitment. Values are stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EnergySide>))]
public enum EnergySide : byte
{
    [JsonStringEnumMemberName("offer")]
    Offer = 0,
    [JsonStringEnumMemberName("bid")]
    Bid = 1,
    [JsonStringEnumMemberName("commit")]
    Commit = 2,
}

public static class EnergyLimits
{
    public const int MaxMarketIdBytes = 64;
    public const int MaxZoneBytes = 64;
    public const ushort MinIntervalMinutes = 5;
    public const ushort WholeBps = 10_000;
    public const int MaxCurvePoints = 512;
    public const int MaxAnchorsNamed = 8;
    public const uint MaxOrdersPerInterval = 100_000;

    /// <summary>The amount for <paramref name="wh"/> at <paramref name="pricePerKwh"/>, rounded down.</summary>
    public static UInt128 Floor(ulong wh, ulong pricePerKwh) => (UInt128)wh * pricePerKwh / 1000;

    /// <summary>The amount for <paramref name="wh"/> at <paramref name="pricePerKwh"/>, rounded up.</summary>
    public static UInt128 Ceiling(ulong wh, ulong pricePerKwh) => (((UInt128)wh * pricePerKwh) + 999) / 1000;

    /// <summary>A price scaled by basis points, rounded down.</summary>
    public static ulong Scale(ulong price, ushort bps) => (ulong)((UInt128)price * bps / WholeBps);
}

/// <summary>Payload of energy "market": a grid operator's local market for one feeder (docs/ENERGY.md "Markets").</summary>
public sealed record MarketTerms(
    string Id, string Zone, string Schema, ushort SchemaVersion, ushort IntervalMinutes, ushort GateMinutes, ulong Floor, ulong Cap, ulong GridFee,
    string Token, ushort ShortBps, ushort LongBps, ulong CapacityWh, ushort SettleWaitMinutes) : ICanonical
{
    public string SchemaRef => $"{Schema}@{SchemaVersion}";

    public ulong IntervalMs => IntervalMinutes * 60_000UL;

    public ulong GateMs => GateMinutes * 60_000UL;

    public ulong SettleWaitMs => SettleWaitMinutes * 60_000UL;

    /// <summary>The most energy a meter of <paramref name="ratingW"/> moves in one interval.</summary>
    public ulong RatingWh(ulong ratingW) => (ulong)UInt128.Min((UInt128)ratingW * IntervalMinutes / 60, ulong.MaxValue);

    public int EncodedLength =>
        CanonicalSizes.String(Id) + CanonicalSizes.String(Zone) + CanonicalSizes.String(Schema) + 2 + 2 + 2 + 8 + 8 + 8 +
        CanonicalSizes.String(Token) + 2 + 2 + 8 + 2;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Id);
        writer.WriteString(Zone);
        writer.WriteString(Schema);
        writer.WriteU16(SchemaVersion);
        writer.WriteU16(IntervalMinutes);
        writer.WriteU16(GateMinutes);
        writer.WriteU64(Floor);
        writer.WriteU64(Cap);
        writer.WriteU64(GridFee);
        writer.WriteString(Token);
        writer.WriteU16(ShortBps);
        writer.WriteU16(LongBps);
        writer.WriteU64(CapacityWh);
        writer.WriteU16(SettleWaitMinutes);
    }

    public static MarketTerms Read(ref SpanReader reader) => new(
        reader.ReadString(EnergyLimits.MaxMarketIdBytes), reader.ReadString(EnergyLimits.MaxZoneBytes), reader.ReadString(TelemetrySchema.MaxIdBytes),
        reader.ReadU16(), reader.ReadU16(), reader.ReadU16(), reader.ReadU64(), reader.ReadU64(), reader.ReadU64(), reader.ReadString(16),
        reader.ReadU16(), reader.ReadU16(), reader.ReadU64(), reader.ReadU16());
}

/// <summary>Payload of energy "join": the owner puts its meter in a market, with what the meter's own key may order and a deposit its orders escrow from.</summary>
public sealed record JoinPayload(string Market, Address Meter, ulong AllowanceWh, ulong AllowancePrice, UInt128 Deposit) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Market) + Address.Size + 8 + 8 + 16;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Market);
        writer.WriteAddress(Meter);
        writer.WriteU64(AllowanceWh);
        writer.WriteU64(AllowancePrice);
        writer.WriteU128(Deposit);
    }

    public static JoinPayload Read(ref SpanReader reader) =>
        new(reader.ReadString(EnergyLimits.MaxMarketIdBytes), reader.ReadAddress(), reader.ReadU64(), reader.ReadU64(), reader.ReadU128());
}

/// <summary>Payload of energy "fund" (adds <paramref name="Amount"/> to the meter's deposit) and "leave" (amount 0: the deposit returns).</summary>
public sealed record MeterFundsPayload(Address Meter, UInt128 Amount) : ICanonical
{
    public int EncodedLength => Address.Size + 16;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(Meter);
        writer.WriteU128(Amount);
    }

    public static MeterFundsPayload Read(ref SpanReader reader) => new(reader.ReadAddress(), reader.ReadU128());
}

/// <summary>Payload of energy "offer", "bid" and "commit": <paramref name="Wh"/> for the interval starting at <paramref name="Interval"/> (ms), at <paramref name="Price"/> per kWh.</summary>
public sealed record EnergyOrderPayload(Address Meter, ulong Interval, ulong Wh, ulong Price) : ICanonical
{
    public int EncodedLength => Address.Size + 8 + 8 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(Meter);
        writer.WriteU64(Interval);
        writer.WriteU64(Wh);
        writer.WriteU64(Price);
    }

    public static EnergyOrderPayload Read(ref SpanReader reader) => new(reader.ReadAddress(), reader.ReadU64(), reader.ReadU64(), reader.ReadU64());
}

/// <summary>Payload of energy "flex": the grid operator asks for <paramref name="Wh"/> to be absorbed in an interval at no more than <paramref name="Price"/> per kWh.</summary>
public sealed record FlexPayload(string Market, ulong Interval, ulong Wh, ulong Price) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Market) + 8 + 8 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Market);
        writer.WriteU64(Interval);
        writer.WriteU64(Wh);
        writer.WriteU64(Price);
    }

    public static FlexPayload Read(ref SpanReader reader) => new(reader.ReadString(EnergyLimits.MaxMarketIdBytes), reader.ReadU64(), reader.ReadU64(), reader.ReadU64());
}

/// <summary>Payload of energy "clear" and "settle": one interval of one market.</summary>
public sealed record IntervalPayload(string Market, ulong Interval) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Market) + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Market);
        writer.WriteU64(Interval);
    }

    public static IntervalPayload Read(ref SpanReader reader) => new(reader.ReadString(EnergyLimits.MaxMarketIdBytes), reader.ReadU64());
}
