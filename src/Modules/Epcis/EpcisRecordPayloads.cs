using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>Where an item is in its life.</summary>
public enum ItemStatus : byte
{
    /// <summary>Commissioned and in circulation.</summary>
    Active = 1,
    Decommissioned = 2,
    Destroyed = 3,
    /// <summary>Handed to a patient at the point of dispense (a medicine pack).</summary>
    Dispensed = 4,
    /// <summary>An input a transformation used up.</summary>
    Transformed = 5,
}

/// <summary>
/// Stored at epcis/item/{id}: one item, lot or logistic unit — its status, who commissioned it and
/// when, the container it is in (empty when none), its owner (an owning party's id, or the
/// capturing organisation), its last event (hash and organisation), when and where it was last seen
/// at a place (the time of its last event while it has none), how many events name it and how many flags it carries.
/// </summary>
public sealed record ItemRecord(
    string Id, ItemStatus Status, string CommissionedBy, ulong CommissionedMs, string Container, string Owner,
    Hash LastEvent, ulong LastMs, string LastLocation, string LastOrg, uint Events, uint Flags) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Id) + 1 + CanonicalSizes.String(CommissionedBy) + 8 + CanonicalSizes.String(Container) + CanonicalSizes.String(Owner) +
        Hash.Size + 8 + CanonicalSizes.String(LastLocation) + CanonicalSizes.String(LastOrg) + 4 + 4;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Id);
        writer.WriteU8((byte)Status);
        writer.WriteString(CommissionedBy);
        writer.WriteU64(CommissionedMs);
        writer.WriteString(Container);
        writer.WriteString(Owner);
        writer.WriteHash(LastEvent);
        writer.WriteU64(LastMs);
        writer.WriteString(LastLocation);
        writer.WriteString(LastOrg);
        writer.WriteU32(Events);
        writer.WriteU32(Flags);
    }

    public static ItemRecord Read(ref SpanReader reader) => new(
        reader.ReadString(EpcisEventRecord.MaxIdBytes), (ItemStatus)reader.ReadU8(), reader.ReadString(64), reader.ReadU64(), reader.ReadString(EpcisEventRecord.MaxIdBytes),
        reader.ReadString(EpcisEventRecord.MaxIdBytes), reader.ReadHash(), reader.ReadU64(), reader.ReadString(EpcisEventRecord.MaxIdBytes), reader.ReadString(64),
        reader.ReadU32(), reader.ReadU32());
}

/// <summary>Stored at epcis/flag/{id}/{n}: why an item is suspect — the event, the rule's code and the reason in words.</summary>
public sealed record ItemFlagRecord(Hash Event, string Code, string Reason, ulong Height) : ICanonical
{
    public int EncodedLength => Hash.Size + CanonicalSizes.String(Code) + CanonicalSizes.String(Reason) + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(Event);
        writer.WriteString(Code);
        writer.WriteString(Reason);
        writer.WriteU64(Height);
    }

    public static ItemFlagRecord Read(ref SpanReader reader) => new(reader.ReadHash(), reader.ReadString(64), reader.ReadString(1024), reader.ReadU64());
}

/// <summary>Stored at epcis/event/{digest}: an anchored event — the block, the capturing organisation and member, and the root of the signed chunk it came in.</summary>
public sealed record EventIndexRecord(ulong Height, string Org, Address Capturer, Hash ChunkRoot, EpcisEventType Type, ulong TimeMs) : ICanonical
{
    public int EncodedLength => 8 + CanonicalSizes.String(Org) + Address.Size + Hash.Size + 1 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(Height);
        writer.WriteString(Org);
        writer.WriteAddress(Capturer);
        writer.WriteHash(ChunkRoot);
        writer.WriteU8((byte)Type);
        writer.WriteU64(TimeMs);
    }

    public static EventIndexRecord Read(ref SpanReader reader) => new(reader.ReadU64(), reader.ReadString(64), reader.ReadAddress(), reader.ReadHash(), (EpcisEventType)reader.ReadU8(), reader.ReadU64());
}

/// <summary>A list of ids: the validating organisations that approved a role proposal (epcis/role-proposal/{org}/{role}/{grant|revoke}), or what a container holds (epcis/contents/{parent}).</summary>
public sealed record IdListRecord(string[] Ids) : ICanonical
{
    public const int MaxIds = 100_000;

    public int EncodedLength => CanonicalSizes.VarUInt((ulong)Ids.Length) + Ids.Sum(CanonicalSizes.String);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteVarUInt((ulong)Ids.Length);
        foreach (var org in Ids)
        {
            writer.WriteString(org);
        }
    }

    public static IdListRecord Read(ref SpanReader reader)
    {
        var approvals = new string[reader.ReadCount(MaxIds)];
        for (var i = 0; i < approvals.Length; i++)
        {
            approvals[i] = reader.ReadString(EpcisEventRecord.MaxIdBytes);
        }
        return new(approvals);
    }
}
