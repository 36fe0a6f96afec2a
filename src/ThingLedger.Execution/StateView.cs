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
    private string? _owner;

    private readonly GasMeter? _meter;

    public StateView(IStateReader parent) => _parent = parent;

    /// <summary>A tx's view: every read and write is charged to <paramref name="meter"/>.</summary>
    public StateView(IStateReader parent, GasMeter meter)
    {
        _parent = parent;
        _meter = meter;
    }

    /// <summary>
    /// The module whose keys this view may write (null: the kernel, which writes anywhere). A
    /// write under another module's prefix throws <see cref="StateNotOwnedException"/>, which
    /// fails the tx with STATE_NOT_OWNED.
    /// </summary>
    public string? Owner => _owner;

    /// <summary>Lets only <paramref name="module"/>'s keys ("{module}/…") be written until the returned scope ends.</summary>
    internal OwnerScope Own(string? module)
    {
        var previous = _owner;
        _owner = module;
        return new OwnerScope(this, previous);
    }

    internal readonly struct OwnerScope(StateView view, string? previous) : IDisposable
    {
        public void Dispose() => view._owner = previous;
    }

    private void CheckOwner(string key)
    {
        if (_owner is { } owner && !(key.Length > owner.Length && key[owner.Length] == '/' && key.StartsWith(owner, StringComparison.Ordinal)))
        {
            throw new StateNotOwnedException(owner, key);
        }
    }

    public byte[]? Get(string key)
    {
        var value = _writes.TryGetValue(key, out var written) ? written : _parent.Get(key);
        _meter?.ChargeRead(value?.Length ?? 0);
        return value;
    }

    public bool Contains(string key) => Get(key) is not null;

    public void Set(string key, byte[] value)
    {
        CheckOwner(key);
        _meter?.ChargeWrite(key.Length + value.Length, delete: false);
        _writes[key] = value;
    }

    public void Delete(string key)
    {
        CheckOwner(key);
        _meter?.ChargeWrite(key.Length, delete: true);
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

/// <summary>A module wrote a key outside its own prefix; the tx fails with STATE_NOT_OWNED and none of its writes land.</summary>
public sealed class StateNotOwnedException(string owner, string key)
    : InvalidOperationException($"module '{owner}' may write only keys under '{owner}/', not '{key}'")
{
    public string Owner { get; } = owner;

    public string Key { get; } = key;
}

/// <summary>
/// Token amounts in state: a u128 (big-endian) under a key, zero when absent. Zero is never
/// stored, so absence and zero are the same state.
/// </summary>
public static class Amounts
{
    public static UInt128 Read(IStateReader state, string key) => Decode(state.Get(key));

    /// <summary>A stored amount's value (zero for anything that is not 16 bytes).</summary>
    public static UInt128 Decode(byte[]? bytes) =>
        bytes is { Length: 16 } ? System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes) : UInt128.Zero;

    public static void Write(StateView state, string key, UInt128 amount)
    {
        if (amount == UInt128.Zero)
        {
            state.Delete(key);
            return;
        }
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, amount);
        state.Set(key, bytes);
    }
}

/// <summary>Numbering in state: a u64 (big-endian) under a key, 0 when absent. Records numbered from 1 without gaps.</summary>
public static class Counters
{
    public static ulong Read(IStateReader state, string key) =>
        state.Get(key) is { Length: 8 } bytes ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes) : 0;

    /// <summary>Advances the counter and returns the new number.</summary>
    public static ulong Next(StateView state, string key)
    {
        var next = Read(state, key) + 1;
        Write(state, key, next);
        return next;
    }

    /// <summary>Sets the counter (a u64 under the key, as <see cref="Read"/> reads it).</summary>
    public static void Write(StateView state, string key, ulong value)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        state.Set(key, bytes);
    }
}
