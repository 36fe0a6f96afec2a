using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Tests.Crypto;

/// <summary>ECDH P-256 → HKDF-SHA256 → AES-256-GCM boxes: they open only for their recipient and context, and any change is caught.</summary>
public class SealedBoxTests
{
    private static readonly byte[] Context = "delivery 1"u8.ToArray();

    [Fact]
    public void A_box_opens_for_its_recipient_and_context()
    {
        using var buyer = KeyPair.Generate();
        var plaintext = "readings of tl… from 08:00 to 09:00"u8.ToArray();
        var box = SealedBox.Seal(plaintext, buyer.PublicKey, Context);
        Assert.Equal(SealedBox.Overhead + plaintext.Length, box.Length);
        Assert.Equal(plaintext, SealedBox.Open(box, buyer, Context));
        Assert.Equal([], SealedBox.Open(SealedBox.Seal([], buyer.PublicKey, Context), buyer, Context)!);
    }

    [Fact]
    public void Every_box_has_its_own_key_so_the_same_data_never_looks_the_same()
    {
        using var buyer = KeyPair.Generate();
        var a = SealedBox.Seal("same"u8, buyer.PublicKey, Context);
        var b = SealedBox.Seal("same"u8, buyer.PublicKey, Context);
        Assert.NotEqual(a.AsSpan(1, PublicKey.Size).ToArray(), b.AsSpan(1, PublicKey.Size).ToArray());
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Another_key_another_context_or_any_changed_byte_opens_nothing()
    {
        using var buyer = KeyPair.Generate();
        using var other = KeyPair.Generate();
        var box = SealedBox.Seal("secret rows"u8, buyer.PublicKey, Context);
        Assert.Null(SealedBox.Open(box, other, Context));
        Assert.Null(SealedBox.Open(box, buyer, "delivery 2"u8));
        for (var i = 0; i < box.Length; i++)
        {
            var changed = box.ToArray();
            changed[i] ^= 0x01;
            Assert.Null(SealedBox.Open(changed, buyer, Context));
        }
        Assert.Null(SealedBox.Open(box.AsSpan(0, box.Length - 1), buyer, Context));
        Assert.Null(SealedBox.Open([], buyer, Context));
    }
}
