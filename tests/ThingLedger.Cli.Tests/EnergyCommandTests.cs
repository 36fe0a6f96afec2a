using System.Text.Json;

namespace ThingLedger.Cli.Tests;

/// <summary>Energy trading from the command line, on a node: a market, meters joined by their owners, offers and bids (one by a meter's own key), the book, and the refusals.</summary>
public sealed class EnergyCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-cli-energy-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<string> RunAsync(params string[] args) => CliProcess.SucceedsAsync(Limit, args);

    private static Task RefusedAsync(string code, params string[] args) => CliProcess.RefusedAsync(code, Limit, args);

    [Fact]
    public async Task Owners_join_their_meters_and_trade_in_the_next_interval_whose_book_shows_every_order()
    {
        var data = Path.Combine(_directory, "chain");
        await RunAsync("init", "--data", data);
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort());
        string[] common = ["--data", data, "--node", node.Url];
        foreach (var name in new[] { "solar", "flat", "solar-meter", "flat-meter" })
        {
            await RunAsync(["keys", "new", name, .. common]);
        }
        await RunAsync(["schema", "register", "--builtin", "smart-meter@2", "--as", "gridco-admin", .. common]);
        Assert.Contains("summarised per 15 minutes", await RunAsync(["schema", "show", "smart-meter@2", .. common]), StringComparison.Ordinal);
        await RunAsync(["token", "create", "VOLT", "--name", "Volt", "--decimals", "0", "--as", "voltmotors-admin", .. common]);
        foreach (var owner in new[] { "solar", "flat" })
        {
            await RunAsync(["token", "mint", "VOLT", owner, "100000", "--as", "voltmotors-admin", .. common]);
        }
        await RunAsync(["device", "register", "--device-key", "solar-meter", "--model", "M-1", "--serial", "SM-1", "--owner", "solar",
            "--meta", "rating_w=8000", "--meta", "battery_wh=10000", "--as", "gridco-admin", .. common]);
        await RunAsync(["device", "register", "--device-key", "flat-meter", "--model", "M-1", "--serial", "SM-2", "--owner", "flat",
            "--meta", "rating_w=4000", "--as", "gridco-admin", .. common]);

        string[] market = ["energy", "market", "create", "--id", "feeder-7", "--zone", "Elm Street", "--floor", "50", "--cap", "400", "--grid-fee", "30",
            "--token", "VOLT", "--capacity-wh", "20000"];
        await RefusedAsync("UNAUTHORISED", [.. market, "--as", "solar", .. common]);
        await RefusedAsync("ENERGY_MARKET_INVALID", [.. market, "--interval-minutes", "10", "--as", "gridco-admin", .. common]);
        Assert.Contains("market feeder-7 created for Elm Street", await RunAsync([.. market, "--as", "gridco-admin", .. common]), StringComparison.Ordinal);

        await RefusedAsync("ENERGY_NOT_METER_OWNER", ["energy", "join", "--market", "feeder-7", "--meter", "solar-meter", "--as", "flat", .. common]);
        await RunAsync(["energy", "join", "--market", "feeder-7", "--meter", "solar-meter", "--deposit", "5000", "--as", "solar", .. common]);
        await RunAsync(["energy", "join", "--market", "feeder-7", "--meter", "flat-meter", "--deposit", "5000", "--allowance-wh", "800", "--allowance-price", "300", "--as", "flat", .. common]);
        var meter = JsonDocument.Parse(await RunAsync(["energy", "meter", "solar-meter", "--json", .. common])).RootElement;
        Assert.Equal((8000UL, 10000UL, "5000"), (meter.GetProperty("ratingW").GetUInt64(), meter.GetProperty("batteryWh").GetUInt64(), meter.GetProperty("funds").GetString()));

        Assert.Contains("offer 1 for", await RunAsync(["energy", "offer", "--meter", "solar-meter", "--wh", "1500", "--price", "100", "--as", "solar", .. common]), StringComparison.Ordinal);
        // The flat's meter bids with its own key, within the allowance its owner gave it.
        Assert.Contains("bid 2 for", await RunAsync(["energy", "bid", "--meter", "flat-meter", "--wh", "800", "--price", "250", "--as", "flat-meter", .. common]), StringComparison.Ordinal);
        await RefusedAsync("ENERGY_BEYOND_ALLOWANCE", ["energy", "bid", "--meter", "flat-meter", "--wh", "801", "--price", "250", "--as", "flat-meter", .. common]);
        await RefusedAsync("ENERGY_BEYOND_RATING", ["energy", "offer", "--meter", "solar-meter", "--wh", "501", "--price", "100", "--as", "solar", .. common]);
        await RefusedAsync("ENERGY_SIDE_TAKEN", ["energy", "bid", "--meter", "solar-meter", "--wh", "100", "--price", "100", "--as", "solar", .. common]);
        await RefusedAsync("ENERGY_PRICE_OUT_OF_RANGE", ["energy", "bid", "--meter", "flat-meter", "--wh", "100", "--price", "401", "--as", "flat", .. common]);
        await RefusedAsync("ENERGY_QUANTITY_INVALID", ["energy", "bid", "--meter", "flat-meter", "--wh", "0", "--price", "100", "--as", "flat", .. common]);
        await RefusedAsync("ENERGY_NOT_METER_OWNER", ["energy", "offer", "--meter", "solar-meter", "--wh", "100", "--price", "100", "--as", "flat", .. common]);
        await RefusedAsync("ENERGY_GATE_CLOSED", ["energy", "offer", "--meter", "solar-meter", "--interval", "2026-01-01T12:00:00Z", "--wh", "100", "--price", "100", "--as", "solar", .. common]);
        await RefusedAsync("ENERGY_NO_FLEX_REQUEST", ["energy", "commit", "--meter", "solar-meter", "--wh", "100", "--price", "50", "--as", "solar", .. common]);
        await RunAsync(["energy", "flex", "--market", "feeder-7", "--wh", "3000", "--price", "90", "--as", "gridco-admin", .. common]);
        await RefusedAsync("ENERGY_NO_BATTERY", ["energy", "commit", "--meter", "flat-meter", "--wh", "100", "--price", "50", "--as", "flat", .. common]);
        await RunAsync(["energy", "commit", "--meter", "solar-meter", "--wh", "800", "--price", "60", "--as", "solar", .. common]);

        var book = JsonDocument.Parse(await RunAsync(["energy", "orders", "--market", "feeder-7", "--json", .. common])).RootElement;
        Assert.Equal("open", book.GetProperty("status").GetString());
        Assert.Equal(["offer", "bid"], book.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("side").GetString()));
        Assert.True(book.GetProperty("orders")[1].GetProperty("byMeter").GetBoolean());
        Assert.Equal(800UL, book.GetProperty("commitments")[0].GetProperty("wh").GetUInt64());
        var start = book.GetProperty("start").GetUInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await RefusedAsync("ENERGY_GATE_OPEN", ["energy", "clear", "--market", "feeder-7", "--interval", start, "--as", "solar", .. common]);
        await RefusedAsync("ENERGY_NOT_CLEARED", ["energy", "settle", "--market", "feeder-7", "--interval", start, "--as", "gridco-admin", .. common]);
        Assert.Contains("open", await RunAsync(["energy", "market", "show", "feeder-7", .. common]), StringComparison.Ordinal);
        Assert.Contains("feeder-7", await RunAsync(["energy", "market", "list", .. common]), StringComparison.Ordinal);
        Assert.Contains("not settled", await RunAsync(["energy", "settlement", "--market", "feeder-7", "--interval", start, .. common]), StringComparison.Ordinal);
        await RefusedAsync("ENERGY_MARKET_NOT_FOUND", ["energy", "orders", "--market", "nowhere", .. common]);

        // The explorer: the markets, the market's intervals, and the interval's book and batteries.
        using var http = new HttpClient { BaseAddress = new Uri(node.Url) };
        Assert.Contains("href=\"/energy/feeder-7\"", await http.GetStringAsync(new Uri("/energy", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Contains($"href=\"/energy/feeder-7/{start}\"", await http.GetStringAsync(new Uri("/energy/feeder-7", UriKind.Relative)), StringComparison.Ordinal);
        var page = await http.GetStringAsync(new Uri($"/energy/feeder-7/{start}", UriKind.Relative));
        Assert.Contains("data-energy-orders", page, StringComparison.Ordinal);
        Assert.Contains("asked for 3000 Wh to be absorbed", page, StringComparison.Ordinal);
        Assert.Contains("Not cleared yet", page, StringComparison.Ordinal);

        // The market's event stream replays from the start, block by block, then follows new blocks.
        using var timeout = new CancellationTokenSource(Limit);
        using var response = await http.GetAsync(new Uri("/v1/energy/markets/feeder-7/stream?from=0", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var names = new List<string>();
        while (names.Count < 6 && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                names.Add(JsonDocument.Parse(line[6..]).RootElement.GetProperty("name").GetString()!);
            }
        }
        Assert.Equal(["market-created", "meter-joined", "meter-joined", "order-placed", "order-placed", "flex-requested"], names);
    }
}
