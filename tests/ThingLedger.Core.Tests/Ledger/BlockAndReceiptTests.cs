using FsCheck;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Merkle;
using ThingLedger.Core.Verification;

namespace ThingLedger.Core.Tests.Ledger;

public class BlockAndReceiptTests
{
    [Fact]
    public void Header_fixed_vector_matches_and_round_trips()
    {
        var header = new BlockHeader("vector-chain", 1, Hash.Zero, 1700000000000, 0, MerkleTree.EmptyRoot, MerkleTree.EmptyRoot, Hash.Parse(FixedVectors.StateRootA1B2));
        Assert.Equal(FixedVectors.HeaderHex, Convert.ToHexStringLower(header.Encode()));
        Assert.Equal(FixedVectors.HeaderHash, header.Hash.ToString());
        Assert.Equal(CodecError.None, BlockHeader.TryDecode(header.Encode(), out var decoded));
        Assert.Equal(header, decoded);
    }

    [Fact]
    public void Receipts_round_trip_for_any_content() =>
        Prop.ForAll<bool, ulong, NonNull<string>>((ok, cost, value) =>
        {
            var receipt = new Receipt(Hash.Sha256([1]), ok ? TxStatus.Success : TxStatus.Failed, ok ? "" : "INSUFFICIENT_BALANCE", cost,
                [new LedgerEvent("tokens", "transfer", [new EventAttribute("amount", value.Get.Length > 500 ? value.Get[..500] : value.Get)])]);
            return Receipt.TryDecode(receipt.Encode(), out var decoded) == CodecError.None && receipt.Equals(decoded);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_receipt_with_an_unknown_status_is_refused()
    {
        var bytes = new Receipt(Hash.Zero, TxStatus.Success, "", 1, []).Encode();
        bytes[33] = 7;
        Assert.Equal(CodecError.InvalidValue, Receipt.TryDecode(bytes, out _));
    }

    [Fact]
    public void Certificates_must_be_sorted_and_free_of_duplicates()
    {
        using var a = KeyPair.Generate();
        using var b = KeyPair.Generate();
        var header = new BlockHeader("c", 1, Hash.Zero, 1, 0, Hash.Zero, Hash.Zero, Hash.Zero);
        var certificate = FinalityCertificate.Of(Attestation.Sign(a, header, new AttestationScope("c", null)), Attestation.Sign(b, header, new AttestationScope("c", null)));
        Assert.Equal(CodecError.None, FinalityCertificate.TryDecode(certificate.Encode(), out var decoded));
        Assert.Equal(certificate, decoded);
        var reversed = new FinalityCertificate([.. certificate.Attestations.Reverse()]);
        Assert.Equal(CodecError.NotSorted, FinalityCertificate.TryDecode(reversed.Encode(), out _));
        var doubled = new FinalityCertificate([certificate.Attestations[0], certificate.Attestations[0]]);
        Assert.Equal(CodecError.NotSorted, FinalityCertificate.TryDecode(doubled.Encode(), out _));
    }

    [Fact]
    public void Certificate_needs_a_quorum_of_genesis_validators()
    {
        using var v1 = KeyPair.Generate();
        using var v2 = KeyPair.Generate();
        using var v3 = KeyPair.Generate();
        using var outsider = KeyPair.Generate();
        var genesis = new Genesis("c", 0, [new GenesisOrg("org", "Org", [v1.PublicKey])],
            [new GenesisValidator("org", v1.PublicKey), new GenesisValidator("org", v2.PublicKey), new GenesisValidator("org", v3.PublicKey)], 2);
        var header = new BlockHeader("c", 4, Hash.Zero, 1, 0, Hash.Zero, Hash.Zero, Hash.Sha256([4]));
        var scope = AttestationScope.Of(genesis);
        Assert.True(ProofVerifier.VerifyCertificate(ValidatorHistory.FromGenesis(genesis), header, FinalityCertificate.Of(Attestation.Sign(v1, header, scope), Attestation.Sign(v3, header, scope))).Ok);

        var one = ProofVerifier.VerifyCertificate(ValidatorHistory.FromGenesis(genesis), header, FinalityCertificate.Of(Attestation.Sign(v1, header, scope)));
        Assert.Equal("certificate", one.Link);
        var stranger = ProofVerifier.VerifyCertificate(ValidatorHistory.FromGenesis(genesis), header, FinalityCertificate.Of(Attestation.Sign(v1, header, scope), Attestation.Sign(outsider, header, scope)));
        Assert.False(stranger.Ok);
        // A quorum is there, but a certificate is checked whole: an entry that proves nothing
        // (a key outside the set in force) refuses it, as a wrong signature of a member does.
        var padded = ProofVerifier.VerifyCertificate(ValidatorHistory.FromGenesis(genesis), header,
            FinalityCertificate.Of(Attestation.Sign(v1, header, scope), Attestation.Sign(v2, header, scope), Attestation.Sign(outsider, header, scope)));
        Assert.Equal("certificate", padded.Link);
        Assert.Contains("not a genesis validator", padded.Message, StringComparison.Ordinal);
        var otherBlock = header with { StateRoot = Hash.Sha256([5]) };
        var moved = ProofVerifier.VerifyCertificate(ValidatorHistory.FromGenesis(genesis), otherBlock, FinalityCertificate.Of(Attestation.Sign(v1, header, scope), Attestation.Sign(v2, header, scope)));
        Assert.False(moved.Ok);
    }
}
