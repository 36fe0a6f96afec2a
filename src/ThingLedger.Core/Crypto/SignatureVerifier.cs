using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ThingLedger.Core.Crypto;

/// <summary>
/// Verifies P-256 signatures. Importing a public key costs about three verifications, so
/// parsed keys are cached (bounded). Safe to call from many threads at once.
/// </summary>
public static class SignatureVerifier
{
    private const int MaxCachedKeys = 200_000;
    private static readonly ConcurrentDictionary<PublicKey, ECDsa?> Cache = new();

    /// <summary>True only for a well-formed, low-S signature by <paramref name="key"/> over <paramref name="digest"/>.</summary>
    public static bool Verify(PublicKey key, in Hash digest, ReadOnlySpan<byte> signature)
    {
        if (!Signature.HasLowS(signature))
        {
            return false;
        }
        var ecdsa = Parsed(key);
        if (ecdsa is null)
        {
            return false;
        }
        Span<byte> d = stackalloc byte[Hash.Size];
        digest.CopyTo(d);
        return ecdsa.VerifyHash(d, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public static bool Verify(PublicKey key, string tag, string chainId, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature) =>
        Verify(key, SigningDigest.Compute(tag, chainId, body), signature);

    /// <summary>The parsed key, or null when the bytes are not a point on P-256.</summary>
    private static ECDsa? Parsed(PublicKey key)
    {
        if (Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }
        ECDsa? ecdsa;
        try
        {
            ecdsa = ECDsa.Create(key.ToParameters());
        }
        catch (CryptographicException)
        {
            ecdsa = null;
        }
        if (Cache.Count >= MaxCachedKeys)
        {
            // Dropping the cache is rare and safe: keys in use are parsed again on demand.
            // Instances are not disposed because another thread may be verifying with one.
            Cache.Clear();
        }
        return Cache.GetOrAdd(key, ecdsa);
    }
}
