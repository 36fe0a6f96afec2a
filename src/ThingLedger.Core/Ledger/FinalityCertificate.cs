using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Ledger;

/// <summary>One validator's signature over (chain id, height, block hash, state root).</summary>
public sealed record Attestation(PublicKey Validator, byte[] Signature)
{
    /// <summary>The bytes a validator signs after the domain tag and chain id.</summary>
    public static byte[] Body(ulong height, in Hash blockHash, in Hash stateRoot)
    {
        var body = new byte[8 + Hash.Size + Hash.Size];
        var writer = new SpanWriter(body);
        writer.WriteU64(height);
        writer.WriteHash(blockHash);
        writer.WriteHash(stateRoot);
        return body;
    }

    public static Attestation Sign(KeyPair validator, BlockHeader header) =>
        new(validator.PublicKey, validator.Sign(DomainTags.Attestation, header.ChainId, Body(header.Height, header.Hash, header.StateRoot)));

    public bool Verify(BlockHeader header) =>
        SignatureVerifier.Verify(Validator, DomainTags.Attestation, header.ChainId, Body(header.Height, header.Hash, header.StateRoot), Signature);

    public bool Equals(Attestation? other) =>
        other is not null && Validator.Equals(other.Validator) && Signature.AsSpan().SequenceEqual(other.Signature);

    public override int GetHashCode() => Validator.GetHashCode();
}

/// <summary>
/// The attestations that make a block final, sorted by validator key with no duplicates so
/// the certificate has one encoding.
/// </summary>
public sealed record FinalityCertificate(Attestation[] Attestations) : ICanonical
{
    public const int MaxAttestations = 256;

    public static FinalityCertificate Of(params Attestation[] attestations)
    {
        var sorted = attestations.ToArray();
        Array.Sort(sorted, static (a, b) => a.Validator.Bytes.SequenceCompareTo(b.Validator.Bytes));
        return new FinalityCertificate(sorted);
    }

    public int EncodedLength => CanonicalSizes.VarUInt((ulong)Attestations.Length) + (Attestations.Length * (PublicKey.Size + Crypto.Signature.Size));

    public void Write(ref SpanWriter writer)
    {
        writer.WriteVarUInt((ulong)Attestations.Length);
        foreach (var a in Attestations)
        {
            writer.WritePublicKey(a.Validator);
            writer.WriteFixed(a.Signature);
        }
    }

    public byte[] Encode() => Canonical.Encode(this);

    public static CodecError TryDecode(ReadOnlySpan<byte> bytes, out FinalityCertificate? certificate)
    {
        var reader = new SpanReader(bytes);
        var count = reader.ReadCount(MaxAttestations);
        var attestations = new Attestation[reader.Ok ? count : 0];
        for (var i = 0; i < attestations.Length && reader.Ok; i++)
        {
            var key = reader.ReadPublicKey();
            var signature = reader.ReadFixed(Crypto.Signature.Size).ToArray();
            attestations[i] = new Attestation(key!, signature);
            if (reader.Ok && i > 0 && attestations[i - 1].Validator.Bytes.SequenceCompareTo(key!.Bytes) >= 0)
            {
                reader.Fail(CodecError.NotSorted);
            }
        }
        var error = reader.Finish();
        certificate = error == CodecError.None ? new FinalityCertificate(attestations) : null;
        return error;
    }

    public bool Equals(FinalityCertificate? other) =>
        other is not null && Attestations.AsSpan().SequenceEqual(other.Attestations);

    public override int GetHashCode() => Attestations.Length;
}
