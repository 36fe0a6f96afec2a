using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>Payload of epcis "tag": binds an item to the NFC or secure-element tag it carries, a device registered by the organisation that commissioned the item.</summary>
public sealed record EpcisTagPayload(string Item, Address Device) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Item) + Address.Size;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Item);
        writer.WriteAddress(Device);
    }

    public static EpcisTagPayload Read(ref SpanReader reader) => new(reader.ReadString(EpcisEventRecord.MaxIdBytes), reader.ReadAddress());
}

/// <summary>Stored at epcis/tag/{item}: the device (tag) an item carries, and the block that bound it.</summary>
public sealed record TagRecord(Address Device, ulong Height) : ICanonical
{
    public int EncodedLength => Address.Size + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(Device);
        writer.WriteU64(Height);
    }

    public static TagRecord Read(ref SpanReader reader) => new(reader.ReadAddress(), reader.ReadU64());
}

/// <summary>
/// Tap-to-verify (docs/EPCIS.md "Tap to verify"): a node gives a fresh 32-byte challenge for an
/// item; the item's tag signs SHA-256(str("thingledger/epcis-tap/v1") ‖ str(chainId) ‖ str(item) ‖
/// challenge) with its key, which only the genuine tag holds; the node checks the signature with the
/// key of the device bound to the item.
/// </summary>
public static class EpcisTap
{
    public const string Tag = "thingledger/epcis-tap/v1";
    public const int ChallengeBytes = 32;

    /// <summary>What the tag signs for <paramref name="item"/> (its canonical id) and <paramref name="challenge"/>.</summary>
    public static Hash Digest(string chainId, string item, ReadOnlySpan<byte> challenge)
    {
        var body = new byte[CanonicalSizes.String(item) + challenge.Length];
        var writer = new SpanWriter(body);
        writer.WriteString(item);
        writer.WriteFixed(challenge);
        return SigningDigest.Compute(Tag, chainId, body);
    }
}
