using System.Security.Cryptography;

namespace ThingLedger.Core.Crypto;

/// <summary>An ECDSA P-256 private key with its public key. Signs 32-byte digests, low-S.</summary>
public sealed class KeyPair : IDisposable
{
    private readonly ECDsa _ecdsa;

    private KeyPair(ECDsa ecdsa)
    {
        _ecdsa = ecdsa;
        PublicKey = PublicKey.FromParameters(ecdsa.ExportParameters(false));
        Address = PublicKey.ToAddress();
    }

    public PublicKey PublicKey { get; }

    public Address Address { get; }

    public static KeyPair Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>A key from a 32-byte private scalar (test vectors and deterministic fixtures).</summary>
    public static KeyPair FromPrivateScalar(ReadOnlySpan<byte> d)
    {
        if (d.Length != 32)
        {
            throw new ArgumentException("a P-256 private key is 32 bytes", nameof(d));
        }
        var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d.ToArray() });
        return new KeyPair(ecdsa);
    }

    /// <summary>Imports a PEM "PRIVATE KEY" (PKCS#8) or "EC PRIVATE KEY" (SEC1) on P-256.</summary>
    public static KeyPair ImportPem(string pem)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
            if (ecdsa.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new CryptographicException("the key is not on P-256");
            }
            return new KeyPair(ecdsa);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    public static KeyPair ImportPkcs8(ReadOnlySpan<byte> der)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(der, out _);
        return new KeyPair(ecdsa);
    }

    public string ExportPkcs8Pem() => _ecdsa.ExportPkcs8PrivateKeyPem();

    public byte[] ExportPkcs8() => _ecdsa.ExportPkcs8PrivateKey();

    /// <summary>Signs a digest; the result is 64 bytes r ‖ s with s normalised to low-S.</summary>
    public byte[] Sign(in Hash digest)
    {
        Span<byte> d = stackalloc byte[Hash.Size];
        digest.CopyTo(d);
        var signature = _ecdsa.SignHash(d.ToArray(), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        Signature.NormalizeToLowS(signature);
        return signature;
    }

    /// <summary>Signs a domain-separated message: the digest of tag ‖ chain id ‖ body.</summary>
    public byte[] Sign(string tag, string chainId, ReadOnlySpan<byte> body) =>
        Sign(SigningDigest.Compute(tag, chainId, body));

    /// <summary>The raw ECDH shared secret (the x coordinate) of this key and <paramref name="other"/>: what <see cref="SealedBox"/> derives its key from.</summary>
    public byte[] AgreeWith(ECDiffieHellmanPublicKey other)
    {
        using var ecdh = ECDiffieHellman.Create(_ecdsa.ExportParameters(true));
        return ecdh.DeriveRawSecretAgreement(other);
    }

    public void Dispose() => _ecdsa.Dispose();
}
