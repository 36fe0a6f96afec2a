namespace ThingLedger.Core.Codec;

/// <summary>
/// A small set of decoded strings found by their UTF-8 bytes, so that an identifier repeated in
/// thousands of records (a reading's schema id) is one string, not thousands. Holds at most
/// <see cref="Capacity"/> strings; when full, each new one replaces the oldest, so strings that
/// stop arriving (or junk an upload made up) make way for those that keep arriving. Thread-safe:
/// a slot is replaced by one reference write.
/// </summary>
public sealed class Utf8Interner
{
    private readonly Entry?[] _slots;
    private int _next = -1;

    public Utf8Interner(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _slots = new Entry?[capacity];
    }

    /// <summary>Schema ids of readings.</summary>
    public static Utf8Interner SchemaIds { get; } = new(64);

    public int Capacity => _slots.Length;

    /// <summary>The held string whose UTF-8 form is <paramref name="utf8"/>, or null.</summary>
    public string? Find(ReadOnlySpan<byte> utf8)
    {
        foreach (var entry in _slots)
        {
            if (entry is not null && utf8.SequenceEqual(entry.Utf8))
            {
                return entry.Text;
            }
        }
        return null;
    }

    /// <summary>Holds <paramref name="text"/> (whose UTF-8 form is <paramref name="utf8"/>) in place of the oldest.</summary>
    public void Add(ReadOnlySpan<byte> utf8, string text)
    {
        var slot = (int)((uint)Interlocked.Increment(ref _next) % (uint)_slots.Length);
        Volatile.Write(ref _slots[slot], new Entry(utf8.ToArray(), text));
    }

    private sealed record Entry(byte[] Utf8, string Text);
}
