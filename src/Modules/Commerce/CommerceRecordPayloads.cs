using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Execution.Modules.Commerce;

/// <summary>
/// Stored at commerce/agreement/{id}: the terms, where the agreement is, who is paid, and its
/// money: what the escrow holds for it, what open orders reserve of that, what was paid to the
/// payee and refunded to the owner; how many orders it has, and the current period's count.
/// </summary>
public sealed record AgreementRecord(
    Hash Id, Address Owner, AgreementTerms Terms, AgreementStatus Status, bool Paused, Address Payee, ulong StartMs,
    UInt128 Escrowed, UInt128 Reserved, UInt128 Paid, UInt128 Refunded, uint Orders, ulong Period, uint PeriodOrders, Hash ProposeTx, ulong Height) : ICanonical
{
    /// <summary>What the budget has left for new orders.</summary>
    public UInt128 Available => Escrowed - Reserved;

    public int EncodedLength => Hash.Size + Address.Size + Terms.EncodedLength + 1 + 1 + Address.Size + 8 + (16 * 4) + 4 + 8 + 4 + Hash.Size + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(Id);
        writer.WriteAddress(Owner);
        Terms.Write(ref writer);
        writer.WriteU8((byte)Status);
        writer.WriteBool(Paused);
        writer.WriteAddress(Payee);
        writer.WriteU64(StartMs);
        writer.WriteU128(Escrowed);
        writer.WriteU128(Reserved);
        writer.WriteU128(Paid);
        writer.WriteU128(Refunded);
        writer.WriteU32(Orders);
        writer.WriteU64(Period);
        writer.WriteU32(PeriodOrders);
        writer.WriteHash(ProposeTx);
        writer.WriteU64(Height);
    }

    public static AgreementRecord Read(ref SpanReader reader) => new(
        reader.ReadHash(), reader.ReadAddress(), AgreementTerms.Read(ref reader), (AgreementStatus)reader.ReadU8(), reader.ReadBool(), reader.ReadAddress(),
        reader.ReadU64(), reader.ReadU128(), reader.ReadU128(), reader.ReadU128(), reader.ReadU128(), reader.ReadU32(), reader.ReadU64(), reader.ReadU32(),
        reader.ReadHash(), reader.ReadU64());
}

/// <summary>
/// What placed an order from readings (or a repair from a fault): the anchor tx, the summary's
/// day and sequence range, the level of the trigger field (supply) or the flag, its category and
/// the screening model (repair). All zero or empty for an order a device signed.
/// </summary>
public sealed record OrderTrigger(Hash AnchorTx, uint Day, ulong FirstSequence, ulong LastSequence, long Level, FlagCode Flag, string Category, string Model) : ICanonical
{
    public static OrderTrigger None { get; } = new(Hash.Zero, 0, 0, 0, 0, 0, string.Empty, string.Empty);

    public int EncodedLength => Hash.Size + 4 + 8 + 8 + CanonicalSizes.VarInt(Level) + 2 + CanonicalSizes.String(Category) + CanonicalSizes.String(Model);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(AnchorTx);
        writer.WriteU32(Day);
        writer.WriteU64(FirstSequence);
        writer.WriteU64(LastSequence);
        writer.WriteVarInt(Level);
        writer.WriteU16((ushort)Flag);
        writer.WriteString(Category);
        writer.WriteString(Model);
    }

    public static OrderTrigger Read(ref SpanReader reader) => new(
        reader.ReadHash(), reader.ReadU32(), reader.ReadU64(), reader.ReadU64(), reader.ReadVarInt(), (FlagCode)reader.ReadU16(), reader.ReadString(32),
        reader.ReadString(DeviceSummary.MaxModelBytes));
}

/// <summary>
/// Stored at commerce/order/{agreement}/{n}: one order and its life — placed, shipped (with the
/// lowest level seen since, for a delivery shown by readings), visited, delivered (by whom, and
/// the reading sequence that showed it), closed, and what went to the owner at the end.
/// </summary>
public sealed record CommerceOrderRecord(
    uint Number, Address Device, OrderSource Source, uint Units, UInt128 UnitPrice, UInt128 Amount, CommerceOrderStatus Status,
    ulong PlacedMs, ulong DeadlineMs, Hash PlacedTx, ulong Height, OrderTrigger Trigger,
    string Tracking, ulong ShippedMs, long LowSince, ulong VisitedMs, ulong DeliveredMs, Confirmation DeliveredBy, Address Confirmer, ulong EvidenceSequence,
    ulong ClosedMs, UInt128 OwnerAmount) : ICanonical
{
    /// <summary>Not yet released, refunded, cancelled or resolved: the device's one open order under its agreement.</summary>
    public bool Open => Status is not (CommerceOrderStatus.Released or CommerceOrderStatus.Refunded or CommerceOrderStatus.Cancelled or CommerceOrderStatus.Resolved);

    public int EncodedLength => 4 + Address.Size + 1 + 4 + 16 + 16 + 1 + 8 + 8 + Hash.Size + 8 + Trigger.EncodedLength +
        CanonicalSizes.String(Tracking) + 8 + CanonicalSizes.VarInt(LowSince) + 8 + 8 + 1 + Address.Size + 8 + 8 + 16;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU32(Number);
        writer.WriteAddress(Device);
        writer.WriteU8((byte)Source);
        writer.WriteU32(Units);
        writer.WriteU128(UnitPrice);
        writer.WriteU128(Amount);
        writer.WriteU8((byte)Status);
        writer.WriteU64(PlacedMs);
        writer.WriteU64(DeadlineMs);
        writer.WriteHash(PlacedTx);
        writer.WriteU64(Height);
        Trigger.Write(ref writer);
        writer.WriteString(Tracking);
        writer.WriteU64(ShippedMs);
        writer.WriteVarInt(LowSince);
        writer.WriteU64(VisitedMs);
        writer.WriteU64(DeliveredMs);
        writer.WriteU8((byte)DeliveredBy);
        writer.WriteAddress(Confirmer);
        writer.WriteU64(EvidenceSequence);
        writer.WriteU64(ClosedMs);
        writer.WriteU128(OwnerAmount);
    }

    public static CommerceOrderRecord Read(ref SpanReader reader) => new(
        reader.ReadU32(), reader.ReadAddress(), (OrderSource)reader.ReadU8(), reader.ReadU32(), reader.ReadU128(), reader.ReadU128(),
        (CommerceOrderStatus)reader.ReadU8(), reader.ReadU64(), reader.ReadU64(), reader.ReadHash(), reader.ReadU64(), OrderTrigger.Read(ref reader),
        reader.ReadString(CommerceLimits.MaxTrackingBytes), reader.ReadU64(), reader.ReadVarInt(), reader.ReadU64(), reader.ReadU64(),
        (Confirmation)reader.ReadU8(), reader.ReadAddress(), reader.ReadU64(), reader.ReadU64(), reader.ReadU128());
}

/// <summary>One agreement covering a device: its open order there (or <see cref="CommerceLimits.NoOrder"/>) and the last sequence that triggered one.</summary>
public readonly record struct DeviceAgreement(Hash Agreement, uint OpenOrder, ulong LastTrigger);

/// <summary>Stored at commerce/device/{device}: the agreements that cover the device, in the order they were proposed.</summary>
public sealed record DeviceAgreementsRecord(DeviceAgreement[] Entries) : ICanonical
{
    public static DeviceAgreementsRecord Empty { get; } = new([]);

    public int EncodedLength => CanonicalSizes.VarUInt((ulong)Entries.Length) + (Entries.Length * (Hash.Size + 4 + 8));

    public void Write(ref SpanWriter writer)
    {
        writer.WriteVarUInt((ulong)Entries.Length);
        foreach (var entry in Entries)
        {
            writer.WriteHash(entry.Agreement);
            writer.WriteU32(entry.OpenOrder);
            writer.WriteU64(entry.LastTrigger);
        }
    }

    public static DeviceAgreementsRecord Read(ref SpanReader reader)
    {
        var entries = new DeviceAgreement[reader.ReadCount(CommerceLimits.MaxAgreementsPerDevice)];
        for (var i = 0; i < entries.Length && reader.Ok; i++)
        {
            entries[i] = new DeviceAgreement(reader.ReadHash(), reader.ReadU32(), reader.ReadU64());
        }
        return new DeviceAgreementsRecord(reader.Ok ? entries : []);
    }
}

/// <summary>Stored at commerce/faults/{schema@version}: the schema's flag code → repair category map, and the org that set it.</summary>
public sealed record FaultMapRecord(FaultEntry[] Faults, string Org, ulong Height) : ICanonical
{
    public int EncodedLength => CommerceCodec.FaultsLength(Faults) + CanonicalSizes.String(Org) + 8;

    public string? CategoryOf(FlagCode code)
    {
        foreach (var fault in Faults)
        {
            if (fault.Code == code)
            {
                return fault.Category;
            }
        }
        return null;
    }

    public void Write(ref SpanWriter writer)
    {
        CommerceCodec.WriteFaults(ref writer, Faults);
        writer.WriteString(Org);
        writer.WriteU64(Height);
    }

    public static FaultMapRecord Read(ref SpanReader reader) => new(CommerceCodec.ReadFaults(ref reader), reader.ReadString(32), reader.ReadU64());
}

/// <summary>Stored at commerce/resolution/{agreement}/{n}/{party}: the split one party proposed for a disputed order.</summary>
public sealed record ResolutionRecord(ushort OwnerShareBps, Address By) : ICanonical
{
    public int EncodedLength => 2 + Address.Size;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU16(OwnerShareBps);
        writer.WriteAddress(By);
    }

    public static ResolutionRecord Read(ref SpanReader reader) => new(reader.ReadU16(), reader.ReadAddress());
}
