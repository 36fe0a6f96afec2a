using FsCheck;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Core.Tests.Ledger;

public class TransactionTests
{
    private static readonly KeyPair Key = Vectors.Key(1);

    [Fact]
    public void Fixed_vector_body_id_and_signature_match()
    {
        var signature = Convert.FromHexString(FixedVectors.TxSignatureHex);
        var tx = new Transaction("vector-chain", "tokens", "transfer", [1, 2, 3], Key.PublicKey, 1, 100, 1_000_000, signature);
        Assert.Equal(FixedVectors.TxBodyHex, Convert.ToHexStringLower(tx.EncodeBody()));
        Assert.Equal(FixedVectors.TxIdHex, tx.Id.ToString());
        Assert.True(tx.VerifySignature());
        Assert.Equal(CodecError.None, Transaction.TryDecode(Convert.FromHexString(FixedVectors.TxBodyHex + FixedVectors.TxSignatureHex), out var decoded));
        Assert.Equal(tx.Id, decoded!.Id);
        Assert.Equal((2, 1_000_000ul), (decoded.Version, decoded.GasLimit));
    }

    [Fact]
    public void A_version_1_tx_still_decodes_verifies_and_re_encodes_unmetered()
    {
        var bytes = Convert.FromHexString(FixedVectors.TxV1BodyHex + FixedVectors.TxV1SignatureHex);
        Assert.Equal(CodecError.None, Transaction.TryDecode(bytes, out var v1));
        Assert.Equal(FixedVectors.TxV1IdHex, v1!.Id.ToString());
        Assert.True(v1.VerifySignature());
        Assert.Equal((1, false, 0ul), (v1.Version, v1.IsMetered, v1.GasLimit));
        Assert.Equal(bytes, v1.Encode());
        Assert.Equal(bytes, v1.WithSignature(v1.Signature).Encode());
        var again = Transaction.CreateUnmetered("vector-chain", "tokens", "transfer", [1, 2, 3], Key, 1, 100);
        Assert.Equal(v1.Id, again.Id);
    }

    [Fact]
    public void Encoding_round_trips_for_any_fields() =>
        Prop.ForAll<NonNull<string>, byte[], ulong>((op, payload, nonce) =>
        {
            var operation = op.Get.Length > 16 ? op.Get[..16] : op.Get;
            var expiry = nonce ^ 0x5555;
            var tx = Transaction.Create("chain", "mod", operation, payload ?? [], Key, nonce, expiry);
            var bytes = tx.Encode();
            var error = Transaction.TryDecode(bytes, out var decoded);
            return error == CodecError.None && decoded!.Id == tx.Id && decoded.Encode().AsSpan().SequenceEqual(bytes) && decoded.VerifySignature();
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Any_single_byte_change_is_refused_or_breaks_the_signature()
    {
        var tx = Transaction.Create("chain", "tokens", "transfer", [9, 8, 7, 6], Key, 5, 50);
        var bytes = tx.Encode();
        Prop.ForAll(Gen.Choose(0, bytes.Length - 1).ToArbitrary(), Gen.Choose(1, 255).ToArbitrary(), (position, delta) =>
        {
            var mutated = bytes.ToArray();
            mutated[position] = unchecked((byte)(mutated[position] + delta));
            var error = Transaction.TryDecode(mutated, out var decoded);
            return error != CodecError.None || !decoded!.VerifySignature();
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Truncated_and_extended_encodings_are_refused()
    {
        var bytes = Transaction.Create("chain", "tokens", "transfer", [1], Key, 1, 1).Encode();
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.NotEqual(CodecError.None, Transaction.TryDecode(bytes.AsSpan(0, length), out _));
        }
        Assert.Equal(CodecError.TrailingBytes, Transaction.TryDecode([.. bytes, 0], out _));
    }

    [Fact]
    public void Unknown_versions_and_oversized_input_are_refused()
    {
        var bytes = Transaction.Create("chain", "tokens", "transfer", [1], Key, 1, 1).Encode();
        bytes[0] = 3;
        Assert.Equal(CodecError.UnknownVersion, Transaction.TryDecode(bytes, out _));
        Assert.Equal(CodecError.LengthTooLarge, Transaction.TryDecode(new byte[Transaction.MaxEncodedBytes + 1], out _));
    }

    [Fact]
    public void The_id_does_not_depend_on_which_valid_signature_is_attached()
    {
        var a = Transaction.Create("chain", "tokens", "transfer", [1], Key, 1, 1);
        var b = Transaction.Create("chain", "tokens", "transfer", [1], Key, 1, 1);
        Assert.Equal(a.Id, b.Id);
    }

    [Fact]
    public void A_signature_for_another_chain_does_not_verify()
    {
        var tx = Transaction.Create("chain-a", "tokens", "transfer", [1], Key, 1, 1);
        var moved = new Transaction("chain-b", tx.Module, tx.Operation, tx.Payload, tx.Signer, tx.Nonce, tx.ExpiryHeight, tx.GasLimit, tx.Signature);
        Assert.False(moved.VerifySignature());
    }
}
