using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Merkle;

/// <summary>An RFC 6962 inclusion proof: leaf index, tree size and the audit path, bottom to top.</summary>
public sealed record MerkleProof(ulong LeafIndex, ulong TreeSize, Hash[] Path) : ICanonical
{
    public const int MaxPathLength = 64;

    public int EncodedLength => 8 + 8 + CanonicalSizes.VarUInt((ulong)Path.Length) + (Path.Length * Hash.Size);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(LeafIndex);
        writer.WriteU64(TreeSize);
        writer.WriteVarUInt((ulong)Path.Length);
        foreach (var hash in Path)
        {
            writer.WriteHash(hash);
        }
    }

    public static MerkleProof Read(ref SpanReader reader)
    {
        var index = reader.ReadU64();
        var size = reader.ReadU64();
        var count = reader.ReadCount(MaxPathLength);
        var path = new Hash[reader.Ok ? count : 0];
        for (var i = 0; i < path.Length; i++)
        {
            path[i] = reader.ReadHash();
        }
        return new MerkleProof(index, size, path);
    }

    public bool Equals(MerkleProof? other) =>
        other is not null && LeafIndex == other.LeafIndex && TreeSize == other.TreeSize && Path.AsSpan().SequenceEqual(other.Path);

    public override int GetHashCode() => HashCode.Combine(LeafIndex, TreeSize, Path.Length);
}
