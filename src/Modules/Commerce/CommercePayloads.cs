using System.Text.Json.Serialization;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Execution.Modules.Commerce;

/// <summary>What an agreement is for. Values are stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgreementKind>))]
public enum AgreementKind : byte
{
    [JsonStringEnumMemberName("supply")]
    Supply = 0,
    [JsonStringEnumMemberName("repair")]
    Repair = 1,
}

/// <summary>Values are stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgreementStatus>))]
public enum AgreementStatus : byte
{
    [JsonStringEnumMemberName("proposed")]
    Proposed = 0,
    [JsonStringEnumMemberName("active")]
    Active = 1,
    [JsonStringEnumMemberName("closed")]
    Closed = 2,
}

/// <summary>How an order came. Values are stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderSource>))]
public enum OrderSource : byte
{
    [JsonStringEnumMemberName("device")]
    Device = 0,
    [JsonStringEnumMemberName("readings")]
    Readings = 1,
    [JsonStringEnumMemberName("owner")]
    Owner = 2,
}

/// <summary>Where an order is in its life (docs/COMMERCE.md "Fulfilment and payment"). Values are stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CommerceOrderStatus>))]
public enum CommerceOrderStatus : byte
{
    [JsonStringEnumMemberName("placed")]
    Placed = 0,
    [JsonStringEnumMemberName("accepted")]
    Accepted = 1,
    [JsonStringEnumMemberName("shipped")]
    Shipped = 2,
    [JsonStringEnumMemberName("visited")]
    Visited = 3,
    [JsonStringEnumMemberName("delivered")]
    Delivered = 4,
    [JsonStringEnumMemberName("released")]
    Released = 5,
    [JsonStringEnumMemberName("refunded")]
    Refunded = 6,
    [JsonStringEnumMemberName("cancelled")]
    Cancelled = 7,
    [JsonStringEnumMemberName("disputed")]
    Disputed = 8,
    [JsonStringEnumMemberName("resolved")]
    Resolved = 9,
}

/// <summary>Who showed a delivery. Values are stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Confirmation>))]
public enum Confirmation : byte
{
    [JsonStringEnumMemberName("none")]
    None = 0,
    [JsonStringEnumMemberName("courier")]
    Courier = 1,
    [JsonStringEnumMemberName("owner")]
    Owner = 2,
    [JsonStringEnumMemberName("device")]
    Device = 3,
    [JsonStringEnumMemberName("readings")]
    Readings = 4,
}

public static class CommerceLimits
{
    public const int MaxDevices = 64;
    public const int MaxCategories = 8;
    public const int MaxFaults = 16;
    public const int MaxAgreementsPerDevice = 16;
    public const int MaxReferenceBytes = 64;
    public const int MaxTrackingBytes = 128;
    public const ushort WholeBps = 10_000;
    public const uint NoOrder = uint.MaxValue;
}

/// <summary>
/// Payload of commerce "propose": an owner's standing agreement with a retailer (supply) or a
/// service organisation (repair) for its devices (docs/COMMERCE.md "Agreements"). Fields that do
/// not apply to the kind are empty or zero: a supply agreement has no categories, a repair no SKU,
/// courier or trigger field; a supply agreement without a trigger has no schema.
/// </summary>
public sealed record AgreementTerms(
    string Reference, AgreementKind Kind, string Counterparty, Address[] Devices, string Sku, string[] Categories,
    UInt128 Price, uint Quantity, uint MaxOrders, ulong PeriodMs, UInt128 Budget, string Token, ulong DeadlineMs, ulong HoldMs,
    string Arbiter, string Courier, string Schema, ushort SchemaVersion, string Field, long Threshold, long RisePerUnit, ulong UntilMs) : ICanonical
{
    public string SchemaRef => Schema.Length == 0 ? string.Empty : $"{Schema}@{SchemaVersion}";

    public bool HasTrigger => Field.Length > 0;

    public int EncodedLength =>
        CanonicalSizes.String(Reference) + 1 + CanonicalSizes.String(Counterparty) + CanonicalSizes.VarUInt((ulong)Devices.Length) + (Devices.Length * Address.Size) +
        CanonicalSizes.String(Sku) + CommerceCodec.StringsLength(Categories) + 16 + 4 + 4 + 8 + 16 + CanonicalSizes.String(Token) + 8 + 8 +
        CanonicalSizes.String(Arbiter) + CanonicalSizes.String(Courier) + CanonicalSizes.String(Schema) + 2 + CanonicalSizes.String(Field) +
        CanonicalSizes.VarInt(Threshold) + CanonicalSizes.VarInt(RisePerUnit) + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Reference);
        writer.WriteU8((byte)Kind);
        writer.WriteString(Counterparty);
        writer.WriteVarUInt((ulong)Devices.Length);
        foreach (var device in Devices)
        {
            writer.WriteAddress(device);
        }
        writer.WriteString(Sku);
        CommerceCodec.WriteStrings(ref writer, Categories);
        writer.WriteU128(Price);
        writer.WriteU32(Quantity);
        writer.WriteU32(MaxOrders);
        writer.WriteU64(PeriodMs);
        writer.WriteU128(Budget);
        writer.WriteString(Token);
        writer.WriteU64(DeadlineMs);
        writer.WriteU64(HoldMs);
        writer.WriteString(Arbiter);
        writer.WriteString(Courier);
        writer.WriteString(Schema);
        writer.WriteU16(SchemaVersion);
        writer.WriteString(Field);
        writer.WriteVarInt(Threshold);
        writer.WriteVarInt(RisePerUnit);
        writer.WriteU64(UntilMs);
    }

    public static AgreementTerms Read(ref SpanReader reader)
    {
        var reference = reader.ReadString(CommerceLimits.MaxReferenceBytes);
        var kind = reader.ReadU8();
        if (kind > (byte)AgreementKind.Repair)
        {
            reader.Fail(CodecError.InvalidValue);
        }
        var counterparty = reader.ReadString(32);
        var devices = new Address[reader.ReadCount(CommerceLimits.MaxDevices)];
        for (var i = 0; i < devices.Length && reader.Ok; i++)
        {
            devices[i] = reader.ReadAddress();
        }
        return new AgreementTerms(reference, (AgreementKind)kind, counterparty, devices, reader.ReadString(64),
            CommerceCodec.ReadStrings(ref reader, CommerceLimits.MaxCategories, 32), reader.ReadU128(), reader.ReadU32(), reader.ReadU32(), reader.ReadU64(),
            reader.ReadU128(), reader.ReadString(16), reader.ReadU64(), reader.ReadU64(), reader.ReadString(32), reader.ReadString(32),
            reader.ReadString(TelemetrySchema.MaxIdBytes), reader.ReadU16(), reader.ReadString(SchemaField.MaxNameBytes), reader.ReadVarInt(), reader.ReadVarInt(),
            reader.ReadU64());
    }
}

/// <summary>Payload of commerce "countersign", "pause", "resume" and "close": the agreement they act on.</summary>
public sealed record AgreementPayload(Hash Agreement) : ICanonical
{
    public int EncodedLength => Hash.Size;

    public void Write(ref SpanWriter writer) => writer.WriteHash(Agreement);

    public static AgreementPayload Read(ref SpanReader reader) => new(reader.ReadHash());
}

/// <summary>Payload of commerce "order", signed by a device's own key: <paramref name="Units"/> of <paramref name="Sku"/> at <paramref name="UnitPrice"/>.</summary>
public sealed record DeviceOrderPayload(Hash Agreement, string Sku, uint Units, UInt128 UnitPrice) : ICanonical
{
    public int EncodedLength => Hash.Size + CanonicalSizes.String(Sku) + 4 + 16;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(Agreement);
        writer.WriteString(Sku);
        writer.WriteU32(Units);
        writer.WriteU128(UnitPrice);
    }

    public static DeviceOrderPayload Read(ref SpanReader reader) => new(reader.ReadHash(), reader.ReadString(64), reader.ReadU32(), reader.ReadU128());
}

/// <summary>Payload of commerce "repair": the owner opens a repair for a fault recorded in <paramref name="Device"/>'s anchored totals of <paramref name="Day"/>.</summary>
public sealed record RepairPayload(Hash Agreement, Address Device, uint Day, string Category) : ICanonical
{
    public int EncodedLength => Hash.Size + Address.Size + 4 + CanonicalSizes.String(Category);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(Agreement);
        writer.WriteAddress(Device);
        writer.WriteU32(Day);
        writer.WriteString(Category);
    }

    public static RepairPayload Read(ref SpanReader reader) => new(reader.ReadHash(), reader.ReadAddress(), reader.ReadU32(), reader.ReadString(32));
}

/// <summary>Payload of commerce "accept", "confirm", "release", "refund", "cancel" and "dispute": one order of an agreement.</summary>
public sealed record OrderPayload(Hash Agreement, uint Order) : ICanonical
{
    public int EncodedLength => Hash.Size + 4;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(Agreement);
        writer.WriteU32(Order);
    }

    public static OrderPayload Read(ref SpanReader reader) => new(reader.ReadHash(), reader.ReadU32());
}

/// <summary>Payload of commerce "ship": the counterparty ships (or dispatches its technician), with an optional tracking reference.</summary>
public sealed record ShipPayload(Hash Agreement, uint Order, string Tracking) : ICanonical
{
    public int EncodedLength => Hash.Size + 4 + CanonicalSizes.String(Tracking);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(Agreement);
        writer.WriteU32(Order);
        writer.WriteString(Tracking);
    }

    public static ShipPayload Read(ref SpanReader reader) => new(reader.ReadHash(), reader.ReadU32(), reader.ReadString(CommerceLimits.MaxTrackingBytes));
}

/// <summary>Payload of commerce "resolve": a disputed order's owner share in basis points (the rest goes to the payee).</summary>
public sealed record ResolvePayload(Hash Agreement, uint Order, ushort OwnerShareBps) : ICanonical
{
    public int EncodedLength => Hash.Size + 4 + 2;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(Agreement);
        writer.WriteU32(Order);
        writer.WriteU16(OwnerShareBps);
    }

    public static ResolvePayload Read(ref SpanReader reader) => new(reader.ReadHash(), reader.ReadU32(), reader.ReadU16());
}

/// <summary>A screening flag code that means a repair category for a schema's devices.</summary>
public readonly record struct FaultEntry(FlagCode Code, string Category);

/// <summary>Payload of commerce "map-faults": the schema's owner maps flag codes to repair categories (replacing its earlier map).</summary>
public sealed record FaultMapPayload(string Schema, ushort SchemaVersion, FaultEntry[] Faults) : ICanonical
{
    public string SchemaRef => $"{Schema}@{SchemaVersion}";

    public int EncodedLength => CanonicalSizes.String(Schema) + 2 + CommerceCodec.FaultsLength(Faults);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Schema);
        writer.WriteU16(SchemaVersion);
        CommerceCodec.WriteFaults(ref writer, Faults);
    }

    public static FaultMapPayload Read(ref SpanReader reader) =>
        new(reader.ReadString(TelemetrySchema.MaxIdBytes), reader.ReadU16(), CommerceCodec.ReadFaults(ref reader));
}

/// <summary>Encodings the commerce payloads and records share.</summary>
public static class CommerceCodec
{
    public static int StringsLength(string[] values) => CanonicalLists.StringsLength(values);

    public static void WriteStrings(ref SpanWriter writer, string[] values) => CanonicalLists.WriteStrings(ref writer, values);

    public static string[] ReadStrings(ref SpanReader reader, int max, int maxBytes) => CanonicalLists.ReadStrings(ref reader, max, maxBytes);

    public static int FaultsLength(FaultEntry[] faults)
    {
        var size = CanonicalSizes.VarUInt((ulong)faults.Length);
        foreach (var fault in faults)
        {
            size += 2 + CanonicalSizes.String(fault.Category);
        }
        return size;
    }

    public static void WriteFaults(ref SpanWriter writer, FaultEntry[] faults)
    {
        writer.WriteVarUInt((ulong)faults.Length);
        foreach (var fault in faults)
        {
            writer.WriteU16((ushort)fault.Code);
            writer.WriteString(fault.Category);
        }
    }

    public static FaultEntry[] ReadFaults(ref SpanReader reader)
    {
        var faults = new FaultEntry[reader.ReadCount(CommerceLimits.MaxFaults)];
        for (var i = 0; i < faults.Length && reader.Ok; i++)
        {
            faults[i] = new FaultEntry((FlagCode)reader.ReadU16(), reader.ReadString(32));
        }
        return reader.Ok ? faults : [];
    }
}
