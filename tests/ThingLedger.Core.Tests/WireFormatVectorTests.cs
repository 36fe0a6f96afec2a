using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Merkle;
using ThingLedger.Core.State;

namespace ThingLedger.Core.Tests;

/// <summary>
/// The vectors of docs/WIRE-FORMAT.md that a verifier written from the docs alone needs beyond
/// the primitives: genesis, attestation digests, proofs' encodings and the sparse Merkle tree's
/// bit order. Changing any of these is a wire-format break.
/// </summary>
public class WireFormatVectorTests
{
    private const string GenesisHex =
        "020c766563746f722d636861696e0000018bcfe56800010461636d650441636d6501046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5010461636d65046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f500000001";

    private const string GenesisJson = """
        {
          "version": 2,
          "chainId": "vector-chain",
          "timestamp": 1700000000000,
          "orgs": [
            {
              "id": "acme",
              "name": "Acme",
              "admins": [
                "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
              ]
            }
          ],
          "validators": [
            {
              "org": "acme",
              "publicKey": "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
            }
          ],
          "quorum": 1
        }
        """;

    private static PublicKey Key1 => PublicKey.TryParseHex(FixedVectors.PublicKey1Hex, out var key) ? key! : throw new InvalidOperationException();

    private static Genesis VectorGenesis(byte version = Genesis.CurrentVersion) =>
        new("vector-chain", 1_700_000_000_000, [new GenesisOrg("acme", "Acme", [Key1])], [new GenesisValidator("acme", Key1)], 1, version);

    [Fact]
    public void Genesis_encoding_hash_and_json_match_the_documented_vector()
    {
        var genesis = VectorGenesis();
        Assert.Equal(GenesisHex, Convert.ToHexStringLower(Canonical.Encode(genesis)));
        Assert.Equal("3def9900b32a794b033f79e516bc008fe715c48e2c3a7ef77ce19a2ff082a890", genesis.Hash.ToString());
        Assert.Equal("c26920c349ae5f3fc42dd5d2391997a1a66737577b0200fc19efe90c2539a03b", VectorGenesis(Genesis.UnboundVersion).Hash.ToString());
        Assert.Equal(GenesisJson, genesis.ToJson().ReplaceLineEndings("\n"));
        Assert.Equal(genesis.Hash, Genesis.Parse(GenesisJson).Hash);
    }

    [Fact]
    public void Attestation_digests_of_both_versions_match_the_documented_vectors()
    {
        var header = Hash.Parse(FixedVectors.HeaderHash);
        var root = Hash.Parse(FixedVectors.StateRootA1B2);
        var bound = AttestationScope.Of(VectorGenesis());
        var unbound = AttestationScope.Of(VectorGenesis(Genesis.UnboundVersion));
        Assert.Equal("835ce7300dcdea0a9705b9841c0847a33b6625f087709b9f720abb89e61e4481", SigningDigest.Compute(bound.Tag, bound.ChainId, bound.Body(1, header, root)).ToString());
        Assert.Equal("9c8838fd51252e97b3c27ef4546765af22b82fdda4d07747d7509ed523d45be8", SigningDigest.Compute(unbound.Tag, unbound.ChainId, unbound.Body(1, header, root)).ToString());
    }

    [Fact]
    public void A_state_value_is_committed_as_its_raw_bytes_and_bit_0_of_a_key_hash_goes_left()
    {
        var a = StateKeys.HashKey("a");
        var b = StateKeys.HashKey("b");
        Assert.Equal("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", a.ToString());
        Assert.Equal("3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d", b.ToString());
        // The values are the single bytes 0x31 and 0x32 ("1" and "2"), hashed as they are: no length prefix.
        var leafA = SparseMerkleTree.LeafHash(a, Hash.Sha256([0x31]));
        var leafB = SparseMerkleTree.LeafHash(b, Hash.Sha256([0x32]));
        // a's hash starts with bit 1, b's with bit 0: b is the left child of the root.
        Assert.Equal(1, a.Bit(0));
        Assert.Equal(0, b.Bit(0));
        Assert.Equal(FixedVectors.StateRootA1B2, SparseMerkleTree.NodeHash(leafB, leafA).ToString());

        var tree = new SparseMerkleTree();
        tree.Set(a, Hash.Sha256([0x31]));
        tree.Set(b, Hash.Sha256([0x32]));
        Assert.Equal("01019a958649c9e8e0668b509754fd662e5e68b0a04c203a6fb7ebaf19a65d1e3e1d01ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b", Convert.ToHexStringLower(Canonical.Encode(tree.Prove(a))));
        // "c" hashes to 2e7d…, bit 0 is 0: the path ends at b's leaf, another key: absence.
        Assert.Equal("0101565388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d3013e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009dd4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35", Convert.ToHexStringLower(Canonical.Encode(tree.Prove(StateKeys.HashKey("c")))));
    }

    [Fact]
    public void A_merkle_proof_encodes_index_size_and_path_bottom_up()
    {
        Hash[] leaves = [MerkleTree.LeafHash("a"u8), MerkleTree.LeafHash("b"u8), MerkleTree.LeafHash("c"u8)];
        var proof = MerkleTree.Prove(leaves, 1);
        Assert.Equal("0000000000000001000000000000000302022a6979e6dab7aa5ae4c3e5e45f7e977112a7e63593820dbec1ec738a24f93c597fcb31282d34654c200d3418fca5705c648ebf326ec73d8ddef11841f876d8", Convert.ToHexStringLower(Canonical.Encode(proof)));
        Assert.True(MerkleTree.Verify(Hash.Parse(FixedVectors.MerkleRootABC), leaves[1], proof));
    }
}
