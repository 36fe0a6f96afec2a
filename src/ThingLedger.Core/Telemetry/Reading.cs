using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Merkle;

namespace ThingLedger.Core.Telemetry;

/// <summary>
/// One signed measurement of one device, small enough for a microcontroller to build:
/// <c>u8 version ‖ address device ‖ u64 sequence ‖ u64 timestamp ‖ str(32) schema ‖ u16 schemaVersion ‖ varint n ‖ n × zigzag values</c>.
/// The values follow the schema's field order. The bytes are kept from decoding or encoded once.
/// </summary>
public sealed class Reading : ICanonical
{
    public const byte CurrentVersion = 1;
    public const int MaxEncodedBytes = 1 + Address.Size + 8 + 8 + 1 + TelemetrySchema.MaxIdBytes + 2 + 1 + (TelemetrySchema.MaxFields * 10);

    private byte[]? _encoded;
    private Hash _leafHash;
    private volatile bool _hasLeafHash;

    public Reading(Address device, ulong sequence, ulong timestamp, string schema, ushort schemaVersion, long[] values)
    {
        Device = device;
        Sequence = sequence;
        Timestamp = timestamp;
        Schema = schema;
        SchemaVersion = schemaVersion;
        Values = values;
    }

    public Address Device { get; }

    /// <summary>Per device, strictly increasing (gaps allowed).</summary>
    public ulong Sequence { get; }

    /// <summary>When it was measured, by the device's clock: ms since the Unix epoch.</summary>
    public ulong Timestamp { get; }

    public string Schema { get; }

    public ushort SchemaVersion { get; }

    public long[] Values { get; }

    public string SchemaRef => $"{Schema}@{SchemaVersion}";

    public ReadOnlyMemory<byte> Encoded => _encoded ??= Canonical.Encode(this);

    /// <summary>
    /// RFC 6962 leaf hash of the bytes: the reading's leaf in device batch and anchor trees. Kept
    /// once computed (a device batch's check computes it; its anchor uses it again). The flag is
    /// written after the hash and read before it (volatile), so a thread that sees it set sees the
    /// whole hash; two threads computing it at once write the same bytes.
    /// </summary>
    public Hash LeafHash
    {
        get
        {
            if (_hasLeafHash)
            {
                return _leafHash;
            }
            var hash = MerkleTree.LeafHash(Encoded.Span);
            _leafHash = hash;
            _hasLeafHash = true;
            return hash;
        }
    }

    public int EncodedLength
    {
        get
        {
            return 1 + Address.Size + 8 + 8 + CanonicalSizes.String(Schema) + 2 + CanonicalSizes.VarInts(Values);
        }
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU8(CurrentVersion);
        writer.WriteAddress(Device);
        writer.WriteU64(Sequence);
        writer.WriteU64(Timestamp);
        writer.WriteString(Schema);
        writer.WriteU16(SchemaVersion);
        writer.WriteVarInts(Values);
    }

    /// <summary>The digest a device signs for this reading alone.</summary>
    public Hash SigningDigest(string chainId) => Crypto.SigningDigest.Compute(TelemetryTags.Reading, chainId, Encoded.Span);

    public byte[] Sign(KeyPair device, string chainId) => device.Sign(SigningDigest(chainId));

    public static Reading Read(ref SpanReader reader)
    {
        if (reader.ReadU8() != CurrentVersion && reader.Ok)
        {
            reader.Fail(CodecError.UnknownVersion);
        }
        var device = reader.ReadAddress();
        var sequence = reader.ReadU64();
        var timestamp = reader.ReadU64();
        var schema = reader.ReadInternedString(TelemetrySchema.MaxIdBytes, Utf8Interner.SchemaIds);
        var version = reader.ReadU16();
        var values = reader.ReadVarInts(TelemetrySchema.MaxFields);
        return new Reading(device, sequence, timestamp, schema, version, values);
    }

    /// <summary>Strict decode of exactly one reading; the bytes are kept as its encoding.</summary>
    public static CodecError TryDecode(byte[] bytes, out Reading? reading)
    {
        reading = null;
        if (bytes.Length > MaxEncodedBytes)
        {
            return CodecError.LengthTooLarge;
        }
        var reader = new SpanReader(bytes);
        var decoded = Read(ref reader);
        var error = reader.Finish();
        if (error != CodecError.None)
        {
            return error;
        }
        decoded._encoded = bytes;
        reading = decoded;
        return CodecError.None;
    }
}

/// <summary>Domain tags of telemetry signatures.</summary>
public static class TelemetryTags
{
    public const string Reading = "thingledger/reading/v1";
    public const string DeviceBatch = "thingledger/reading-batch/v1";
}
