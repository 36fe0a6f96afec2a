using System.Text.Json;

namespace ThingLedger.Cli.Tests;

/// <summary>Supply-chain finance from the command line, on a node: a receivable's whole life, a swap, and a clearing netted.</summary>
public sealed class FinanceCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-cli-finance-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<string> RunAsync(params string[] args) => CliProcess.SucceedsAsync(Limit, args);

    private static Task RefusedAsync(string code, params string[] args) => CliProcess.RefusedAsync(code, Limit, args);

    /// <summary>Waits until the wall clock (which block times follow) is past <paramref name="unixMs"/>, and one block interval more.</summary>
    private static async Task UntilPastAsync(ulong unixMs)
    {
        var wait = (long)unixMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1_500;
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(wait));
        }
    }

    [Fact]
    public async Task A_receivable_is_issued_acknowledged_split_sold_once_and_paid_and_a_clearing_is_netted()
    {
        var data = Path.Combine(_directory, "chain");
        await RunAsync("init", "--data", data);
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort());
        string[] common = ["--data", data, "--node", node.Url];
        foreach (var name in new[] { "buyer", "supplier", "tier2", "bank" })
        {
            await RunAsync(["keys", "new", name, .. common]);
        }
        await RunAsync(["token", "create", "CNY", "--name", "Yuan", "--decimals", "2", "--as", "voltmotors-admin", .. common]);
        await RunAsync(["token", "create", "EUR", "--name", "Euro", "--decimals", "2", "--as", "voltmotors-admin", .. common]);
        foreach (var (who, symbol) in new[] { ("buyer", "CNY"), ("bank", "CNY"), ("supplier", "EUR") })
        {
            await RunAsync(["token", "mint", symbol, who, "100000", "--as", "voltmotors-admin", .. common]);
        }

        var invoice = Path.Combine(_directory, "invoice-42.txt");
        await File.WriteAllTextAsync(invoice, "invoice 42: 100 pallets");
        var issued = await RunAsync(["finance", "receivable", "buyer", "CNY", "10000", "--due", "+20s", "--invoice", invoice, "--as", "supplier", .. common]);
        var id = issued.Split('\n').Single(l => l.StartsWith("receivable ", StringComparison.Ordinal))["receivable ".Length..].Trim();
        await RefusedAsync("FINANCE_NOT_ACKNOWLEDGED", ["finance", "sell", id, "--lender", "bank", "--price", "9000", "--as", "supplier", .. common]);
        await RefusedAsync("FINANCE_NOT_BUYER", ["finance", "acknowledge", id, "--as", "bank", .. common]);
        await RunAsync(["finance", "acknowledge", id, "--as", "buyer", .. common]);
        Assert.Contains("part 1 is now held by", await RunAsync(["finance", "split", id, "tier2", "4000", "--as", "supplier", .. common]), StringComparison.Ordinal);
        await RefusedAsync("FINANCE_SPLIT_EXCEEDS", ["finance", "split", id, "tier2", "6001", "--as", "supplier", .. common]);
        await RunAsync(["finance", "sell", id, "--part", "0", "--lender", "bank", "--price", "5700", "--as", "supplier", .. common]);
        await RunAsync(["finance", "take", id, "--part", "0", "--as", "bank", .. common]);
        await RefusedAsync("FINANCE_ALREADY_FINANCED", ["finance", "pledge", id, "--part", "0", "--lender", "buyer", "--loan", "100", "--as", "bank", .. common]);
        await RunAsync(["finance", "pay", id, "--as", "buyer", .. common]);
        await RefusedAsync("FINANCE_NOT_DUE", ["finance", "settle", id, "--as", "tier2", .. common]);
        await UntilPastAsync(JsonDocument.Parse(await RunAsync(["finance", "show", id, "--json", .. common])).RootElement.GetProperty("due").GetUInt64());
        var settled = await RunAsync(["finance", "settle", id, "--as", "tier2", .. common]);
        Assert.Contains("part 0: paid 6000 to", settled, StringComparison.Ordinal);
        Assert.Contains("part 1: paid 4000 to", settled, StringComparison.Ordinal);

        var shown = JsonDocument.Parse(await RunAsync(["finance", "show", id, "--json", .. common])).RootElement;
        Assert.True(shown.GetProperty("settled").GetBoolean());
        Assert.False(shown.GetProperty("late").GetBoolean());
        Assert.True(shown.GetProperty("parts")[0].GetProperty("financed").GetBoolean());
        Assert.Equal("sold", shown.GetProperty("steps")[4].GetProperty("kind").GetString());
        var bad = await CliProcess.RunAsync(Limit, ["finance", "show", "not-an-id", .. common]);
        Assert.Equal(CliRunner.BadInput, bad.Code);

        // A swap: the supplier changes euros for yuan at the bank's quote.
        var quoted = await RunAsync(["finance", "quote", "EUR", "CNY", "--rate", "78/10", "--max", "5000", "--as", "bank", .. common]);
        var quote = quoted.Split('\n').Single(l => l.StartsWith("quote ", StringComparison.Ordinal))["quote ".Length..].Trim();
        Assert.Contains("gave 1000 EUR, received 7800 CNY", await RunAsync(["finance", "swap", quote, "1000", "--as", "supplier", .. common]), StringComparison.Ordinal);
        await RefusedAsync("FINANCE_QUOTE_EXCEEDED", ["finance", "swap", quote, "4001", "--as", "supplier", .. common]);

        // A clearing: three obligations netted into two transfers.
        await RunAsync(["finance", "clearing", "cny-1", "CNY", "--cutoff", "+15s", "--as", "voltmotors-admin", .. common]);
        foreach (var (debtor, creditor, amount) in new[] { ("buyer", "bank", "500"), ("bank", "supplier", "300"), ("supplier", "buyer", "100") })
        {
            await RunAsync(["finance", "oblige", "cny-1", creditor, amount, "--as", debtor, .. common]);
        }
        await RefusedAsync("FINANCE_CLEARING_OPEN", ["finance", "net", "cny-1", "--as", "bank", .. common]);
        await UntilPastAsync(JsonDocument.Parse(await RunAsync(["finance", "net", "cny-1", "--plan", "--json", .. common])).RootElement.GetProperty("cutoff").GetUInt64());
        var plan = JsonDocument.Parse(await RunAsync(["finance", "net", "cny-1", "--plan", "--json", .. common])).RootElement;
        Assert.Equal(2, plan.GetProperty("plan").GetArrayLength());
        await RunAsync(["finance", "net", "cny-1", "--as", "bank", .. common]);

        using var http = new HttpClient { BaseAddress = new Uri(node.Url) };
        var page = await http.GetStringAsync($"/finance/receivables/{id}");
        Assert.Contains("data-receivable-status>paid<", page, StringComparison.Ordinal);
        Assert.Contains(">sold<", page, StringComparison.Ordinal);
        var clearing = await http.GetStringAsync("/finance/clearings/cny-1");
        Assert.Contains("netted in block", clearing, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/finance/clearings/none")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync("/v1/finance/receivables/xyz")).StatusCode);
    }

    [Fact]
    public async Task A_merchant_whose_till_signs_its_sales_gets_a_credit_line_sized_by_them()
    {
        var data = Path.Combine(_directory, "merchant");
        await RunAsync("init", "--data", data);
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort());
        string[] common = ["--data", data, "--node", node.Url];
        foreach (var name in new[] { "merchant", "bank", "till" })
        {
            await RunAsync(["keys", "new", name, .. common]);
        }
        var schema = Path.Combine(_directory, "pos.json");
        await File.WriteAllTextAsync(schema, """
            {"id":"pos","version":1,"fields":[
              {"name":"sales","unit":"fen","decimals":0,"min":0,"max":100000000,"additive":true},
              {"name":"transactions","unit":"sales","decimals":0,"min":0,"max":10000,"additive":true}]}
            """);
        await RunAsync(["schema", "register", "--file", schema, "--as", "homeappliance-admin", .. common]);
        await RunAsync(["device", "register", "--device-key", "till", "--model", "POS-1", "--serial", "TILL-1", "--owner", "merchant", "--as", "homeappliance-admin", .. common]);
        await RunAsync(["token", "create", "CNY", "--name", "Yuan", "--decimals", "2", "--as", "voltmotors-admin", .. common]);
        await RunAsync(["token", "mint", "CNY", "bank", "100000", "--as", "voltmotors-admin", .. common]);
        await RefusedAsync("FINANCE_NO_SALES", ["finance", "credit", "merchant", "CNY", "--schema", "pos@1", "--advance-bps", "5000", "--share-bps", "2000", "--maturity", "+30d", "--as", "bank", .. common]);
        await RunAsync(["finance", "sales", "pos@1", "sales", "--as", "merchant", .. common]);

        // Three sales of 100.00 signed by the till, a minute apart, ending now.
        var now = DateTimeOffset.UtcNow;
        var csv = Path.Combine(_directory, "till.csv");
        await File.WriteAllLinesAsync(csv, ["time,sales,transactions", .. Enumerable.Range(0, 3).Select(i => $"{now.AddMinutes(i - 3):O},10000,1")]);
        await RunAsync(["device", "import", csv, "--device", "till", "--schema", "pos@1", .. common]);

        // The score counts anchored sales only: retry until the anchor is in.
        (int Code, string Out, string Err) opened = (-1, "", "");
        for (var attempt = 0; attempt < 40 && opened.Code != 0; attempt++)
        {
            await Task.Delay(500);
            opened = await CliProcess.RunAsync(Limit, ["finance", "credit", "merchant", "CNY", "--schema", "pos@1", "--advance-bps", "5000", "--share-bps", "2000", "--maturity", "+30d", "--as", "bank", .. common]);
        }
        Assert.True(opened.Code == 0, opened.Err + opened.Out);
        Assert.Contains("credit line of 15000 CNY (score: 30000", opened.Out, StringComparison.Ordinal);
        await RefusedAsync("FINANCE_DRAW_EXCEEDS", ["finance", "draw", "bank", "15001", "--as", "merchant", .. common]);
        Assert.Contains("outstanding: 12000", await RunAsync(["finance", "draw", "bank", "12000", "--as", "merchant", .. common]), StringComparison.Ordinal);
        var line = JsonDocument.Parse(await RunAsync(["finance", "line", "merchant", "bank", "--json", .. common])).RootElement;
        Assert.Equal(("15000", "12000", "open"), (line.GetProperty("limit").GetString(), line.GetProperty("outstanding").GetString(), line.GetProperty("status").GetString()));

        using var http = new HttpClient { BaseAddress = new Uri(node.Url) };
        var page = await http.GetStringAsync($"/finance/lines/{line.GetProperty("merchant").GetString()}/{line.GetProperty("lender").GetString()}");
        Assert.Contains("data-line-status>open<", page, StringComparison.Ordinal);
        Assert.Contains("120.00", page, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync("/finance/lines/x/y")).StatusCode);
    }
}
