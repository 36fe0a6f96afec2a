using FsCheck;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.State;

namespace ThingLedger.Core.Tests.State;

public class SparseMerkleTreeTests
{
    private static Hash V(string value) => Hash.Sha256(System.Text.Encoding.UTF8.GetBytes(value));

    [Fact]
    public void Fixed_vectors_match()
    {
        var tree = new SparseMerkleTree();
        Assert.Equal(Hash.Zero, tree.Root);
        tree.Set(StateKeys.HashKey("a"), V("1"));
        Assert.Equal(FixedVectors.StateRootA1, tree.Root.ToString());
        Assert.Equal(SparseMerkleTree.LeafHash(StateKeys.HashKey("a"), V("1")), tree.Root);
        tree.Set(StateKeys.HashKey("b"), V("2"));
        Assert.Equal(FixedVectors.StateRootA1B2, tree.Root.ToString());
    }

    [Fact]
    public void The_root_depends_only_on_the_final_set_of_entries() =>
        Prop.ForAll<Dictionary<int, int>, int>((entries, seed) =>
        {
            var keys = entries.Keys.ToArray();
            var forward = new SparseMerkleTree();
            foreach (var k in keys)
            {
                forward.Set(StateKeys.HashKey($"k{k}"), V($"{entries[k]}"));
            }
            var shuffled = new SparseMerkleTree();
            var random = new System.Random(seed);
            foreach (var k in keys.OrderBy(_ => random.Next()))
            {
                // Write a decoy first, then the real value, and add and remove an extra key.
                shuffled.Set(StateKeys.HashKey($"k{k}"), V("decoy"));
                shuffled.Set(StateKeys.HashKey("extra"), V("x"));
                shuffled.Set(StateKeys.HashKey($"k{k}"), V($"{entries[k]}"));
                shuffled.Remove(StateKeys.HashKey("extra"));
            }
            return forward.Root == shuffled.Root && forward.Count == keys.Length && shuffled.Count == keys.Length;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Removing_every_entry_gives_the_empty_root()
    {
        var tree = new SparseMerkleTree();
        for (var i = 0; i < 200; i++)
        {
            tree.Set(StateKeys.HashKey($"k{i}"), V("v"));
        }
        for (var i = 0; i < 200; i++)
        {
            tree.Remove(StateKeys.HashKey($"k{i}"));
        }
        Assert.Equal(Hash.Zero, tree.Root);
        Assert.Equal(0, tree.Count);
    }

    [Fact]
    public void Presence_and_absence_proofs_verify_and_lies_do_not() =>
        Prop.ForAll(Gen.Choose(0, 300).ToArbitrary(), Arb.Default.NonNegativeInt(), (size, probe) =>
        {
            var tree = new SparseMerkleTree();
            for (var i = 0; i < size; i++)
            {
                tree.Set(StateKeys.HashKey($"k{i}"), V($"v{i}"));
            }
            var root = tree.Root;
            var present = $"k{probe.Get % Math.Max(size, 1)}";
            var absent = $"missing{probe.Get}";
            var value = System.Text.Encoding.UTF8.GetBytes($"v{probe.Get % Math.Max(size, 1)}");
            var presentProof = tree.Prove(StateKeys.HashKey(present));
            var absentProof = tree.Prove(StateKeys.HashKey(absent));
            var presentOk = size == 0 || (presentProof.Verify(root, present, value, true)
                && !presentProof.Verify(root, present, "wrong"u8, true)
                && !presentProof.Verify(root, present, [], false));
            return presentOk
                && absentProof.Verify(root, absent, [], false)
                && !absentProof.Verify(root, absent, value, true);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void An_absence_proof_cannot_hide_a_present_key()
    {
        var tree = new SparseMerkleTree();
        for (var i = 0; i < 50; i++)
        {
            tree.Set(StateKeys.HashKey($"k{i}"), V("v"));
        }
        // The proof for k7 shows k7's own leaf: it can never be read as "k7 is absent".
        var proof = tree.Prove(StateKeys.HashKey("k7"));
        Assert.False(proof.Verify(tree.Root, "k7", [], false));
        // Truncating the path so another leaf seems to sit there breaks the root.
        var cut = proof with { Siblings = proof.Siblings[..^1] };
        Assert.False(cut.Verify(tree.Root, "k7", "v"u8, true));
    }

    [Fact]
    public void Proofs_round_trip_through_the_codec_and_reject_trailing_bytes()
    {
        var tree = new SparseMerkleTree();
        tree.Set(StateKeys.HashKey("a"), V("1"));
        tree.Set(StateKeys.HashKey("b"), V("2"));
        var proof = tree.Prove(StateKeys.HashKey("a"));
        var bytes = Canonical.Encode(proof);
        var reader = new SpanReader(bytes);
        Assert.Equal(proof, StateProof.Read(ref reader));
        Assert.Equal(CodecError.None, reader.Finish());
        var longer = new SpanReader([.. bytes, 0]);
        StateProof.Read(ref longer);
        Assert.Equal(CodecError.TrailingBytes, longer.Finish());
    }
}
