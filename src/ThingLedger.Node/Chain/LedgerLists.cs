using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Identity;
using ThingLedger.Execution.Modules.Tokens;
using ThingLedger.Storage;

namespace ThingLedger.Node.Chain;

/// <summary>
/// The chain's short lists (organisations, tokens, methodologies, credits, programmes), read as one key range of committed state and
/// decoded from the values the range returns. Shared by the JSON API and the explorer.
/// </summary>
public static class LedgerLists
{
    /// <summary>More than any consortium has; the lists are returned whole.</summary>
    public const int MaxEntries = 10_000;

    public static List<(string Id, OrgRecord Org)> Orgs(LedgerStore store) => Decoded(store, IdentityModule.OrgsPrefix, OrgRecord.Read);

    public static List<(string Symbol, TokenRecord Token)> Tokens(LedgerStore store) => Decoded(store, TokensModule.TokensPrefix, TokenRecord.Read);

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
