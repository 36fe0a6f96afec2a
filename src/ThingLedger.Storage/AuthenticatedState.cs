using ThingLedger.Core.Crypto;
using ThingLedger.Core.State;

namespace ThingLedger.Storage;

/// <summary>
/// State in memory: every key's value plus the sparse Merkle tree over them. A block is applied
/// in two steps so that readers are not held up while it is written to disk: <see cref="Stage"/>
/// applies its values and remembers what they replaced, so <see cref="Get"/> keeps answering
/// with the committed values; <see cref="Publish"/> forgets the old values once the block is
/// durable. The caller serialises writers and excludes readers during both steps; the tree is
/// the writer's alone between them (proofs wait for publication).
/// </summary>
internal sealed class AuthenticatedState
{
    private readonly Dictionary<string, byte[]> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]?> _replaced = new(StringComparer.Ordinal);
    private readonly SparseMerkleTree _tree = new();

    /// <summary>Number of committed keys (exact only while nothing is staged).</summary>
    public int Count => _values.Count;

    public Hash Root => _tree.Root;

    /// <summary>The committed value: a staged block is not visible until it is published.</summary>
    public byte[]? Get(string key) =>
        _replaced.TryGetValue(key, out var old) ? old : _values.GetValueOrDefault(key);

    public void Load(string key, byte[] value)
    {
        _values[key] = value;
        _tree.Set(StateKeys.HashKey(key), Hash.Sha256(value));
    }

    /// <summary>Applies a block's values, keeping each replaced value visible to <see cref="Get"/>.</summary>
    public void Stage(StateChange[] changes)
    {
        if (_replaced.Count != 0)
        {
            throw new InvalidOperationException("a staged block has not been published");
        }
        foreach (var change in changes)
        {
            _replaced.TryAdd(change.Key, _values.GetValueOrDefault(change.Key));
            if (change.Value is null)
            {
                _values.Remove(change.Key);
            }
            else
            {
                _values[change.Key] = change.Value;
            }
        }
    }

    /// <summary>Brings the tree up to the staged values and returns the new root.</summary>
    public Hash UpdateTree(StateChange[] changes)
    {
        foreach (var change in changes)
        {
            if (change.Value is null)
            {
                _tree.Remove(StateKeys.HashKey(change.Key));
            }
            else
            {
                _tree.Set(StateKeys.HashKey(change.Key), Hash.Sha256(change.Value));
            }
        }
        return _tree.Root;
    }

    /// <summary>Undoes a staged block (values and tree) as if it had never been staged.</summary>
    public void Revert()
    {
        foreach (var (key, old) in _replaced)
        {
            if (old is null)
            {
                _values.Remove(key);
                _tree.Remove(StateKeys.HashKey(key));
            }
            else
            {
                _values[key] = old;
                _tree.Set(StateKeys.HashKey(key), Hash.Sha256(old));
            }
        }
        _replaced.Clear();
    }

    /// <summary>Makes the staged block the committed state.</summary>
    public void Publish() => _replaced.Clear();

    public StateProof Prove(string key) => _tree.Prove(StateKeys.HashKey(key));
}
