using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.State;

/// <summary>
/// A binary sparse Merkle tree over 256-bit key hashes, kept compact: an empty subtree hashes
/// to zero, a subtree with one entry hashes to that entry's leaf hash H(0x00 ‖ keyHash ‖ valueHash),
/// any other subtree to H(0x01 ‖ left ‖ right). The root depends only on the set of entries.
/// Not thread-safe: the owner serialises writers against readers.
/// </summary>
public sealed class SparseMerkleTree
{
    public const byte LeafPrefix = 0x00;
    public const byte NodePrefix = 0x01;

    private Node? _root;

    public int Count { get; private set; }

    public Hash Root => _root?.ComputeHash() ?? Hash.Zero;

    public static Hash LeafHash(in Hash keyHash, in Hash valueHash) => Hash.Sha256(LeafPrefix, keyHash, valueHash);

    public static Hash NodeHash(in Hash left, in Hash right) => Hash.Sha256(NodePrefix, left, right);

    public void Set(in Hash keyHash, in Hash valueHash) => _root = Insert(_root, 0, new Leaf(keyHash, valueHash));

    public void Remove(in Hash keyHash) => _root = Delete(_root, 0, keyHash);

    /// <summary>A proof of the value at <paramref name="keyHash"/>, or of its absence.</summary>
    public StateProof Prove(in Hash keyHash)
    {
        var siblings = new List<Hash>();
        var node = _root;
        var depth = 0;
        while (node is Branch branch)
        {
            var bit = keyHash.Bit(depth);
            siblings.Add((bit == 0 ? branch.Right : branch.Left)?.ComputeHash() ?? Hash.Zero);
            node = bit == 0 ? branch.Left : branch.Right;
            depth++;
        }
        return node is Leaf leaf
            ? new StateProof([.. siblings], true, leaf.KeyHash, leaf.ValueHash)
            : new StateProof([.. siblings], false, default, default);
    }

    private Node Insert(Node? node, int depth, Leaf leaf)
    {
        switch (node)
        {
            case null:
                Count++;
                return leaf;
            case Leaf existing when existing.KeyHash == leaf.KeyHash:
                return leaf;
            case Leaf existing:
                Count++;
                return Split(existing, leaf, depth);
            case Branch branch:
                if (leaf.KeyHash.Bit(depth) == 0)
                {
                    branch.Left = Insert(branch.Left, depth + 1, leaf);
                }
                else
                {
                    branch.Right = Insert(branch.Right, depth + 1, leaf);
                }
                branch.Invalidate();
                return branch;
            default:
                throw new InvalidOperationException("unknown node");
        }
    }

    private static Branch Split(Leaf a, Leaf b, int depth)
    {
        var bitA = a.KeyHash.Bit(depth);
        var bitB = b.KeyHash.Bit(depth);
        if (bitA == bitB)
        {
            var child = Split(a, b, depth + 1);
            return bitA == 0 ? new Branch(child, null) : new Branch(null, child);
        }
        return bitA == 0 ? new Branch(a, b) : new Branch(b, a);
    }

    private Node? Delete(Node? node, int depth, in Hash keyHash)
    {
        switch (node)
        {
            case null:
                return null;
            case Leaf leaf:
                if (leaf.KeyHash != keyHash)
                {
                    return leaf;
                }
                Count--;
                return null;
            case Branch branch:
                if (keyHash.Bit(depth) == 0)
                {
                    branch.Left = Delete(branch.Left, depth + 1, keyHash);
                }
                else
                {
                    branch.Right = Delete(branch.Right, depth + 1, keyHash);
                }
                // Keep the canonical shape: a subtree with a single entry is that entry's leaf.
                if (branch.Left is null && branch.Right is null)
                {
                    return null;
                }
                if (branch.Left is null && branch.Right is Leaf right)
                {
                    return right;
                }
                if (branch.Right is null && branch.Left is Leaf left)
                {
                    return left;
                }
                branch.Invalidate();
                return branch;
            default:
                throw new InvalidOperationException("unknown node");
        }
    }

    private abstract class Node
    {
        public abstract Hash ComputeHash();
    }

    private sealed class Leaf(Hash keyHash, Hash valueHash) : Node
    {
        private readonly Hash _hash = LeafHash(keyHash, valueHash);

        public Hash KeyHash { get; } = keyHash;

        public Hash ValueHash { get; } = valueHash;

        public override Hash ComputeHash() => _hash;
    }

    private sealed class Branch(Node? left, Node? right) : Node
    {
        private Hash _hash;
        private bool _valid;

        public Node? Left { get; set; } = left;

        public Node? Right { get; set; } = right;

        public void Invalidate() => _valid = false;

        public override Hash ComputeHash()
        {
            if (!_valid)
            {
                _hash = NodeHash(Left?.ComputeHash() ?? Hash.Zero, Right?.ComputeHash() ?? Hash.Zero);
                _valid = true;
            }
            return _hash;
        }
    }
}
