using ThingLedger.Core.State;

namespace ThingLedger.Execution;

/// <summary>
/// A layer of pending writes over a parent reader. A block's view sits on committed state;
/// each tx gets a child view that is merged into the block's only if the tx succeeds.
/// A null value in <see cref="_writes"/> is a deletion.
/// </summary>
public sealed class StateView : IStateReader
{
    private readonly IStateReader _parent;
    private readonly Dictionary<string, byte[]?> _writes = new(StringComparer.Ordinal);

    public StateView(IStateReader parent) => _parent = parent;

    public ulong Reads { get; private set; }

    public ulong WrittenBytes { get; private set; }

    public ulong Writes { get; private set; }

    public byte[]? Get(string key)
    {
        Reads++;
        return _writes.TryGetValue(key, out var value) ? value : _parent.Get(key);
    }

    public bool Contains(string key) => Get(key) is not null;

    public void Set(string key, byte[] value)
    {
        Writes++;
        WrittenBytes += (ulong)(key.Length + value.Length);
        _writes[key] = value;
    }

    public void Delete(string key)
    {
        Writes++;
        _writes[key] = null;
    }

    /// <summary>Moves this view's writes into <paramref name="target"/> (order-independent: last write per key wins).</summary>
    public void MergeInto(StateView target)
    {
        foreach (var (key, value) in _writes)
        {
            target._writes[key] = value;
        }
    }

    /// <summary>The writes sorted by key (ordinal), the only order in which they are ever iterated.</summary>
    public StateChange[] SortedChanges()
    {
        var changes = new StateChange[_writes.Count];
        var i = 0;
        foreach (var (key, value) in _writes)
        {
            changes[i++] = new StateChange(key, value);
        }
        Array.Sort(changes, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return changes;
    }
}

/// <summary>One key's new value, or null when the key is deleted.</summary>
public readonly record struct StateChange(string Key, byte[]? Value);
