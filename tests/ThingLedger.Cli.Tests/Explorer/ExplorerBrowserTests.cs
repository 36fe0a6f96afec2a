using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ThingLedger.Cli.Tests.Explorer;

/// <summary>The explorer in a real browser, against the demo: each page, search, and verifying a reading.</summary>
[Collection("explorer")]
public sealed partial class ExplorerBrowserTests(ExplorerFixture explorer)
{
    [Fact]
    public async Task Overview_shows_the_chain_live_with_charts_recent_blocks_and_health()
    {
        var page = await explorer.OpenAsync("/");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
        await Expect(page.Locator("[data-health]")).ToHaveTextAsync("healthy");
        await Expect(page.Locator("#recent-blocks tr")).ToHaveCountAsync(8);
        await Expect(page.Locator("table.txs tbody tr").First).ToBeVisibleAsync();
        var first = long.Parse(await page.Locator("[data-live=height]").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        // The page's script refreshes height, rates and charts from /v1/rates every two seconds.
        await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-updated", NonEmpty(), new() { Timeout = 10_000 });
        await page.WaitForFunctionAsync($"Number(document.querySelector('[data-live=height]').textContent) > {first}", null, new() { Timeout = 10_000 });
        var points = await page.Locator("[data-chart=tx] polyline").GetAttributeAsync("points");
        Assert.False(string.IsNullOrWhiteSpace(points), "the tx/s chart has no points");
        Assert.DoesNotContain("NaN", points, StringComparison.Ordinal);
        await ExplorerFixture.ScreenshotAsync(page, "overview");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Search_takes_a_height_a_block_hash_a_tx_id_a_device_id_and_an_address()
    {
        var page = await explorer.OpenAsync("/");
        await SearchAsync(page, "3");
        await Expect(page).ToHaveURLAsync(new Regex("/blocks/3$"));
        var hash = await page.Locator("[data-block-hash]").InnerTextAsync();

        await SearchAsync(page, hash);
        await Expect(page).ToHaveURLAsync(new Regex("/blocks/3$"));

        var txLink = await (await explorer.OpenAsync("/txs")).Locator("table.txs tbody tr td a").First.GetAttributeAsync("href");
        var txId = txLink!["/txs/".Length..];
        await SearchAsync(page, txId);
        await Expect(page.Locator("[data-tx-id]")).ToHaveTextAsync(txId);

        var deviceLink = await (await explorer.OpenAsync("/devices")).Locator("[data-devices] tbody tr td a").First.GetAttributeAsync("href");
        var deviceId = deviceLink!["/devices/".Length..];
        await SearchAsync(page, deviceId);
        await Expect(page.Locator("[data-device-id]")).ToHaveTextAsync(deviceId);

        var owner = await page.Locator("dl.kv dd a[href^='/accounts/']").First.InnerTextAsync();
        await SearchAsync(page, owner);
        await Expect(page.Locator("[data-address]")).ToHaveTextAsync(owner);

        await SearchAsync(page, "no-such-thing-here");
        await Expect(page.Locator("[data-problem]")).ToContainTextAsync("Nothing on this chain matches");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_reading_is_reached_from_its_device_and_verified_link_by_link()
    {
        // The simulated fleet's cars (model "…-sim") send readings; the demo's other cars do not.
        var page = await explorer.OpenAsync("/devices?org=voltmotors&model=sim");
        await Expect(page.Locator("[data-devices] tbody tr").First).ToBeVisibleAsync();
        foreach (var org in await page.Locator("[data-devices] tbody tr td:nth-child(4)").AllInnerTextsAsync())
        {
            Assert.Equal("voltmotors", org);
        }
        await page.Locator("[data-devices] tbody tr td a").First.ClickAsync();
        await Expect(page.Locator("[data-device-status]")).ToHaveTextAsync("active");
        await Expect(page.Locator("[data-device-charts] svg").First).ToBeVisibleAsync();
        Assert.True(await page.Locator("[data-device-charts] .chart").CountAsync() >= 5, "an EV has a chart per schema field");
        await Expect(page.Locator("text=devices/registered").Or(page.Locator("text=devices/register")).First).ToBeVisibleAsync();
        await ExplorerFixture.ScreenshotAsync(page, "device");

        // The oldest reading on the first page is the one most surely anchored by now.
        await page.Locator("[data-readings] [data-reading-link]").Last.ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Reading");
        await page.Locator("[data-verify]").ClickAsync();
        await Expect(page.Locator("[data-verdict]")).ToHaveAttributeAsync("data-verdict", "valid");
        var links = await page.Locator("[data-link]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.link + ':' + e.dataset.ok)");
        Assert.Equal(
            ["genesis:true", "header:true", "reading:true", "device-key:true", "signature:true", "anchor-tx:true", "certificate:true", "transaction:true",
             "tx-inclusion:true", "receipt-inclusion:true", "anchor-path:true", "anchor-summary:true"],
            links);
        await ExplorerFixture.ScreenshotAsync(page, "verify-reading");
        await page.CloseAsync();
    }

    [Fact]
    public async Task One_tx_of_each_operation_the_demo_ran_shows_its_payload_decoded()
    {
        using var client = new Client.ThingLedgerClient(explorer.Url);
        var head = (await client.GetHeadAsync()).Height;
        var firstOfEach = new Dictionary<string, string>(StringComparer.Ordinal);
        for (ulong height = 1; height <= head; height++)
        {
            foreach (var tx in (await client.GetBlockAsync(height))?.Txs ?? [])
            {
                firstOfEach.TryAdd($"{tx.Module}/{tx.Operation}", tx.Id);
            }
        }
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { "devices/register", "tokens/create", "tokens/mint", "tokens/transfer",
            "telemetry/register-schema", "telemetry/register-model", "telemetry/anchor", "rewards/create", "rewards/enrol", "rewards/claim-onboarding",
            "carbon/register-methodology", "carbon/claim", "carbon/verify", "carbon/retire", "market/place",
            "commerce/propose", "commerce/countersign", "commerce/map-faults" }, firstOfEach.Keys.ToHashSet(StringComparer.Ordinal));
        foreach (var (operation, id) in firstOfEach)
        {
            var page = await explorer.OpenAsync($"/txs/{id}");
            await Expect(page.Locator("[data-payload] dt").First).ToBeVisibleAsync();
            Assert.False(await page.Locator("text=do not decode").IsVisibleAsync(), $"{operation}: the payload of {id} is shown undecoded");
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Block_and_transaction_pages_show_receipts_and_decoded_payloads()
    {
        var page = await explorer.OpenAsync("/tokens/VOLT");
        await page.Locator("table.txs tbody tr td a").First.ClickAsync();
        await Expect(page.Locator("[data-payload]")).ToContainTextAsync("VOLT");
        await Expect(page.Locator("[data-events]")).ToContainTextAsync("tokens/");
        await Expect(page.Locator("dl.kv").First).ToContainTextAsync("success");
        await ExplorerFixture.ScreenshotAsync(page, "transaction");

        await page.Locator("dl.kv dd a[href^='/blocks/']").First.ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Block");
        await Expect(page.Locator("text=Finality certificate")).ToBeVisibleAsync();
        await Expect(page.Locator("table.txs tbody tr").First).ToBeVisibleAsync();
        await ExplorerFixture.ScreenshotAsync(page, "block");

        var missing = await page.GotoAsync(explorer.Url + "/blocks/999999999");
        Assert.Equal(404, missing!.Status);
        await Expect(page.Locator("[data-problem]")).ToContainTextAsync("No block at height 999999999");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Tokens_accounts_and_organisations_show_supply_holders_balances_and_members()
    {
        var page = await explorer.OpenAsync("/tokens");
        await Expect(page.Locator("[data-tokens]")).ToContainTextAsync("VOLT");
        await Expect(page.Locator("[data-tokens]")).ToContainTextAsync("KWH");
        await page.Locator("[data-tokens] a[href='/tokens/VOLT']").ClickAsync();
        // In token units with the symbol, not the ledger's smallest units bare.
        var shown = await page.Locator("[data-supply]").InnerTextAsync();
        Assert.EndsWith(" VOLT", shown, StringComparison.Ordinal);
        var supply = decimal.Parse(shown[..^" VOLT".Length], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(supply > 0, "VOLT has been minted");
        await Expect(page.Locator("[data-holders] tbody tr").First).ToBeVisibleAsync();
        await ExplorerFixture.ScreenshotAsync(page, "token");

        await page.Locator("[data-holders] tbody tr td a").First.ClickAsync();
        await Expect(page.Locator("[data-balances]")).ToContainTextAsync("VOLT");

        await page.GotoAsync(explorer.Url + "/orgs");
        await Expect(page.Locator("[data-orgs] tbody tr")).ToHaveCountAsync(ThingLedger.Node.DevChain.SampleOrgs.Length + ThingLedger.Cli.Demo.DemoProvenance.Orgs.Length);
        await page.Locator("[data-orgs] a[href='/orgs/gridco']").ClickAsync();
        await Expect(page.Locator("[data-org-name]")).ToContainTextAsync("GridCo");
        await Expect(page.Locator("[data-members] tbody tr").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-members]")).ToContainTextAsync("admin");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Credits_lead_from_issuance_to_the_readings_behind_them_and_to_the_order_book_and_programmes()
    {
        var page = await explorer.OpenAsync("/credits");
        await Expect(page.Locator("[data-methodologies]")).ToContainTextAsync("EVLC");
        await Expect(page.Locator("[data-credits]")).ToContainTextAsync("CEVLC");
        await Expect(page.Locator("[data-claims] tbody tr")).ToHaveCountAsync(6);
        await Expect(page.Locator("[data-retirements]")).ToContainTextAsync("owner-1's household");
        await ExplorerFixture.ScreenshotAsync(page, "credits");

        await page.Locator("[data-claim-link]").First.ClickAsync();
        await Expect(page.Locator("[data-claim-status]")).ToHaveTextAsync("issued");
        await Expect(page.Locator("[data-claim-inputs]")).ToContainTextAsync("120 gCO₂/km");
        await Expect(page.Locator("[data-claim-readings] tbody tr").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-claim-readings]")).ToContainTextAsync("anchor in block");
        await ExplorerFixture.ScreenshotAsync(page, "credit-claim");

        await page.GotoAsync(explorer.Url + "/credits");
        await page.Locator("[data-market-link]").First.ClickAsync();
        await Expect(page.Locator("[data-book=asks]")).ToContainTextAsync("1,000");
        await Expect(page.Locator("[data-trades] tbody tr")).ToHaveCountAsync(2);
        await ExplorerFixture.ScreenshotAsync(page, "order-book");

        await page.GotoAsync(explorer.Url + "/rewards");
        await Expect(page.Locator("[data-programmes]")).ToContainTextAsync("drive-share");
        await Expect(page.Locator("[data-programmes]")).ToContainTextAsync("1 VOLT per 1000 of ev@1 distance_km");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Commerce_lists_the_households_agreements_and_one_shows_its_terms_and_orders()
    {
        var page = await explorer.OpenAsync("/commerce");
        // Five washing machines, each with a detergent and a repair agreement.
        await Expect(page.Locator("[data-agreements] tbody tr")).ToHaveCountAsync(10);
        await Expect(page.Locator("[data-agreements]")).ToContainTextAsync("DET-2L");
        await ExplorerFixture.ScreenshotAsync(page, "commerce");
        await page.Locator("[data-agreements] a", new() { HasText = "detergent-1" }).ClickAsync();
        await Expect(page.Locator("[data-agreement-status]")).ToHaveTextAsync("active");
        await Expect(page.Locator("[data-trigger]")).ToContainTextAsync("washer@2 detergent_pct below 150");
        await Expect(page.Locator("[data-agreement]")).ToContainTextAsync("homeappliance");
        await ExplorerFixture.ScreenshotAsync(page, "commerce-agreement");
        await page.GotoAsync(explorer.Url + "/commerce/queue/homeappliance");
        await Expect(page.Locator("h1")).ToContainTextAsync("Order queue of homeappliance");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Provenance_shows_a_bags_verified_journey_and_the_flagged_medicine_pack()
    {
        var page = await explorer.OpenAsync("/epcis");
        await Expect(page.Locator("[data-flagged] tr[data-flag='EPCIS_ALREADY_DISPENSED']")).ToHaveCountAsync(1);
        await ExplorerFixture.ScreenshotAsync(page, "provenance");
        await page.Locator("[data-item-lookup] input[name=id]").FillAsync("urn:epc:id:sgtin:9506000.013435.BAG-0001");
        await page.Locator("[data-item-lookup] button").ClickAsync();
        await Expect(page.Locator("[data-verdict]")).ToHaveAttributeAsync("data-verdict", "verified");
        await Expect(page.Locator("[data-journey] tr[data-step]")).ToHaveCountAsync(12);
        await Expect(page.Locator("[data-alarm]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-sensor-device]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-origins]")).ToContainTextAsync("/01/09506000134352/10/PADDY-2611");
        await ExplorerFixture.ScreenshotAsync(page, "item-journey");
        await page.GotoAsync(explorer.Url + "/01/09506000543215/21/MED-0001");
        await Expect(page.Locator("[data-verdict]")).ToHaveAttributeAsync("data-verdict", "flagged");
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_layout_fits_a_phone_screen()
    {
        var page = await explorer.OpenAsync("/devices", width: 390);
        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the devices page scrolls sideways on a 390 px screen");
        await ExplorerFixture.ScreenshotAsync(page, "devices-phone");
        await page.CloseAsync();
    }

    private static async Task SearchAsync(IPage page, string text)
    {
        // Wait for the document the submit loads, not just for the current document's load state:
        // a search that lands on the page already shown (a block's hash after its height) would
        // otherwise let the next search type into a document that is about to be replaced. The
        // current document is marked; the search is done when no marked document is left.
        await page.Locator("header input[name=q]").FillAsync(text);
        await page.EvaluateAsync("document.body.dataset.searchedFrom = '1'");
        await page.Locator("header button[type=submit]").ClickAsync();
        await Expect(page.Locator("body[data-searched-from]")).ToHaveCountAsync(0);
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    [GeneratedRegex(".+")]
    private static partial Regex NonEmpty();
}

// Runs alone, after the parallel collections: a demo and a browser beside the real 3-peer
// networks would make those networks' timing tests compete for the two cores.
[CollectionDefinition("explorer", DisableParallelization = true)]
public sealed class ExplorerCollection : ICollectionFixture<ExplorerFixture>;
