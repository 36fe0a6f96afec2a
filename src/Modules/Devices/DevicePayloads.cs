using System.Text.Json.Serialization;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Devices;

/// <summary>A metadata entry of a device (e.g. "firmware" = "2.4.1"). Entries are sorted by key, keys unique.</summary>
public readonly record struct MetadataEntry(string Key, string Value);

internal static class Metadata
{
    public const int MaxEntries = 16;
    public const int MaxValueLength = 256;

    public static int Size(MetadataEntry[] entries)
    {
        var size = CanonicalSizes.VarUInt((ulong)entries.Length);
        foreach (var e in entries)
        {
            size += CanonicalSizes.String(e.Key) + CanonicalSizes.String(e.Value);
        }
        return size;
    }

    public static void Write(ref SpanWriter writer, MetadataEntry[] entries)
    {
        writer.WriteVarUInt((ulong)entries.Length);
        foreach (var e in entries)
        {
            writer.WriteString(e.Key);
            writer.WriteString(e.Value);
        }
    }

    public static MetadataEntry[] Read(ref SpanReader reader)
    {
        var count = reader.ReadCount(MaxEntries);
        var entries = new MetadataEntry[reader.Ok ? count : 0];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new MetadataEntry(reader.ReadString(64), reader.ReadString(MaxValueLength * 4));
            if (reader.Ok && i > 0 && string.CompareOrdinal(entries[i - 1].Key, entries[i].Key) >= 0)
            {
                reader.Fail(CodecError.NotSorted);
            }
        }
        return entries;
    }
}

/// <summary>
/// Payload of devices "register". The device id is the address of <see cref="PublicKey"/>.
/// <see cref="Possession"/> is the device key's signature of <see cref="DeviceRegistration.Digest"/>
/// (chain, registering organisation, serial): proof that the registrant holds the device, so no
/// one can register a key that is not theirs. Version-2 txs must carry it; version-1 payloads
/// end after the metadata.
/// </summary>
public sealed record RegisterDevicePayload(PublicKey PublicKey, string Model, string Serial, Address Owner, MetadataEntry[] Metadata, byte[]? Possession = null) : ICanonical
{
    public int EncodedLength => PublicKey.Size + CanonicalSizes.String(Model) + CanonicalSizes.String(Serial) + Address.Size + Devices.Metadata.Size(Metadata)
        + (Possession is null ? 0 : Signature.Size);

    public void Write(ref SpanWriter writer)
    {
        writer.WritePublicKey(PublicKey);
        writer.WriteString(Model);
        writer.WriteString(Serial);
        writer.WriteAddress(Owner);
        Devices.Metadata.Write(ref writer, Metadata);
        if (Possession is not null)
        {
            writer.WriteFixed(Possession);
        }
    }

    public static RegisterDevicePayload Read(ref SpanReader reader) =>
        new(reader.ReadPublicKey()!, reader.ReadString(256), reader.ReadString(256), reader.ReadAddress(), Devices.Metadata.Read(ref reader),
            reader.Ok && reader.Remaining > 0 ? reader.ReadFixed(Signature.Size).ToArray() : null);
}

/// <summary>What a device key signs to prove it is being registered by whoever holds it.</summary>
public static class DeviceRegistration
{
    /// <summary>SigningDigest("thingledger/device-registration/v1", chainId, str org ‖ str serial).</summary>
    public static Hash Digest(string chainId, string org, string serial)
    {
        var body = new byte[CanonicalSizes.String(org) + CanonicalSizes.String(serial)];
        var writer = new SpanWriter(body);
        writer.WriteString(org);
        writer.WriteString(serial);
        return SigningDigest.Compute(DomainTags.DeviceRegistration, chainId, body);
    }

    /// <summary>The device's proof of possession, signed with its key (in a secure element this runs on the device).</summary>
    public static byte[] Prove(KeyPair device, string chainId, string org, string serial) => device.Sign(Digest(chainId, org, serial));
}

/// <summary>Payload of devices "transfer": the current owner hands the device to a new owner.</summary>
public sealed record TransferDevicePayload(Address Device, Address NewOwner) : ICanonical
{
    public int EncodedLength => 2 * Address.Size;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(Device);
        writer.WriteAddress(NewOwner);
    }

    public static TransferDevicePayload Read(ref SpanReader reader) => new(reader.ReadAddress(), reader.ReadAddress());
}

/// <summary>Payload of devices "revoke": the device's organisation withdraws it (e.g. compromised key).</summary>
public sealed record RevokeDevicePayload(Address Device, string Reason) : ICanonical
{
    public const int MaxReasonLength = 256;

    public int EncodedLength => Address.Size + CanonicalSizes.String(Reason);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteAddress(Device);
        writer.WriteString(Reason);
    }

    public static RevokeDevicePayload Read(ref SpanReader reader) => new(reader.ReadAddress(), reader.ReadString(MaxReasonLength * 4));
}

[JsonConverter(typeof(JsonStringEnumConverter<DeviceStatus>))]
public enum DeviceStatus : byte
{
    [JsonStringEnumMemberName("active")]
    Active = 0,
    [JsonStringEnumMemberName("revoked")]
    Revoked = 1,
}

/// <summary>Stored at devices/device/{id}.</summary>
public sealed record DeviceRecord(
    PublicKey PublicKey, string Org, string Model, string Serial, Address Owner, MetadataEntry[] Metadata,
    DeviceStatus Status, ulong RegisteredAt, ulong RevokedAt, string RevokeReason) : ICanonical
{
    public Address Id => PublicKey.ToAddress();

    public int EncodedLength =>
        PublicKey.Size + CanonicalSizes.String(Org) + CanonicalSizes.String(Model) + CanonicalSizes.String(Serial) + Address.Size
        + Devices.Metadata.Size(Metadata) + 1 + 8 + 8 + CanonicalSizes.String(RevokeReason);

    public void Write(ref SpanWriter writer)
    {
        writer.WritePublicKey(PublicKey);
        writer.WriteString(Org);
        writer.WriteString(Model);
        writer.WriteString(Serial);
        writer.WriteAddress(Owner);
        Devices.Metadata.Write(ref writer, Metadata);
        writer.WriteU8((byte)Status);
        writer.WriteU64(RegisteredAt);
        writer.WriteU64(RevokedAt);
        writer.WriteString(RevokeReason);
    }

    public static DeviceRecord Read(ref SpanReader reader) => new(
        reader.ReadPublicKey()!, reader.ReadString(Transaction.MaxNameBytes), reader.ReadString(256), reader.ReadString(256),
        reader.ReadAddress(), Devices.Metadata.Read(ref reader), (DeviceStatus)reader.ReadU8(), reader.ReadU64(), reader.ReadU64(),
        reader.ReadString(RevokeDevicePayload.MaxReasonLength * 4));

    public bool Equals(DeviceRecord? other) =>
        other is not null && PublicKey.Equals(other.PublicKey) && Org == other.Org && Model == other.Model && Serial == other.Serial &&
        Owner == other.Owner && Metadata.AsSpan().SequenceEqual(other.Metadata) && Status == other.Status &&
        RegisteredAt == other.RegisteredAt && RevokedAt == other.RevokedAt && RevokeReason == other.RevokeReason;

    public override int GetHashCode() => PublicKey.GetHashCode();
}
