using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Ordering.Etcd;

/// <summary>A validator's attestation of one block as published on the ordering log.</summary>
public sealed record AttestationMessage(ulong Height, Hash BlockHash, Hash StateRoot, Attestation Attestation)
{
    /// <summary>The signature is the validator's over (chain id, height, block hash, state root) in the chain's scope.</summary>
    public bool Verify(AttestationScope scope) => scope.Verify(Attestation.Validator, Height, BlockHash, StateRoot, Attestation.Signature);
}

/// <summary>
/// A validator's proposal to end block <paramref name="Height"/> at its place in the log, dated
/// by its clock and signed with its validator key, so that every cut is attributable.
/// </summary>
public sealed record CutMessage(ulong Height, ulong Timestamp, PublicKey Cutter, byte[] Signature)
{
    public static CutMessage Sign(string chainId, KeyPair key, ulong height, ulong timestamp) =>
        new(height, timestamp, key.PublicKey, key.Sign(DomainTags.Cut, chainId, OrderingLog.CutBody(height, timestamp)));

    public bool Verify(string chainId) => SignatureVerifier.Verify(Cutter, DomainTags.Cut, chainId, OrderingLog.CutBody(Height, Timestamp), Signature);
}

/// <summary>
/// The records peers write to etcd, each a value under the chain's prefix (docs/CONSORTIUM.md):
/// a tx entry (txs in the order one peer admitted them) under {prefix}/log, a signed cut under
/// {prefix}/cut/{height}/{validator}, an attestation under {prefix}/att/{validator}. Each starts with a
/// version and a kind byte; decoding is strict, and a record that does not decode is ignored
/// by every peer alike.
/// </summary>
public static class OrderingLog
{
    public const byte Version = 1;

    /// <summary>Cuts are signed since version 2; an unsigned version-1 cut is ignored.</summary>
    public const byte CutVersion = 2;
    public const byte KindTxs = 1;
    public const byte KindCut = 2;
    public const byte KindAttestation = 3;

    /// <summary>Txs in one entry, kept well under etcd's default 1.5 MiB request limit.</summary>
    public const int MaxEntryBytes = 1024 * 1024;
    public const int MaxEntryTxs = 10_000;

    public static string LogKey(string prefix) => prefix + "/log";

    public static string CutPrefix(string prefix) => prefix + "/cut/";

    /// <summary>Cut keys sort by height: a range delete removes old ones. Block 0's marker is this key itself.</summary>
    public static string CutKey(string prefix, ulong height) => $"{prefix}/cut/{height:D20}";

    /// <summary>Where a validator proposes its cut of <paramref name="height"/>: one slot per validator and height.</summary>
    public static string CutSlotKey(string prefix, ulong height, PublicKey validator) => $"{CutKey(prefix, height)}/{Short(validator)}";

    public static string AttestationKey(string prefix, PublicKey validator) => $"{prefix}/att/{Short(validator)}";

    /// <summary>32 hex digits of a key's compressed form (after its prefix byte) name its records.</summary>
    public static string Short(PublicKey validator) => validator.ToHex()[2..34];

    /// <summary>
    /// Reads a cut key: block 0's marker ({prefix}/cut/{0:D20}, slot null) or a validator's slot
    /// ({prefix}/cut/{h:D20}/{32 hex}).
    /// </summary>
    public static bool TryParseCutKey(string prefix, string key, out ulong height, out string? slot)
    {
        height = 0;
        slot = null;
        var start = CutPrefix(prefix);
        if (!key.StartsWith(start, StringComparison.Ordinal) || key.Length < start.Length + 20 ||
            !ulong.TryParse(key.AsSpan(start.Length, 20), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out height))
        {
            return false;
        }
        if (key.Length == start.Length + 20)
        {
            return true;
        }
        if (key.Length != start.Length + 20 + 1 + 32 || key[start.Length + 20] != '/')
        {
            return false;
        }
        slot = key[(start.Length + 21)..];
        return true;
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

    /// <summary>The marker the log begins after (block 0's cut): unsigned, carries no time.</summary>
    public static byte[] EncodeGenesisCut() => [Version, KindCut, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>Body a validator signs for a cut (tag thingledger/cut/v1): u64 height ‖ u64 timestamp.</summary>
    public static byte[] CutBody(ulong height, ulong timestamp)
    {
        var body = new byte[16];
        var writer = new SpanWriter(body);
        writer.WriteU64(height);
        writer.WriteU64(timestamp);
        return body;
    }

    public static byte[] EncodeCut(CutMessage cut)
    {
        var bytes = new byte[2 + 8 + 8 + PublicKey.Size + Signature.Size];
        var writer = new SpanWriter(bytes);
        writer.WriteU8(CutVersion);
        writer.WriteU8(KindCut);
        writer.WriteU64(cut.Height);
        writer.WriteU64(cut.Timestamp);
        writer.WritePublicKey(cut.Cutter);
        writer.WriteFixed(cut.Signature);
        return bytes;
    }

    /// <summary>A signed cut (version 2), or null when the bytes are anything else.</summary>
    public static CutMessage? TryDecodeCut(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var ok = reader.ReadU8() == CutVersion & reader.ReadU8() == KindCut;
        var height = reader.ReadU64();
        var timestamp = reader.ReadU64();
        var cutter = reader.ReadPublicKey();
        var signature = reader.ReadFixed(Signature.Size).ToArray();
        return ok && reader.Finish() == CodecError.None ? new CutMessage(height, timestamp, cutter!, signature) : null;
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
