using FsCheck;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Merkle;

namespace ThingLedger.Core.Tests.Merkle;

public class MerkleTreeTests
{
    private static Hash[] Leaves(int count) =>
        [.. Enumerable.Range(0, count).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i)))];

    [Fact]
    public void Fixed_vectors_match()
    {
        Assert.Equal(FixedVectors.MerkleEmptyRoot, MerkleTree.EmptyRoot.ToString());
        Assert.Equal(FixedVectors.MerkleLeafA, MerkleTree.LeafHash("a"u8).ToString());
        Hash[] abc = [MerkleTree.LeafHash("a"u8), MerkleTree.LeafHash("b"u8), MerkleTree.LeafHash("c"u8)];
        Assert.Equal(FixedVectors.MerkleRootABC, MerkleTree.Root(abc).ToString());
        // RFC 6962 shape for three leaves: H(1 ‖ H(1 ‖ a ‖ b) ‖ c).
        Assert.Equal(MerkleTree.NodeHash(MerkleTree.NodeHash(abc[0], abc[1]), abc[2]), MerkleTree.Root(abc));
    }

    [Fact]
    public void A_leaf_is_never_an_inner_node()
    {
        var a = MerkleTree.LeafHash("a"u8);
        var b = MerkleTree.LeafHash("b"u8);
        Span<byte> concatenated = stackalloc byte[64];
        a.CopyTo(concatenated);
        b.CopyTo(concatenated[32..]);
        Assert.NotEqual(MerkleTree.NodeHash(a, b), MerkleTree.LeafHash(concatenated));
    }

    [Fact]
    public void Every_leaf_of_every_tree_size_up_to_70_proves()
    {
        for (var size = 1; size <= 70; size++)
        {
            var leaves = Leaves(size);
            var root = MerkleTree.Root(leaves);
            for (var i = 0; i < size; i++)
            {
                Assert.True(MerkleTree.Verify(root, leaves[i], MerkleTree.Prove(leaves, i)), $"size {size} index {i}");
            }
        }
    }

    [Fact]
    // The tree size is not authenticated by the path alone: verifiers take it from the
    // signed header (ProofVerifier checks TreeSize against the header's tx count).
    public void Proofs_for_the_wrong_leaf_or_index_fail() =>
        Prop.ForAll(Gen.Choose(2, 300).ToArbitrary(), Arb.Default.PositiveInt(), (size, pick) =>
        {
            var leaves = Leaves(size);
            var index = pick.Get % size;
            var root = MerkleTree.Root(leaves);
            var proof = MerkleTree.Prove(leaves, index);
            var other = (index + 1) % size;
            return MerkleTree.Verify(root, leaves[index], proof)
                && !MerkleTree.Verify(root, leaves[other], proof)
                && !MerkleTree.Verify(root, leaves[index], proof with { LeafIndex = (ulong)other });
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_tampered_path_hash_fails()
    {
        var leaves = Leaves(9);
        var proof = MerkleTree.Prove(leaves, 4);
        var path = proof.Path.ToArray();
        path[1] = Hash.Sha256("tampered"u8);
        Assert.False(MerkleTree.Verify(MerkleTree.Root(leaves), leaves[4], proof with { Path = path }));
    }

    [Fact]
    public void Proofs_round_trip_through_the_codec()
    {
        var proof = MerkleTree.Prove(Leaves(13), 7);
        var bytes = Canonical.Encode(proof);
        var reader = new SpanReader(bytes);
        var decoded = MerkleProof.Read(ref reader);
        Assert.Equal(CodecError.None, reader.Finish());
        Assert.Equal(proof, decoded);
    }
}
