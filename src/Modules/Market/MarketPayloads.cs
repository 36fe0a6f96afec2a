using System.Text.Json.Serialization;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Market;

/// <summary>Values are stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderSide>))]
public enum OrderSide : byte
{
    [JsonStringEnumMemberName("buy")]
    Buy = 0,
    [JsonStringEnumMemberName("sell")]
    Sell = 1,
}

/// <summary>Values are stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderStatus>))]
public enum OrderStatus : byte
{
    [JsonStringEnumMemberName("open")]
    Open = 0,
    [JsonStringEnumMemberName("filled")]
    Filled = 1,
    [JsonStringEnumMemberName("cancelled")]
    Cancelled = 2,
}

/// <summary>
/// Payload of market "place": a limit order for the pair (base = a carbon credit, quote = the
/// payment token). Price is quote units per base unit; amount is base units. Both are signed on
/// the wire so that a zero or negative one is refused by execution, not lost in decoding.
/// </summary>
public sealed record PlaceOrderPayload(string Base, string Quote, OrderSide Side, long Price, long Amount) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Base) + CanonicalSizes.String(Quote) + 1 + CanonicalSizes.VarInt(Price) + CanonicalSizes.VarInt(Amount);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Base);
        writer.WriteString(Quote);
        writer.WriteU8((byte)Side);
        writer.WriteVarInt(Price);
        writer.WriteVarInt(Amount);
    }

    public static PlaceOrderPayload Read(ref SpanReader reader) =>
        new(reader.ReadString(16), reader.ReadString(16), (OrderSide)reader.ReadU8(), reader.ReadVarInt(), reader.ReadVarInt());
}

/// <summary>Payload of market "cancel".</summary>
public sealed record CancelOrderPayload(ulong Order) : ICanonical
{
    public int EncodedLength => 8;

    public void Write(ref SpanWriter writer) => writer.WriteU64(Order);

    public static CancelOrderPayload Read(ref SpanReader reader) => new(reader.ReadU64());
}

/// <summary>Stored at market/order/{id}: an order as placed, what is left of it, and whether it is still in the book.</summary>
public sealed record OrderRecord(
    ulong Id, Address Owner, string Base, string Quote, OrderSide Side, long Price, long Amount, long Remaining, OrderStatus Status, ulong Height, Hash Tx)
    : ICanonical
{
    public int EncodedLength => 8 + Address.Size + CanonicalSizes.String(Base) + CanonicalSizes.String(Quote) + 1 + 8 + 8 + 8 + 1 + 8 + Hash.Size;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(Id);
        writer.WriteAddress(Owner);
        writer.WriteString(Base);
        writer.WriteString(Quote);
        writer.WriteU8((byte)Side);
        writer.WriteU64((ulong)Price);
        writer.WriteU64((ulong)Amount);
        writer.WriteU64((ulong)Remaining);
        writer.WriteU8((byte)Status);
        writer.WriteU64(Height);
        writer.WriteHash(Tx);
    }

    public static OrderRecord Read(ref SpanReader reader) => new(
        reader.ReadU64(), reader.ReadAddress(), reader.ReadString(16), reader.ReadString(16), (OrderSide)reader.ReadU8(),
        (long)reader.ReadU64(), (long)reader.ReadU64(), (long)reader.ReadU64(), (OrderStatus)reader.ReadU8(), reader.ReadU64(), reader.ReadHash());
}

/// <summary>One price level of a book side: its price and its orders, oldest first.</summary>
public sealed record PriceLevel(long Price, ulong[] Orders) : ICanonical
{
    public int EncodedLength => 8 + CanonicalSizes.VarUInt((ulong)Orders.Length) + (8 * Orders.Length);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64((ulong)Price);
        writer.WriteVarUInt((ulong)Orders.Length);
        foreach (var order in Orders)
        {
            writer.WriteU64(order);
        }
    }

    public static PriceLevel Read(ref SpanReader reader)
    {
        var price = (long)reader.ReadU64();
        var orders = new ulong[reader.ReadCount(BookSide.MaxOrders)];
        for (var i = 0; i < orders.Length && reader.Ok; i++)
        {
            orders[i] = reader.ReadU64();
        }
        return new PriceLevel(price, orders);
    }
}

/// <summary>
/// Stored at market/book/{base}/{quote}/{buy|sell}: the resting orders of one side, best price
/// first (highest bid, lowest ask), each level oldest first. Bounded, so matching is bounded.
/// </summary>
public sealed record BookSide(PriceLevel[] Levels) : ICanonical
{
    public const int MaxOrders = 1_000;

    public static BookSide Empty { get; } = new([]);

    public int EncodedLength => CanonicalList.Length(Levels);

    public int OrderCount => Levels.Sum(l => l.Orders.Length);

    public void Write(ref SpanWriter writer) => CanonicalList.Write(ref writer, Levels);

    public static BookSide Read(ref SpanReader reader) => new(CanonicalList.Read(ref reader, MaxOrders, PriceLevel.Read));
}

/// <summary>Stored at market/trade/{base}/{quote}/{n}: one fill, at the resting order's price.</summary>
public sealed record TradeRecord(
    ulong Number, ulong BuyOrder, ulong SellOrder, Address Buyer, Address Seller, long Price, long Amount, OrderSide Taker, ulong Height, ulong Timestamp, Hash Tx)
    : ICanonical
{
    public int EncodedLength => 8 + 8 + 8 + Address.Size + Address.Size + 8 + 8 + 1 + 8 + 8 + Hash.Size;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(Number);
        writer.WriteU64(BuyOrder);
        writer.WriteU64(SellOrder);
        writer.WriteAddress(Buyer);
        writer.WriteAddress(Seller);
        writer.WriteU64((ulong)Price);
        writer.WriteU64((ulong)Amount);
        writer.WriteU8((byte)Taker);
        writer.WriteU64(Height);
        writer.WriteU64(Timestamp);
        writer.WriteHash(Tx);
    }

    public static TradeRecord Read(ref SpanReader reader) => new(
        reader.ReadU64(), reader.ReadU64(), reader.ReadU64(), reader.ReadAddress(), reader.ReadAddress(), (long)reader.ReadU64(), (long)reader.ReadU64(),
        (OrderSide)reader.ReadU8(), reader.ReadU64(), reader.ReadU64(), reader.ReadHash());
}
