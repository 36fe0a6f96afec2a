using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Merkle;

/// <summary>
/// RFC 6962 Merkle tree hashing: leaves are H(0x00 ‖ data), inner nodes H(0x01 ‖ left ‖ right),
/// the empty tree is H(""). Splitting at the largest power of two below n is the same as
/// pairing level by level and carrying an odd last node up unchanged, which is what we do.
/// </summary>
public static class MerkleTree
{
    public const byte LeafPrefix = 0x00;
    public const byte NodePrefix = 0x01;

    public static Hash EmptyRoot { get; } = Hash.Sha256(ReadOnlySpan<byte>.Empty);

    public static Hash LeafHash(ReadOnlySpan<byte> data) => Hash.Sha256(LeafPrefix, data);

    public static Hash NodeHash(in Hash left, in Hash right) => Hash.Sha256(NodePrefix, left, right);

    /// <summary>The root over already-hashed leaves.</summary>
    public static Hash Root(ReadOnlySpan<Hash> leafHashes)
    {
        if (leafHashes.IsEmpty)
        {
            return EmptyRoot;
        }
        var level = leafHashes.ToArray();
        var count = level.Length;
        while (count > 1)
        {
            var next = 0;
            for (var i = 0; i < count; i += 2)
            {
                level[next++] = i + 1 < count ? NodeHash(level[i], level[i + 1]) : level[i];
            }
            count = next;
        }
        return level[0];
    }

    /// <summary>The audit path (RFC 6962 §2.1.1) for leaf <paramref name="index"/>, bottom to top.</summary>
    public static MerkleProof Prove(ReadOnlySpan<Hash> leafHashes, int index)
    {
        if ((uint)index >= (uint)leafHashes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }
        var path = new List<Hash>();
        var level = leafHashes.ToArray();
        var count = level.Length;
        var position = index;
        while (count > 1)
        {
            if ((position & 1) == 1)
            {
                path.Add(level[position - 1]);
            }
            else if (position + 1 < count)
            {
                path.Add(level[position + 1]);
            }
            var next = 0;
            for (var i = 0; i < count; i += 2)
            {
                level[next++] = i + 1 < count ? NodeHash(level[i], level[i + 1]) : level[i];
            }
            count = next;
            position >>= 1;
        }
        return new MerkleProof((ulong)index, (ulong)leafHashes.Length, [.. path]);
    }

    /// <summary>RFC 9162 §2.1.3.2: checks that <paramref name="leafHash"/> is at the proof's index under <paramref name="root"/>.</summary>
    public static bool Verify(in Hash root, in Hash leafHash, MerkleProof proof) =>
        TryComputeRoot(leafHash, proof, out var computed) && computed == root;

    /// <summary>The root that the audit path leads to from <paramref name="leafHash"/>; false when the path does not fit the tree size.</summary>
    public static bool TryComputeRoot(in Hash leafHash, MerkleProof proof, out Hash root)
    {
        root = default;
        if (proof.LeafIndex >= proof.TreeSize)
        {
            return false;
        }
        var fn = proof.LeafIndex;
        var sn = proof.TreeSize - 1;
        var r = leafHash;
        foreach (var p in proof.Path)
        {
            if (sn == 0)
            {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = NodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        root = r;
        return sn == 0;
    }
}
