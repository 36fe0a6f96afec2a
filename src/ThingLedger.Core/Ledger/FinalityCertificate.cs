using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Ledger;

/// <summary>
/// One validator's signature over (chain id, height, block hash, state root) and, on a chain
/// whose genesis is version 2, the genesis hash (<see cref="AttestationScope"/>).
/// </summary>
public sealed record Attestation(PublicKey Validator, byte[] Signature)
{
    public static Attestation Sign(KeyPair validator, BlockHeader header, AttestationScope scope) =>
        new(validator.PublicKey, scope.Sign(validator, header.Height, header.Hash, header.StateRoot));

    public bool Verify(BlockHeader header, AttestationScope scope) =>
        scope.Verify(Validator, header.Height, header.Hash, header.StateRoot, Signature);

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
