using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Tests.Crypto;

public class SignatureTests
{
    private static readonly Hash Digest = Hash.Sha256("thingledger"u8);

    [Fact]
    public void Signatures_are_64_bytes_low_S_and_verify()
    {
        using var key = KeyPair.Generate();
        for (var i = 0; i < 20; i++)
        {
            var signature = key.Sign(Digest);
            Assert.Equal(64, signature.Length);
            Assert.True(Signature.HasLowS(signature));
            Assert.True(SignatureVerifier.Verify(key.PublicKey, Digest, signature));
        }
    }

    [Fact]
    public void High_S_twin_of_a_valid_signature_is_refused()
    {
        using var key = KeyPair.Generate();
        var signature = key.Sign(Digest);
        var twin = Signature.ToHighS(signature);
        Assert.False(Signature.HasLowS(twin));
        Assert.False(SignatureVerifier.Verify(key.PublicKey, Digest, twin));
    }

    [Fact]
    public void Signature_by_another_key_or_over_another_digest_is_refused()
    {
        using var key = KeyPair.Generate();
        using var other = KeyPair.Generate();
        var signature = key.Sign(Digest);
        Assert.False(SignatureVerifier.Verify(other.PublicKey, Digest, signature));
        Assert.False(SignatureVerifier.Verify(key.PublicKey, Hash.Sha256("other"u8), signature));
    }

    [Fact]
    public void Domain_tag_and_chain_id_separate_signatures()
    {
        using var key = KeyPair.Generate();
        var body = "payload"u8.ToArray();
        var signature = key.Sign(DomainTags.Transaction, "chain-a", body);
        Assert.True(SignatureVerifier.Verify(key.PublicKey, DomainTags.Transaction, "chain-a", body, signature));
        Assert.False(SignatureVerifier.Verify(key.PublicKey, DomainTags.Transaction, "chain-b", body, signature));
        Assert.False(SignatureVerifier.Verify(key.PublicKey, DomainTags.Attestation, "chain-a", body, signature));
    }

    [Fact]
    public void Malformed_signatures_are_refused_without_throwing()
    {
        using var key = KeyPair.Generate();
        Assert.False(SignatureVerifier.Verify(key.PublicKey, Digest, new byte[64]));
        Assert.False(SignatureVerifier.Verify(key.PublicKey, Digest, new byte[63]));
        Assert.False(SignatureVerifier.Verify(key.PublicKey, Digest, Enumerable.Repeat((byte)0xFF, 64).ToArray()));
    }

    [Fact]
    public void A_point_off_the_curve_is_not_a_usable_key()
    {
        var bytes = new byte[65];
        bytes[0] = 4;
        bytes[64] = 7;
        var key = PublicKey.FromBytes(bytes);
        Assert.False(key.IsOnCurve());
        Assert.False(SignatureVerifier.Verify(key, Digest, new byte[64]));
    }

    [Fact]
    public void Fixed_vector_signature_verifies_and_a_flipped_bit_does_not()
    {
        // Vector from docs/WIRE-FORMAT.md: key with scalar 1, tx domain, chain "vector-chain", body "vector".
        using var key = Vectors.Key(1);
        Assert.Equal(
            "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
            key.PublicKey.ToHex());
        var digest = SigningDigest.Compute(DomainTags.Transaction, "vector-chain", "vector"u8);
        var signature = Convert.FromHexString(FixedVectors.SignatureHex);
        Assert.Equal(FixedVectors.DigestHex, digest.ToString());
        Assert.True(SignatureVerifier.Verify(key.PublicKey, digest, signature));
        signature[10] ^= 1;
        Assert.False(SignatureVerifier.Verify(key.PublicKey, digest, signature));
    }

    [Fact]
    public void Parallel_verification_on_one_cached_key_is_consistent()
    {
        using var key = KeyPair.Generate();
        var signatures = Enumerable.Range(0, 64).Select(i => (Digest: Hash.Sha256([(byte)i]), Sig: key.Sign(Hash.Sha256([(byte)i])))).ToArray();
        var results = new bool[signatures.Length * 8];
        Parallel.For(0, results.Length, i =>
        {
            var (digest, sig) = signatures[i % signatures.Length];
            results[i] = SignatureVerifier.Verify(key.PublicKey, digest, sig) && !SignatureVerifier.Verify(key.PublicKey, Digest, sig);
        });
        Assert.All(results, Assert.True);
    }
}
