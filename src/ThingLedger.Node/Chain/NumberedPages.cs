using System.Globalization;
using ThingLedger.Client.Contracts;

namespace ThingLedger.Node.Chain;

/// <summary>Records numbered from 1 without gaps (retirements, trades): a page is direct reads, newest first. Shared by the JSON API and the explorer.</summary>
public static class NumberedPages
{
    /// <summary>Up to <paramref name="limit"/> records numbered below <paramref name="before"/> (all when null), newest first; next is the last number returned.</summary>
    public static Page<TView> Newest<TRecord, TView>(ulong count, ulong? before, int limit, Func<ulong, TRecord?> read, Func<TRecord, TView> view)
        where TRecord : class
    {
        var newest = before == 0 ? 0 : Math.Min(count, (before ?? ulong.MaxValue) - 1);
        var items = new List<TView>();
        var n = newest;
        for (; n >= 1 && items.Count < limit; n--)
        {
            if (read(n) is { } record)
            {
                items.Add(view(record));
            }
        }
        return new Page<TView>(items, n >= 1 ? (n + 1).ToString(CultureInfo.InvariantCulture) : null);
    }
}
