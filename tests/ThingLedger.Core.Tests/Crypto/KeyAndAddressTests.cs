using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Tests.Crypto;

public class KeyAndAddressTests
{
    [Fact]
    public void Address_of_the_vector_key_is_fixed()
    {
        using var key = Vectors.Key(1);
        Assert.Equal(FixedVectors.PublicKey1Hex, key.PublicKey.ToHex());
        Assert.Equal(FixedVectors.Address1, key.Address.ToString());
        Assert.Equal(key.Address, Address.Parse(FixedVectors.Address1));
    }

    [Fact]
    public void Address_parsing_is_strict()
    {
        var text = FixedVectors.Address1;
        // Formatted once, so the text cache knows it: a changed checksum must still be refused.
        Assert.Equal(text, Address.Parse(text).ToString());
        Assert.False(Address.TryParse(text.ToUpperInvariant(), out _));
        Assert.False(Address.TryParse(text[..^1], out _));
        Assert.False(Address.TryParse("xx" + text[2..], out _));
        Assert.False(Address.TryParse(null, out _));
        // Any single changed digit breaks the checksum.
        for (var i = 2; i < text.Length; i++)
        {
            var changed = text[..i] + (text[i] == '0' ? '1' : '0') + text[(i + 1)..];
            Assert.False(Address.TryParse(changed, out _), $"digit {i} changed but parsed");
        }
    }

    [Fact]
    public void Private_keys_round_trip_through_PKCS8_PEM()
    {
        using var key = KeyPair.Generate();
        var pem = key.ExportPkcs8Pem();
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
        using var again = KeyPair.ImportPem(pem);
        Assert.Equal(key.PublicKey, again.PublicKey);
        var digest = Hash.Sha256("x"u8);
        Assert.True(SignatureVerifier.Verify(key.PublicKey, digest, again.Sign(digest)));
    }

    [Fact]
    public void Public_keys_round_trip_through_SPKI_PEM_and_hex()
    {
        using var key = KeyPair.Generate();
        Assert.Equal(key.PublicKey, PublicKey.ImportPem(key.PublicKey.ExportPem()));
        Assert.Equal(key.PublicKey, PublicKey.ImportSubjectPublicKeyInfo(key.PublicKey.ExportSubjectPublicKeyInfo()));
        Assert.True(PublicKey.TryParseHex(key.PublicKey.ToHex(), out var parsed));
        Assert.Equal(key.PublicKey, parsed);
    }

    [Fact]
    public void Keys_on_other_curves_are_refused()
    {
        using var p384 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => KeyPair.ImportPem(p384.ExportPkcs8PrivateKeyPem()));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => PublicKey.ImportPem(p384.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public void Hash_text_form_round_trips_and_rejects_bad_input()
    {
        var hash = Hash.Sha256("abc"u8);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hash.ToString());
        Assert.Equal(hash, Hash.Parse(hash.ToString()));
        Assert.False(Hash.TryParse("zz" + hash.ToString()[2..], out _));
        Assert.False(Hash.TryParse(hash.ToString()[1..], out _));
    }
}
