using System.Security.Cryptography;

namespace ThingLedger.Core.Crypto;

/// <summary>
/// Encryption to a P-256 public key with the base library alone: a fresh ephemeral key per box,
/// ECDH with the recipient's key, HKDF-SHA256 to a 256-bit key, AES-256-GCM. The box is
/// <c>u8 version (1) ‖ ephemeral public key (65) ‖ nonce (12) ‖ ciphertext ‖ tag (16)</c>. The
/// caller's context (a delivery's id) is bound into the key and authenticated, so a box opens only
/// for the context it was sealed for. docs/WIRE-FORMAT.md, "Sealed boxes".
/// </summary>
public static class SealedBox
{
    public const byte Version = 1;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int Overhead = 1 + PublicKey.Size + NonceSize + TagSize;
    private static readonly byte[] Label = "thingledger/sealed-box/v1"u8.ToArray();

    /// <summary>Seals <paramref name="plaintext"/> to <paramref name="recipient"/> for <paramref name="context"/>.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> plaintext, PublicKey recipient, ReadOnlySpan<byte> context)
    {
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var ephemeralKey = PublicKey.FromParameters(ephemeral.ExportParameters(false));
        var box = new byte[Overhead + plaintext.Length];
        box[0] = Version;
        ephemeralKey.Bytes.CopyTo(box.AsSpan(1));
        var nonce = box.AsSpan(1 + PublicKey.Size, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var recipientKey = ECDiffieHellman.Create(recipient.ToParameters());
        var key = Key(ephemeral.DeriveRawSecretAgreement(recipientKey.PublicKey), ephemeralKey, recipient, context);
        using var aes = new AesGcm(key, TagSize);
        var body = box.AsSpan(1 + PublicKey.Size + NonceSize, plaintext.Length);
        aes.Encrypt(nonce, plaintext, body, box.AsSpan(box.Length - TagSize), context);
        CryptographicOperations.ZeroMemory(key);
        return box;
    }

    /// <summary>The plaintext, or null when the box is not one sealed to <paramref name="recipient"/> for <paramref name="context"/> (or was changed).</summary>
    public static byte[]? Open(ReadOnlySpan<byte> box, KeyPair recipient, ReadOnlySpan<byte> context)
    {
        if (box.Length < Overhead || box[0] != Version || !PublicKey.TryCreate(box.Slice(1, PublicKey.Size), out var ephemeralKey))
        {
            return null;
        }
        byte[] secret;
        try
        {
            using var ephemeral = ECDiffieHellman.Create(ephemeralKey!.ToParameters());
            secret = recipient.AgreeWith(ephemeral.PublicKey);
        }
        catch (CryptographicException)
        {
            return null;
        }
        var key = Key(secret, ephemeralKey, recipient.PublicKey, context);
        using var aes = new AesGcm(key, TagSize);
        var plaintext = new byte[box.Length - Overhead];
        try
        {
            aes.Decrypt(box.Slice(1 + PublicKey.Size, NonceSize), box.Slice(1 + PublicKey.Size + NonceSize, plaintext.Length), box[^TagSize..], plaintext, context);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>HKDF-SHA256: the shared secret, salted with both public keys, with the label and context as info.</summary>
    private static byte[] Key(byte[] secret, PublicKey ephemeral, PublicKey recipient, ReadOnlySpan<byte> context)
    {
        var salt = new byte[2 * PublicKey.Size];
        ephemeral.Bytes.CopyTo(salt);
        recipient.Bytes.CopyTo(salt.AsSpan(PublicKey.Size));
        var info = new byte[Label.Length + context.Length];
        Label.CopyTo(info, 0);
        context.CopyTo(info.AsSpan(Label.Length));
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt, info);
        CryptographicOperations.ZeroMemory(secret);
        return key;
    }
}
