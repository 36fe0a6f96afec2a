using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Ordering.Etcd;

/// <summary>A validator's attestation of one block as published on the ordering log.</summary>
public sealed record AttestationMessage(ulong Height, Hash BlockHash, Hash StateRoot, Attestation Attestation)
{
    /// <summary>The signature is the validator's over (chain id, height, block hash, state root).</summary>
    public bool Verify(string chainId) => SignatureVerifier.Verify(
        Attestation.Validator, DomainTags.Attestation, chainId, Core.Ledger.Attestation.Body(Height, BlockHash, StateRoot), Attestation.Signature);
}

/// <summary>
/// The records peers write to etcd, each a value under the chain's prefix (docs/CONSORTIUM.md):
/// a tx entry (txs in the order one peer admitted them) under {prefix}/log, a cut under
/// {prefix}/cut/{height}, an attestation under {prefix}/att/{validator}. Each starts with a
/// version and a kind byte; decoding is strict, and a record that does not decode is ignored
/// by every peer alike.
/// </summary>
public static class OrderingLog
{
    public const byte Version = 1;
    public const byte KindTxs = 1;
    public const byte KindCut = 2;
    public const byte KindAttestation = 3;

    /// <summary>Txs in one entry, kept well under etcd's default 1.5 MiB request limit.</summary>
    public const int MaxEntryBytes = 1024 * 1024;
    public const int MaxEntryTxs = 10_000;

    public static string LogKey(string prefix) => prefix + "/log";

    public static string CutPrefix(string prefix) => prefix + "/cut/";

    /// <summary>Cut keys sort by height: a range delete removes old ones.</summary>
    public static string CutKey(string prefix, ulong height) => $"{prefix}/cut/{height:D20}";

    public static string AttestationKey(string prefix, PublicKey validator) => $"{prefix}/att/{validator.ToHex()[2..34]}";

    public static bool TryParseCutHeight(string prefix, string key, out ulong height)
    {
        height = 0;
        var start = CutPrefix(prefix);
        return key.StartsWith(start, StringComparison.Ordinal) && key.Length == start.Length + 20 &&
            ulong.TryParse(key.AsSpan(start.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out height);
    }

    public static byte[] EncodeTxs(ulong timestamp, IReadOnlyList<Transaction> txs)
    {
        var bytes = new byte[2 + 8 + Transaction.ListLength(txs)];
        var writer = new SpanWriter(bytes);
        writer.WriteU8(Version);
        writer.WriteU8(KindTxs);
        writer.WriteU64(timestamp);
        Transaction.WriteList(ref writer, txs);
        return bytes;
    }

    /// <summary>
    /// Decodes a tx entry. A tx whose bytes do not decode is dropped (the same on every peer);
    /// a damaged entry as a whole yields false.
    /// </summary>
    public static bool TryDecodeTxs(ReadOnlySpan<byte> bytes, out ulong timestamp, out List<Transaction> txs)
    {
        txs = [];
        var reader = new SpanReader(bytes);
        var ok = reader.ReadU8() == Version & reader.ReadU8() == KindTxs;
        timestamp = reader.ReadU64();
        var count = reader.ReadCount(MaxEntryTxs);
        for (var i = 0; i < count && reader.Ok && ok; i++)
        {
            var raw = reader.ReadBytes(Transaction.MaxEncodedBytes);
            if (reader.Ok && Transaction.TryDecode(raw, out var tx) == CodecError.None)
            {
                txs.Add(tx!);
            }
        }
        return ok && reader.Finish() == CodecError.None;
    }

    public static byte[] EncodeCut(ulong height, ulong timestamp)
    {
        var bytes = new byte[2 + 8 + 8];
        var writer = new SpanWriter(bytes);
        writer.WriteU8(Version);
        writer.WriteU8(KindCut);
        writer.WriteU64(height);
        writer.WriteU64(timestamp);
        return bytes;
    }

    public static bool TryDecodeCut(ReadOnlySpan<byte> bytes, out ulong height, out ulong timestamp)
    {
        var reader = new SpanReader(bytes);
        var ok = reader.ReadU8() == Version & reader.ReadU8() == KindCut;
        height = reader.ReadU64();
        timestamp = reader.ReadU64();
        return ok && reader.Finish() == CodecError.None;
    }

    public static byte[] EncodeAttestation(AttestationMessage message)
    {
        var bytes = new byte[2 + 8 + Hash.Size + Hash.Size + PublicKey.Size + Signature.Size];
        var writer = new SpanWriter(bytes);
        writer.WriteU8(Version);
        writer.WriteU8(KindAttestation);
        writer.WriteU64(message.Height);
        writer.WriteHash(message.BlockHash);
        writer.WriteHash(message.StateRoot);
        writer.WritePublicKey(message.Attestation.Validator);
        writer.WriteFixed(message.Attestation.Signature);
        return bytes;
    }

    public static AttestationMessage? TryDecodeAttestation(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var ok = reader.ReadU8() == Version & reader.ReadU8() == KindAttestation;
        var height = reader.ReadU64();
        var hash = reader.ReadHash();
        var root = reader.ReadHash();
        var key = reader.ReadPublicKey();
        var signature = reader.ReadFixed(Signature.Size).ToArray();
        return ok && reader.Finish() == CodecError.None ? new AttestationMessage(height, hash, root, new Attestation(key!, signature)) : null;
    }
}
