using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Ledger;

/// <summary>
/// A signed transaction. The body is every field but the signature; the signature covers
/// SigningDigest("thingledger/tx/v1", chainId, body), and that digest is also the tx id, so
/// the id does not depend on which of the signer's valid signatures was attached.
/// Version 2 adds the gas limit; version 1 (no limit, unmetered) still decodes and executes
/// as it did, so blocks written before version 2 replay to the same receipts, but admission
/// takes only version 2.
/// </summary>
public sealed class Transaction : ICanonical
{
    public const byte CurrentVersion = 2;
    public const byte UnmeteredVersion = 1;
    public const int MaxChainIdBytes = 64;
    public const int MaxNameBytes = 32;
    public const int MaxPayloadBytes = 32 * 1024;
    public const int MaxEncodedBytes = 34 * 1024;

    public Transaction(string chainId, string module, string operation, byte[] payload, PublicKey signer, ulong nonce, ulong expiryHeight, ulong gasLimit, byte[] signature)
        : this(CurrentVersion, chainId, module, operation, payload, signer, nonce, expiryHeight, gasLimit, signature)
    {
    }

    private Transaction(byte version, string chainId, string module, string operation, byte[] payload, PublicKey signer, ulong nonce, ulong expiryHeight, ulong gasLimit, byte[] signature)
    {
        Version = version;
        GasLimit = version == UnmeteredVersion ? 0 : gasLimit;
        ChainId = chainId;
        Module = module;
        Operation = operation;
        Payload = payload;
        Signer = signer;
        Nonce = nonce;
        ExpiryHeight = expiryHeight;
        Signature = signature;
        BodyLength = 1 + CanonicalSizes.String(chainId) + CanonicalSizes.String(module) + CanonicalSizes.String(operation)
            + CanonicalSizes.Bytes(payload.Length) + PublicKey.Size + 8 + 8 + (version == UnmeteredVersion ? 0 : 8);
        Id = SigningDigest.Compute(DomainTags.Transaction, chainId, EncodeBody());
        SignerAddress = signer.ToAddress();
    }

    public byte Version { get; }

    /// <summary>Whether execution meters this tx against <see cref="GasLimit"/> (every version-2 tx).</summary>
    public bool IsMetered => Version != UnmeteredVersion;

    /// <summary>The most gas execution may use for this tx (0 for an unmetered version-1 tx).</summary>
    public ulong GasLimit { get; }
    public string ChainId { get; }
    public string Module { get; }
    public string Operation { get; }
    public byte[] Payload { get; }
    public PublicKey Signer { get; }
    public Address SignerAddress { get; }
    public ulong Nonce { get; }
    public ulong ExpiryHeight { get; }
    public byte[] Signature { get; }

    /// <summary>The signing digest of the body; the transaction's identity.</summary>
    public Hash Id { get; }

    public int BodyLength { get; }

    private byte[]? _encoded;

    /// <summary>The canonical bytes, encoded once (or kept from decoding) and shared: read-only.</summary>
    public ReadOnlyMemory<byte> Encoded => _encoded ??= Canonical.Encode(this);

    public int EncodedLength => BodyLength + Crypto.Signature.Size;

    /// <summary>Builds and signs a transaction with <paramref name="key"/>.</summary>
    public static Transaction Create(string chainId, string module, string operation, byte[] payload, KeyPair key, ulong nonce, ulong expiryHeight, ulong gasLimit = Gas.DefaultTxLimit)
    {
        var unsigned = new Transaction(chainId, module, operation, payload, key.PublicKey, nonce, expiryHeight, gasLimit, new byte[Crypto.Signature.Size]);
        return unsigned.WithSignature(key.Sign(unsigned.Id));
    }

    /// <summary>A version-1 tx (no gas limit), as blocks written before version 2 hold them; for tests of replay and migration.</summary>
    public static Transaction CreateUnmetered(string chainId, string module, string operation, byte[] payload, KeyPair key, ulong nonce, ulong expiryHeight)
    {
        var unsigned = new Transaction(UnmeteredVersion, chainId, module, operation, payload, key.PublicKey, nonce, expiryHeight, 0, new byte[Crypto.Signature.Size]);
        return unsigned.WithSignature(key.Sign(unsigned.Id));
    }

    public Transaction WithSignature(byte[] signature) =>
        new(Version, ChainId, Module, Operation, Payload, Signer, Nonce, ExpiryHeight, GasLimit, signature);

    /// <summary>True when the signature is a valid low-S signature by the signer over <see cref="Id"/>.</summary>
    public bool VerifySignature() => SignatureVerifier.Verify(Signer, Id, Signature);

    public byte[] EncodeBody()
    {
        var bytes = new byte[BodyLength];
        var writer = new SpanWriter(bytes);
        WriteBody(ref writer);
        return bytes;
    }

    private void WriteBody(ref SpanWriter writer)
    {
        writer.WriteU8(Version);
        writer.WriteString(ChainId);
        writer.WriteString(Module);
        writer.WriteString(Operation);
        writer.WriteBytes(Payload);
        writer.WritePublicKey(Signer);
        writer.WriteU64(Nonce);
        writer.WriteU64(ExpiryHeight);
        if (IsMetered)
        {
            writer.WriteU64(GasLimit);
        }
    }

    public void Write(ref SpanWriter writer)
    {
        WriteBody(ref writer);
        writer.WriteFixed(Signature);
    }

    /// <summary>Bytes of a tx list as <see cref="WriteList"/> writes it.</summary>
    public static int ListLength(IReadOnlyList<Transaction> txs)
    {
        var size = CanonicalSizes.VarUInt((ulong)txs.Count);
        foreach (var tx in txs)
        {
            size += CanonicalSizes.Bytes(tx.Encoded.Length);
        }
        return size;
    }

    /// <summary>A tx list: count, then each tx's canonical bytes length-prefixed (blocks in transit, ordering entries).</summary>
    public static void WriteList(ref SpanWriter writer, IReadOnlyList<Transaction> txs)
    {
        writer.WriteVarUInt((ulong)txs.Count);
        foreach (var tx in txs)
        {
            writer.WriteBytes(tx.Encoded.Span);
        }
    }

    /// <summary>A fresh copy of the canonical bytes.</summary>
    public byte[] Encode() => Encoded.ToArray();

    /// <summary>Strictly decodes one transaction that must fill <paramref name="bytes"/> exactly.</summary>
    public static CodecError TryDecode(ReadOnlySpan<byte> bytes, out Transaction? tx)
    {
        tx = null;
        if (bytes.Length > MaxEncodedBytes)
        {
            return CodecError.LengthTooLarge;
        }
        var reader = new SpanReader(bytes);
        tx = Read(ref reader);
        var error = reader.Finish();
        if (error != CodecError.None)
        {
            tx = null;
        }
        else
        {
            tx!._encoded = bytes.ToArray();
        }
        return error;
    }

    public static Transaction? Read(ref SpanReader reader)
    {
        var version = reader.ReadU8();
        if (version is not (CurrentVersion or UnmeteredVersion))
        {
            reader.Fail(CodecError.UnknownVersion);
            return null;
        }
        var chainId = reader.ReadString(MaxChainIdBytes);
        var module = reader.ReadString(MaxNameBytes);
        var operation = reader.ReadString(MaxNameBytes);
        var payload = reader.ReadByteArray(MaxPayloadBytes);
        var signer = reader.ReadPublicKey();
        var nonce = reader.ReadU64();
        var expiry = reader.ReadU64();
        var gasLimit = version == UnmeteredVersion ? 0 : reader.ReadU64();
        var signature = reader.ReadFixed(Crypto.Signature.Size).ToArray();
        return reader.Ok ? new Transaction(version, chainId, module, operation, payload, signer!, nonce, expiry, gasLimit, signature) : null;
    }
}
