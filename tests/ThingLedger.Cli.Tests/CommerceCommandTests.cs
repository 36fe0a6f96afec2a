using System.Text.Json;

namespace ThingLedger.Cli.Tests;

/// <summary>Device commerce from the command line, on a node: an agreement, a device's own order paid on delivery, and an order its anchored readings place.</summary>
public sealed class CommerceCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-cli-commerce-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<string> RunAsync(params string[] args) => CliProcess.SucceedsAsync(Limit, args);

    private static Task RefusedAsync(string code, params string[] args) => CliProcess.RefusedAsync(code, Limit, args);

    [Fact]
    public async Task A_washer_orders_under_its_agreement_is_paid_on_delivery_and_reorders_from_its_anchored_readings()
    {
        var data = Path.Combine(_directory, "chain");
        await RunAsync("init", "--data", data);
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort());
        string[] common = ["--data", data, "--node", node.Url];
        foreach (var name in new[] { "owner", "washer" })
        {
            await RunAsync(["keys", "new", name, .. common]);
        }
        await RunAsync(["schema", "register", "--builtin", "washer@2", "--as", "homeappliance-admin", .. common]);
        await RunAsync(["token", "create", "PTS", "--name", "Points", "--decimals", "0", "--as", "voltmotors-admin", .. common]);
        await RunAsync(["token", "mint", "PTS", "owner", "10000", "--as", "voltmotors-admin", .. common]);
        await RunAsync(["device", "register", "--device-key", "washer", "--model", "WashPro-9", "--serial", "W-1", "--owner", "owner", "--as", "homeappliance-admin", .. common]);

        string[] terms = ["--retailer", "homeappliance", "--device", "washer", "--sku", "DET-2L", "--price", "300", "--orders", "3/30d", "--budget", "3000", "--token", "PTS"];
        var bad = await CliProcess.RunAsync(Limit, ["commerce", "agree", .. terms, "--trigger", "washer@2:cycles<1", "--as", "owner", .. common]);
        Assert.True(bad.Code == CliRunner.BadInput && bad.Err.Contains("additive", StringComparison.Ordinal), bad.Err);
        var proposed = await RunAsync(["commerce", "agree", .. terms, "--trigger", "washer@2:detergent_pct<15.0", "--rise", "50.0", "--as", "owner", .. common]);
        var id = proposed.Split(' ', '\n').SkipWhile(w => w != "agreement").Skip(1).First();
        Assert.Contains("3000 PTS in escrow", proposed, StringComparison.Ordinal);
        await RefusedAsync("COMMERCE_AGREEMENT_EXISTS", ["commerce", "agree", .. terms, "--as", "owner", .. common]);
        await RefusedAsync("COMMERCE_NOT_COUNTERPARTY", ["commerce", "agree", "--id", id, "--as", "gridco-admin", .. common]);
        await RefusedAsync("COMMERCE_AGREEMENT_NOT_ACTIVE", ["commerce", "order", id, "--as", "washer", .. common]);
        Assert.Contains("is active", await RunAsync(["commerce", "agree", "--id", id, "--as", "homeappliance-admin", .. common]), StringComparison.Ordinal);

        // The washer orders with its own key; the retailer accepts and ships; the owner confirms and the retailer is paid.
        await RefusedAsync("COMMERCE_PRICE_ABOVE_CAP", ["commerce", "order", id, "--price", "301", "--as", "washer", .. common]);
        await RefusedAsync("COMMERCE_DEVICE_NOT_COVERED", ["commerce", "order", id, "--as", "owner", .. common]);
        Assert.Contains("order 0 placed (device)", await RunAsync(["commerce", "order", id, "--as", "washer", .. common]), StringComparison.Ordinal);
        await RefusedAsync("COMMERCE_ORDER_OPEN", ["commerce", "order", id, "--as", "washer", .. common]);
        await RefusedAsync("COMMERCE_NOT_COUNTERPARTY", ["commerce", "accept", id, "0", "--as", "gridco-admin", .. common]);
        await RunAsync(["commerce", "accept", id, "0", "--as", "homeappliance-admin", .. common]);
        await RunAsync(["commerce", "ship", id, "0", "--tracking", "PARCEL-1", "--as", "homeappliance-admin", .. common]);
        await RefusedAsync("COMMERCE_NOT_CONFIRMER", ["commerce", "confirm", id, "0", "--as", "gridco-admin", .. common]);
        var paid = await RunAsync(["commerce", "confirm", id, "0", "--as", "owner", .. common]);
        Assert.Contains("order 0 delivered, shown by the owner", paid, StringComparison.Ordinal);
        Assert.Contains("order 0: 300 paid to", paid, StringComparison.Ordinal);
        await RefusedAsync("COMMERCE_ORDER_STATE", ["commerce", "release", id, "0", "--as", "owner", .. common]);
        await RefusedAsync("COMMERCE_ORDER_STATE", ["commerce", "dispute", id, "0", "--as", "owner", .. common]);

        // Readings whose detergent runs below 15 %: the anchor that records them places the next order.
        var now = DateTimeOffset.UtcNow;
        var csv = Path.Combine(_directory, "washer.csv");
        await File.WriteAllLinesAsync(csv, ["time,detergent_pct,cycles,drum_vibration_mg",
            .. new[] { 40.0, 31.5, 22.0, 12.5 }.Select((level, i) => FormattableString.Invariant($"{now.AddMinutes(i - 4):O},{level:F1},1,620"))]);
        await RunAsync(["device", "import", csv, "--device", "washer", "--schema", "washer@2", .. common]);
        JsonElement orders = default;
        for (var attempt = 0; attempt < 40 && (orders.ValueKind != JsonValueKind.Array || orders.GetArrayLength() < 2); attempt++)
        {
            await Task.Delay(500);
            orders = JsonDocument.Parse(await RunAsync(["commerce", "orders", id, "--json", .. common])).RootElement;
        }
        Assert.Equal(2, orders.GetArrayLength());
        var triggered = orders[0];
        Assert.Equal(("readings", "placed", 125L, 4UL), (triggered.GetProperty("source").GetString(), triggered.GetProperty("status").GetString(),
            triggered.GetProperty("level").GetInt64(), triggered.GetProperty("lastSequence").GetUInt64()));
        Assert.Contains("verified: 3 state record(s)", await RunAsync(["commerce", "show", id, "--verify", .. common]), StringComparison.Ordinal);
        var queue = JsonDocument.Parse(await RunAsync(["commerce", "queue", "homeappliance", "--json", .. common])).RootElement;
        Assert.Equal(1u, queue.EnumerateArray().Single().GetProperty("number").GetUInt32());
        var notAnId = await CliProcess.RunAsync(Limit, ["commerce", "show", "not-an-id", .. common]);
        Assert.Equal(CliRunner.BadInput, notAnId.Code);

        using var http = new HttpClient { BaseAddress = new Uri(node.Url) };
        var page = await http.GetStringAsync($"/commerce/agreements/{id}");
        Assert.Contains("data-agreement-status>active<", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/devices/{triggered.GetProperty("device").GetString()}/readings/4\"", page, StringComparison.Ordinal);
        Assert.Contains("level 125 below 150", page, StringComparison.Ordinal);
        Assert.Contains(">released<", page, StringComparison.Ordinal);
        Assert.Contains("DET-2L", await http.GetStringAsync("/commerce"), StringComparison.Ordinal);
        Assert.Contains(">placed<", await http.GetStringAsync("/commerce/queue/homeappliance"), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"/commerce/agreements/{new string('0', 64)}")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync("/v1/commerce/agreements/xyz")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync("/v1/commerce/agreements")).StatusCode);
    }
}
