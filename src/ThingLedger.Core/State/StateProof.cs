using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.State;

/// <summary>
/// A sparse Merkle proof: the sibling hashes from the root down to where the key's path ends,
/// and what sits there: nothing, or a leaf (the key's own, or another key's for absence).
/// </summary>
public sealed record StateProof(Hash[] Siblings, bool HasLeaf, Hash LeafKeyHash, Hash LeafValueHash) : ICanonical
{
    public const byte Version = 1;
    public const int MaxDepth = 256;

    public int EncodedLength =>
        1 + CanonicalSizes.VarUInt((ulong)Siblings.Length) + (Siblings.Length * Hash.Size) + 1 + (HasLeaf ? 2 * Hash.Size : 0);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU8(Version);
        writer.WriteVarUInt((ulong)Siblings.Length);
        foreach (var sibling in Siblings)
        {
            writer.WriteHash(sibling);
        }
        writer.WriteBool(HasLeaf);
        if (HasLeaf)
        {
            writer.WriteHash(LeafKeyHash);
            writer.WriteHash(LeafValueHash);
        }
    }

    public static StateProof Read(ref SpanReader reader)
    {
        if (reader.ReadU8() != Version)
        {
            reader.Fail(CodecError.UnknownVersion);
        }
        var count = reader.ReadCount(MaxDepth);
        var siblings = new Hash[reader.Ok ? count : 0];
        for (var i = 0; i < siblings.Length; i++)
        {
            siblings[i] = reader.ReadHash();
        }
        var hasLeaf = reader.ReadBool();
        return hasLeaf
            ? new StateProof(siblings, true, reader.ReadHash(), reader.ReadHash())
            : new StateProof(siblings, false, default, default);
    }

    /// <summary>
    /// Checks the proof against <paramref name="root"/>: with a value, that the key holds exactly
    /// that value; with null, that the key is absent.
    /// </summary>
    public bool Verify(in Hash root, string key, ReadOnlySpan<byte> value, bool present)
    {
        var keyHash = StateKeys.HashKey(key);
        Hash current;
        if (present)
        {
            if (!HasLeaf || LeafKeyHash != keyHash || LeafValueHash != Hash.Sha256(value))
            {
                return false;
            }
            current = SparseMerkleTree.LeafHash(keyHash, LeafValueHash);
        }
        else if (HasLeaf)
        {
            // Another key's leaf occupies the path: it must share every bit walked so far.
            if (LeafKeyHash == keyHash || !SharesPrefix(LeafKeyHash, keyHash, Siblings.Length))
            {
                return false;
            }
            current = SparseMerkleTree.LeafHash(LeafKeyHash, LeafValueHash);
        }
        else
        {
            current = Hash.Zero;
        }
        for (var depth = Siblings.Length - 1; depth >= 0; depth--)
        {
            current = keyHash.Bit(depth) == 0
                ? SparseMerkleTree.NodeHash(current, Siblings[depth])
                : SparseMerkleTree.NodeHash(Siblings[depth], current);
        }
        return current == root;
    }

    private static bool SharesPrefix(in Hash a, in Hash b, int bits)
    {
        for (var i = 0; i < bits; i++)
        {
            if (a.Bit(i) != b.Bit(i))
            {
                return false;
            }
        }
        return true;
    }

    public bool Equals(StateProof? other) =>
        other is not null && HasLeaf == other.HasLeaf && LeafKeyHash == other.LeafKeyHash &&
        LeafValueHash == other.LeafValueHash && Siblings.AsSpan().SequenceEqual(other.Siblings);

    public override int GetHashCode() => HashCode.Combine(Siblings.Length, HasLeaf, LeafKeyHash);
}
