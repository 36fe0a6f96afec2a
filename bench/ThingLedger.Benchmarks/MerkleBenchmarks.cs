using BenchmarkDotNet.Attributes;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Merkle;
using ThingLedger.Core.State;

namespace ThingLedger.Benchmarks;

/// <summary>The per-block Merkle work: a tx root over a full block, and state-tree updates.</summary>
[MemoryDiagnoser]
public class MerkleBenchmarks
{
    private Hash[] _leaves = [];
    private SparseMerkleTree _tree = new();
    private Hash[] _keys = [];
    private int _next;

    [Params(4_000)]
    public int BlockTxs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _leaves = [.. Enumerable.Range(0, BlockTxs).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i)))];
        _tree = new SparseMerkleTree();
        _keys = [.. Enumerable.Range(0, 100_000).Select(i => StateKeys.HashKey($"tokens/balance/VOLT/{i}"))];
        foreach (var key in _keys)
        {
            _tree.Set(key, key);
        }
    }

    [Benchmark]
    public Hash TxRoot() => MerkleTree.Root(_leaves);

    [Benchmark]
    public MerkleProof TxProof() => MerkleTree.Prove(_leaves, BlockTxs / 3);

    /// <summary>One state update in a 100,000-key tree, then the new root.</summary>
    [Benchmark]
    public Hash StateUpdate()
    {
        var key = _keys[_next++ % _keys.Length];
        _tree.Set(key, Hash.Sha256(BitConverter.GetBytes(_next)));
        return _tree.Root;
    }

    [Benchmark]
    public StateProof StateProve() => _tree.Prove(_keys[_next++ % _keys.Length]);
}
