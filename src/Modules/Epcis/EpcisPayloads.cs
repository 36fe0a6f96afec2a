using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Merkle;

namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>The five EPCIS 2.0 event types.</summary>
public enum EpcisEventType : byte
{
    Object = 1,
    Aggregation = 2,
    Transformation = 3,
    Transaction = 4,
    Association = 5,
}

/// <summary>An event's action (a TransformationEvent has none).</summary>
public enum EpcisAction : byte
{
    None = 0,
    Add = 1,
    Observe = 2,
    Delete = 3,
}

/// <summary>What an event says beyond its fields, for the public journey.</summary>
[Flags]
public enum EpcisEventFlags : byte
{
    None = 0,
    /// <summary>A sensor report of the event carries an exception (ALARM_CONDITION, ERROR_CONDITION).</summary>
    SensorAlarm = 1,
    /// <summary>The event's sensor data names registered devices (<see cref="EpcisEventRecord.Devices"/> follows the flags).</summary>
    DeviceSeries = 2,
}

/// <summary>What an organisation may do in the epcis module (granted by a quorum of validating organisations).</summary>
[Flags]
public enum EpcisRole : byte
{
    None = 0,
    /// <summary>Its members capture events.</summary>
    Capture = 1,
    /// <summary>Its members record customs declarations and clearances.</summary>
    Customs = 2,
    /// <summary>Its members record inspection results.</summary>
    Inspection = 4,
    All = Capture | Customs | Inspection,
}

public static class EpcisRoles
{
    private static readonly (EpcisRole Role, string Name)[] Names = [(EpcisRole.Capture, "capture"), (EpcisRole.Customs, "customs"), (EpcisRole.Inspection, "inspection")];

    public static string Format(EpcisRole roles) => roles == EpcisRole.None ? "none" : string.Join(',', Names.Where(n => (roles & n.Role) != 0).Select(n => n.Name));

    /// <summary>One role by name; None when unknown.</summary>
    public static EpcisRole Parse(string? name) => Names.FirstOrDefault(n => n.Name == name).Role;
}

/// <summary>
/// One event as the chain sees it: its hash, type, action, time, CBV business step and disposition
/// (the bare term for a CBV one, the URI otherwise), business location, and the identifiers it
/// names (each the path of its canonical Digital Link, e.g. <c>/01/09506000134352/21/ABC123</c>, or
/// the URI itself when it is not a GS1 key): the parent, the items or lots it is about (epcList or
/// childEPCs with their quantity list's classes), a transformation's inputs and outputs, and the
/// owning party a shipment goes to. The leaf an anchor's root covers is RFC 6962 H(0x00 ‖ these bytes),
/// so a receipt proves the effects along with the hash.
/// </summary>
public sealed record EpcisEventRecord(
    Hash Digest, EpcisEventType Type, EpcisAction Action, ulong TimeMs, string BizStep, string Disposition, string Location,
    string Parent, string[] Epcs, string[] Inputs, string[] Outputs, string Owner, EpcisEventFlags Flags) : ICanonical
{
    public const int MaxIdBytes = 256;
    public const int MaxIds = 2_000;

    public const int MaxDevices = 16;

    /// <summary>
    /// The registered devices whose signed readings the event's sensor data is (sensorMetadata
    /// deviceID <c>urn:thingledger:device:{id}</c>); written after the flags only when
    /// <see cref="EpcisEventFlags.DeviceSeries"/> is set, so records without them keep their bytes.
    /// </summary>
    public Address[] Devices { get; init; } = [];

    public int EncodedLength => Hash.Size + 1 + 1 + 8 + CanonicalSizes.String(BizStep) + CanonicalSizes.String(Disposition) + CanonicalSizes.String(Location) +
        CanonicalSizes.String(Parent) + ListLength(Epcs) + ListLength(Inputs) + ListLength(Outputs) + CanonicalSizes.String(Owner) + 1 +
        ((Flags & EpcisEventFlags.DeviceSeries) != 0 ? CanonicalSizes.VarUInt((ulong)Devices.Length) + (Devices.Length * Address.Size) : 0);

    public Hash LeafHash => MerkleTree.LeafHash(Canonical.Encode(this));

    /// <summary>The event's hash as EPCIS writes it.</summary>
    public string HashText => $"ni:///sha-256;{Digest}?ver={EpcisEventHash.Version}";

    /// <summary>Every identifier the event names.</summary>
    public IEnumerable<string> Ids => (Parent.Length > 0 ? [Parent] : Array.Empty<string>()).Concat(Epcs).Concat(Inputs).Concat(Outputs);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(Digest);
        writer.WriteU8((byte)Type);
        writer.WriteU8((byte)Action);
        writer.WriteU64(TimeMs);
        writer.WriteString(BizStep);
        writer.WriteString(Disposition);
        writer.WriteString(Location);
        writer.WriteString(Parent);
        WriteList(ref writer, Epcs);
        WriteList(ref writer, Inputs);
        WriteList(ref writer, Outputs);
        writer.WriteString(Owner);
        writer.WriteU8((byte)Flags);
        if ((Flags & EpcisEventFlags.DeviceSeries) != 0)
        {
            writer.WriteVarUInt((ulong)Devices.Length);
            foreach (var device in Devices)
            {
                writer.WriteAddress(device);
            }
        }
    }

    public static EpcisEventRecord Read(ref SpanReader reader)
    {
        var record = new EpcisEventRecord(
            reader.ReadHash(), (EpcisEventType)reader.ReadU8(), (EpcisAction)reader.ReadU8(), reader.ReadU64(), reader.ReadString(MaxIdBytes), reader.ReadString(MaxIdBytes),
            reader.ReadString(MaxIdBytes), reader.ReadString(MaxIdBytes), ReadList(ref reader), ReadList(ref reader), ReadList(ref reader), reader.ReadString(MaxIdBytes),
            (EpcisEventFlags)reader.ReadU8());
        if ((record.Flags & EpcisEventFlags.DeviceSeries) == 0)
        {
            return record;
        }
        var devices = new Address[reader.ReadCount(MaxDevices)];
        for (var i = 0; i < devices.Length; i++)
        {
            devices[i] = reader.ReadAddress();
        }
        return record with { Devices = devices };
    }

    private static int ListLength(string[] ids) => CanonicalSizes.VarUInt((ulong)ids.Length) + ids.Sum(CanonicalSizes.String);

    private static void WriteList(ref SpanWriter writer, string[] ids)
    {
        writer.WriteVarUInt((ulong)ids.Length);
        foreach (var id in ids)
        {
            writer.WriteString(id);
        }
    }

    private static string[] ReadList(ref SpanReader reader)
    {
        var count = reader.ReadCount(MaxIds);
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = reader.ReadString(MaxIdBytes);
        }
        return ids;
    }
}

/// <summary>
/// How a capturer signs a document (docs/EPCIS.md, "Capture"): its events' records, in document
/// order, are cut into chunks that each fit an anchor tx (greedy: as many records as fit
/// <see cref="ChunkBudgetBytes"/>, at most <see cref="MaxChunkRecords"/>); the capturer signs each
/// chunk's RFC 6962 root over its records' leaves and count:
/// SHA-256(str("thingledger/epcis-capture/v1") ‖ str(chainId) ‖ root ‖ u32 count). The chain checks
/// every chunk's signature against the records it carries, so no node can anchor an event in
/// another's name.
/// </summary>
public static class EpcisCaptureSigning
{
    public const string Tag = "thingledger/epcis-capture/v1";
    public const int ChunkBudgetBytes = 24 * 1024;
    public const int MaxChunkRecords = 1_000;

    /// <summary>The chunks of a document's records: (first record, count) each, in order.</summary>
    public static List<(int Start, int Count)> Chunks(IReadOnlyList<EpcisEventRecord> records)
    {
        var chunks = new List<(int, int)>();
        var start = 0;
        while (start < records.Count)
        {
            var (count, size) = (0, 0);
            while (start + count < records.Count && count < MaxChunkRecords && (count == 0 || size + records[start + count].EncodedLength <= ChunkBudgetBytes))
            {
                size += records[start + count].EncodedLength;
                count++;
            }
            chunks.Add((start, count));
            start += count;
        }
        return chunks;
    }

    public static Hash Digest(string chainId, in Hash root, uint count)
    {
        Span<byte> body = stackalloc byte[Hash.Size + 4];
        var writer = new SpanWriter(body);
        writer.WriteHash(root);
        writer.WriteU32(count);
        return SigningDigest.Compute(Tag, chainId, body);
    }

    /// <summary>The digest the capturer signs for records [start, start + count).</summary>
    public static Hash ChunkDigest(string chainId, IReadOnlyList<EpcisEventRecord> records, int start, int count) =>
        Digest(chainId, EpcisAnchorPayload.RootOf([.. records.Skip(start).Take(count)]), (uint)count);
}

/// <summary>
/// One signed chunk of a capture in an anchor: the capturer's key and signature, and how many of
/// the anchor's records (next in order) it holds.
/// </summary>
public sealed record EpcisChunk(PublicKey Capturer, byte[] Signature, uint Records) : ICanonical
{
    public int EncodedLength => PublicKey.Size + CanonicalSizes.Bytes(Signature.Length) + 4;

    public void Write(ref SpanWriter writer)
    {
        writer.WritePublicKey(Capturer);
        writer.WriteBytes(Signature);
        writer.WriteU32(Records);
    }

    public static EpcisChunk Read(ref SpanReader reader) =>
        new(reader.ReadPublicKey()!, reader.ReadByteArray(72), reader.ReadU32());
}

/// <summary>
/// Payload of epcis "anchor", signed by the custodian node (a validator): the node's event
/// numbers it covers (first..last), the RFC 6962 root over its records' leaves, the signed chunks
/// they belong to, and the records in chunk order.
/// </summary>
public sealed record EpcisAnchorPayload(ulong First, ulong Last, Hash Root, EpcisChunk[] Captures, EpcisEventRecord[] Records) : ICanonical
{
    public const int MaxCaptures = 1_000;
    public const int MaxRecords = 4_000;

    public int EncodedLength => 8 + 8 + Hash.Size + CanonicalSizes.VarUInt((ulong)Captures.Length) + Captures.Sum(c => c.EncodedLength) +
        CanonicalSizes.VarUInt((ulong)Records.Length) + Records.Sum(r => r.EncodedLength);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(First);
        writer.WriteU64(Last);
        writer.WriteHash(Root);
        writer.WriteVarUInt((ulong)Captures.Length);
        foreach (var capture in Captures)
        {
            capture.Write(ref writer);
        }
        writer.WriteVarUInt((ulong)Records.Length);
        foreach (var record in Records)
        {
            record.Write(ref writer);
        }
    }

    public static EpcisAnchorPayload Read(ref SpanReader reader)
    {
        var (first, last, root) = (reader.ReadU64(), reader.ReadU64(), reader.ReadHash());
        var captures = new EpcisChunk[reader.ReadCount(MaxCaptures)];
        for (var i = 0; i < captures.Length; i++)
        {
            captures[i] = EpcisChunk.Read(ref reader);
        }
        var records = new EpcisEventRecord[reader.ReadCount(MaxRecords)];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = EpcisEventRecord.Read(ref reader);
        }
        return new(first, last, root, captures, records);
    }

    public static Hash RootOf(IReadOnlyList<EpcisEventRecord> records)
    {
        var leaves = new Hash[records.Count];
        for (var i = 0; i < leaves.Length; i++)
        {
            leaves[i] = records[i].LeafHash;
        }
        return MerkleTree.Root(leaves);
    }
}

/// <summary>Payload of epcis "role": grant (or revoke) a role to an organisation; an approval by the signer's validating organisation.</summary>
public sealed record EpcisRolePayload(string Org, EpcisRole Role, bool Grant) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Org) + 1 + 1;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Org);
        writer.WriteU8((byte)Role);
        writer.WriteBool(Grant);
    }

    public static EpcisRolePayload Read(ref SpanReader reader) => new(reader.ReadString(64), (EpcisRole)reader.ReadU8(), reader.ReadBool());
}
