using ThingLedger.Core.Crypto;
using ThingLedger.Core.State;
using ThingLedger.Execution;

namespace ThingLedger.Storage;

/// <summary>
/// Committed state in memory: every key's value plus the sparse Merkle tree over them.
/// One writer (the chain) and many readers (queries and proofs); readers take the read lock.
/// </summary>
internal sealed class AuthenticatedState
{
    private readonly Dictionary<string, byte[]> _values = new(StringComparer.Ordinal);
    private readonly SparseMerkleTree _tree = new();

    public int Count => _values.Count;

    public Hash Root => _tree.Root;

    public byte[]? Get(string key) => _values.TryGetValue(key, out var value) ? value : null;

    public void Load(string key, byte[] value)
    {
        _values[key] = value;
        _tree.Set(StateKeys.HashKey(key), Hash.Sha256(value));
    }

    public void Apply(StateChange[] changes)
    {
        foreach (var change in changes)
        {
            if (change.Value is null)
            {
                if (_values.Remove(change.Key))
                {
                    _tree.Remove(StateKeys.HashKey(change.Key));
                }
            }
            else
            {
                _values[change.Key] = change.Value;
                _tree.Set(StateKeys.HashKey(change.Key), Hash.Sha256(change.Value));
            }
        }
    }

    public StateProof Prove(string key) => _tree.Prove(StateKeys.HashKey(key));
}
