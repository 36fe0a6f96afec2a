using System.Security.Cryptography;

namespace ThingLedger.Core.Crypto;

/// <summary>
/// An ECDSA P-256 public key as a 65-byte SEC1 uncompressed point (0x04 ‖ X ‖ Y).
/// Construction checks the shape; <see cref="IsOnCurve"/> checks the point itself.
/// </summary>
public sealed class PublicKey : IEquatable<PublicKey>
{
    public const int Size = 65;

    private readonly byte[] _bytes;
    private readonly int _hashCode;

    private PublicKey(byte[] bytes)
    {
        _bytes = bytes;
        _hashCode = BitConverter.ToInt32(bytes, 1) ^ BitConverter.ToInt32(bytes, 33);
    }

    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Accepts exactly 65 bytes starting with 0x04; the caller's buffer is copied.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> bytes, out PublicKey? key)
    {
        key = null;
        if (bytes.Length != Size || bytes[0] != 0x04)
        {
            return false;
        }
        key = new PublicKey(bytes.ToArray());
        return true;
    }

    public static PublicKey FromBytes(ReadOnlySpan<byte> bytes) =>
        TryCreate(bytes, out var key) ? key! : throw new FormatException("a public key is 65 bytes: 0x04 ‖ X ‖ Y");

    public static PublicKey FromParameters(ECParameters parameters)
    {
        var bytes = new byte[Size];
        bytes[0] = 0x04;
        parameters.Q.X.AsSpan().CopyTo(bytes.AsSpan(1, 32));
        parameters.Q.Y.AsSpan().CopyTo(bytes.AsSpan(33, 32));
        return new PublicKey(bytes);
    }

    public ECParameters ToParameters() => new()
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = _bytes[1..33], Y = _bytes[33..65] },
    };

    /// <summary>True when the point lies on P-256 (OpenSSL validates it on import).</summary>
    public bool IsOnCurve()
    {
        try
        {
            using var ecdsa = ECDsa.Create(ToParameters());
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public Address ToAddress() => Address.FromPublicKey(this);

    /// <summary>SubjectPublicKeyInfo DER, the form PEM "PUBLIC KEY" files carry.</summary>
    public byte[] ExportSubjectPublicKeyInfo()
    {
        using var ecdsa = ECDsa.Create(ToParameters());
        return ecdsa.ExportSubjectPublicKeyInfo();
    }

    public string ExportPem() => PemEncoding.WriteString("PUBLIC KEY", ExportSubjectPublicKeyInfo());

    public static PublicKey ImportSubjectPublicKeyInfo(ReadOnlySpan<byte> der)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(der, out _);
        var parameters = ecdsa.ExportParameters(false);
        if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new CryptographicException("the key is not on P-256");
        }
        return FromParameters(parameters);
    }

    public static PublicKey ImportPem(string pem)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        var parameters = ecdsa.ExportParameters(false);
        if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new CryptographicException("the key is not on P-256");
        }
        return FromParameters(parameters);
    }

    public string ToHex() => Convert.ToHexStringLower(_bytes);

    public static bool TryParseHex(string? text, out PublicKey? key)
    {
        key = null;
        if (text is null || text.Length != Size * 2)
        {
            return false;
        }
        try
        {
            return TryCreate(Convert.FromHexString(text), out key);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public override string ToString() => ToHex();
    public bool Equals(PublicKey? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);
    public override bool Equals(object? obj) => Equals(obj as PublicKey);
    public override int GetHashCode() => _hashCode;
}
