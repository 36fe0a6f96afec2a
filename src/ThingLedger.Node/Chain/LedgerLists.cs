using ThingLedger.Execution;
using ThingLedger.Storage;

namespace ThingLedger.Node.Chain;

/// <summary>
/// A module's short lists (organisations, tokens, methodologies, credits, programmes), read as one key range of committed state and
/// decoded from the values the range returns. Modules' query services read their lists through it.
/// </summary>
public static class LedgerLists
{
    /// <summary>More than any consortium has; the lists are returned whole.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>The records under <paramref name="prefix"/> after the key suffix <paramref name="after"/>, each with its key suffix (the next page's cursor).</summary>
    public static List<(string Id, T Record)> Decoded<T>(LedgerStore store, string prefix, Payload.Reader<T> read, string? after = null, int limit = MaxEntries)
    {
        var entries = new List<(string, T)>();
        foreach (var (key, value) in store.Scan(prefix, after is null ? null : prefix + after, limit))
        {
            entries.Add((key[prefix.Length..], Payload.TryDecode(value, read, out var record)
                ? record
                : throw new InvalidOperationException($"the state record at '{key}' does not decode")));
        }
        return entries;
    }
}
