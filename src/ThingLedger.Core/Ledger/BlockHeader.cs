using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Ledger;

/// <summary>
/// A block header. Its hash (SHA-256 of the canonical bytes) identifies the block; finality
/// comes from the attestations in the block's <see cref="FinalityCertificate"/>.
/// </summary>
public sealed record BlockHeader(
    string ChainId,
    ulong Height,
    Hash PreviousHash,
    ulong Timestamp,
    uint TxCount,
    Hash TxRoot,
    Hash ReceiptsRoot,
    Hash StateRoot) : ICanonical
{
    public const byte CurrentVersion = 1;

    public byte Version => CurrentVersion;

    public int EncodedLength => 1 + CanonicalSizes.String(ChainId) + 8 + Hash.Size + 8 + 4 + (3 * Hash.Size);

    public Hash Hash => Hash.Sha256(Encode());

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU8(Version);
        writer.WriteString(ChainId);
        writer.WriteU64(Height);
        writer.WriteHash(PreviousHash);
        writer.WriteU64(Timestamp);
        writer.WriteU32(TxCount);
        writer.WriteHash(TxRoot);
        writer.WriteHash(ReceiptsRoot);
        writer.WriteHash(StateRoot);
    }

    public byte[] Encode() => Canonical.Encode(this);

    public static CodecError TryDecode(ReadOnlySpan<byte> bytes, out BlockHeader? header)
    {
        var reader = new SpanReader(bytes);
        header = Read(ref reader);
        var error = reader.Finish();
        if (error != CodecError.None)
        {
            header = null;
        }
        return error;
    }

    public static BlockHeader? Read(ref SpanReader reader)
    {
        if (reader.ReadU8() != CurrentVersion)
        {
            reader.Fail(CodecError.UnknownVersion);
            return null;
        }
        var header = new BlockHeader(
            reader.ReadString(Transaction.MaxChainIdBytes),
            reader.ReadU64(),
            reader.ReadHash(),
            reader.ReadU64(),
            reader.ReadU32(),
            reader.ReadHash(),
            reader.ReadHash(),
            reader.ReadHash());
        return reader.Ok ? header : null;
    }
}
