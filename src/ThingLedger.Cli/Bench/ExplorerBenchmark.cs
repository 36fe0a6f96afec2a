using System.Diagnostics;
using ThingLedger.Client;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Cli.Bench;

/// <summary>Settings of `bench explorer`.</summary>
internal sealed record ExplorerBenchmarkOptions(int Txs, int Devices, int ReadingsPerDevice, int Requests);

/// <summary>How long one explorer page took to serve, over the measured requests.</summary>
internal sealed record PageTiming(string Page, string Path, double P50Ms, double P99Ms, double MaxMs, int Bytes)
{
    /// <summary>The path with ids and hashes cut to their first 8 characters, for a table that fits a terminal.</summary>
    public string ShortPath => System.Text.RegularExpressions.Regex.Replace(Path, "([0-9a-z]{8})[0-9a-z]{12,}", "$1…");
}

/// <summary>
/// Times the explorer's pages on a filled chain: each page is fetched once to warm up, then
/// <see cref="ExplorerBenchmarkOptions.Requests"/> times one after another over HTTP, and the
/// full response (rendered HTML, read to the end) is what is timed. The pages are chosen deep
/// in the history (a block and a tx from the middle of the chain, cursors into old pages, a
/// busy account and token) so an index that is missing shows up as a slow page.
/// </summary>
internal sealed class ExplorerBenchmark(HttpClient http, ThingLedgerClient client, LedgerNode node, int requests)
{
    public async Task<List<PageTiming>> MeasureAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        var pages = await PagesAsync(cancellationToken).ConfigureAwait(false);
        var timings = new List<PageTiming>(pages.Count);
        foreach (var (page, path) in pages)
        {
            progress($"timing {path}");
            var bytes = await FetchAsync(path, cancellationToken).ConfigureAwait(false);
            var samples = new List<double>(requests);
            for (var i = 0; i < requests; i++)
            {
                var clock = Stopwatch.StartNew();
                await FetchAsync(path, cancellationToken).ConfigureAwait(false);
                samples.Add(clock.Elapsed.TotalMilliseconds);
            }
            timings.Add(new PageTiming(page, path, IngestBenchmark.Percentile(samples, 0.50), IngestBenchmark.Percentile(samples, 0.99), samples.Max(), bytes));
        }
        return timings;
    }

    private async Task<int> FetchAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
        }
        return (await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false)).Length;
    }

    /// <summary>The pages to time, with targets picked from the middle of the chain.</summary>
    private async Task<List<(string Page, string Path)>> PagesAsync(CancellationToken cancellationToken)
    {
        var head = node.Head.Height;
        var middle = head / 2;
        var tx = node.Store.RecentTxs(new TxPosition(middle, 0), 1) is [var found, ..] ? found
            : throw new InvalidOperationException($"no tx before height {middle}: fill the chain first");
        var signer = tx.Transaction.SignerAddress.ToString();
        var devices = await client.ListDevicesAsync(limit: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        var device = devices.Items is [var d, ..] ? d.Id : throw new InvalidOperationException("no device registered: fill the chain first");
        var reading = await client.GetLatestReadingAsync(Core.Crypto.Address.Parse(device), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"device {device} has no reading");
        return
        [
            ("overview", "/"),
            ("blocks, newest", "/blocks"),
            ("blocks, page at the middle", $"/blocks?before={middle}"),
            ("block detail, middle", $"/blocks/{tx.Height}"),
            ("transactions, newest", "/txs"),
            ("transactions, page at the middle", $"/txs?before={tx.Height}-{tx.Index}"),
            ("transaction detail, middle", $"/txs/{tx.Transaction.Id}"),
            ("account detail, busy sender", $"/accounts/{signer}"),
            ("tokens", "/tokens"),
            ("token detail, busiest token", $"/tokens/{TxBenchmarkOptions.DefaultSymbol}"),
            ("devices", "/devices"),
            ("device detail, 24 h charts", $"/devices/{device}?range=24h"),
            ("reading detail", $"/devices/{device}/readings/{reading.Seq}"),
            ("reading verify (offline check)", $"/devices/{device}/readings/{reading.Seq}?verify=true"),
            ("organisations", "/orgs"),
            ("search, tx id", $"/search?q={tx.Transaction.Id}"),
        ];
    }
}
