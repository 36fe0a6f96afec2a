using System.Net;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Node.Tests.Explorer;

/// <summary>The explorer's pages over HTTP, in process: status codes, content and assets (the browser tests drive them in chromium).</summary>
public sealed class ExplorerPageTests : IDisposable
{
    private readonly TestNode _node = new();

    public void Dispose() => _node.Dispose();

    private async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var http = _node.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/", "Overview")]
    [InlineData("/blocks", "Blocks")]
    [InlineData("/blocks/0", "Block 0")]
    [InlineData("/txs", "Transactions")]
    [InlineData("/devices", "Devices")]
    [InlineData("/tokens", "Tokens")]
    [InlineData("/orgs", "voltmotors")]
    [InlineData("/orgs/gridco", "GridCo")]
    public async Task Every_page_renders_on_the_server(string path, string text)
    {
        var (status, html) = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains(text, html, StringComparison.Ordinal);
        Assert.DoesNotContain("//cdn", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/blocks/999999", HttpStatusCode.NotFound, "No block at height 999999")]
    [InlineData("/blocks?before=0", HttpStatusCode.BadRequest, "no block below height 0")]
    [InlineData("/txs/abc", HttpStatusCode.BadRequest, "is not a tx id")]
    [InlineData("/txs/0000000000000000000000000000000000000000000000000000000000000000", HttpStatusCode.NotFound, "is committed or pending")]
    [InlineData("/txs?before=12", HttpStatusCode.BadRequest, "is not a position in the chain")]
    [InlineData("/devices?status=broken", HttpStatusCode.BadRequest, "a device is")]
    [InlineData("/devices?org=nobody", HttpStatusCode.NotFound, "No organisation")]
    [InlineData("/devices/tl00", HttpStatusCode.BadRequest, "is not a device id")]
    [InlineData("/accounts/nope", HttpStatusCode.BadRequest, "is not an address")]
    [InlineData("/tokens/NOPE", HttpStatusCode.NotFound, "No token")]
    [InlineData("/orgs/nobody", HttpStatusCode.NotFound, "No organisation")]
    [InlineData("/search?q=", HttpStatusCode.BadRequest, "Type a block height")]
    [InlineData("/search?q=zzz-nothing", HttpStatusCode.NotFound, "Nothing on this chain matches")]
    public async Task What_does_not_exist_or_does_not_parse_is_a_precise_page_with_its_status(string path, HttpStatusCode expected, string message)
    {
        var (status, html) = await GetAsync(path);
        Assert.Equal(expected, status);
        Assert.Contains("data-problem", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(message), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_the_explorer_does_not_have_is_an_html_404_while_the_api_answers_a_problem()
    {
        using var http = _node.CreateClient();
        using var page = new HttpRequestMessage(HttpMethod.Get, "/no/such/<page>");
        page.Headers.Accept.ParseAdd("text/html");
        using var response = await http.SendAsync(page);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("The explorer has no page at <code>/no/such/&lt;page&gt;</code>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/\"", html, StringComparison.Ordinal);

        using var api = new HttpRequestMessage(HttpMethod.Get, "/v1/no-such-route");
        api.Headers.Accept.ParseAdd("text/html");
        using var problem = await http.SendAsync(api);
        Assert.Equal(HttpStatusCode.NotFound, problem.StatusCode);
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType!.MediaType);
        Assert.Contains("\"code\":\"NOT_FOUND\"", await problem.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_sends_each_kind_of_term_to_its_page()
    {
        var admin = await _node.AccountAsync(_node.Admin("voltmotors"));
        using var client = _node.Client();
        var tx = admin.Sign(Operations.CreateToken("PTS", "Points", 2, Execution.Roles.Admin, 0));
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(tx, wait: true)).Status);
        var txId = tx.Id;
        var block = await client.GetTxAsync(txId);
        var fresh = KeyPair.Generate().Address;

        Assert.Equal($"/blocks/{block!.Height}", await RedirectOf($"/search?q={block.Height}"));
        Assert.Equal($"/txs/{txId}", await RedirectOf($"/search?q={txId}"));
        // As the pages show them: shortened with an ellipsis.
        Assert.Equal($"/txs/{txId}", await RedirectOf($"/search?q={Uri.EscapeDataString(txId.ToString()[..14] + "…")}"));
        var blockHash = (await client.GetBlockAsync(block.Height!.Value))!.Hash;
        Assert.Equal($"/blocks/{block.Height}", await RedirectOf($"/search?q={blockHash[..14]}..."));
        Assert.Equal($"/accounts/{fresh}", await RedirectOf($"/search?q={fresh}"));
        Assert.Equal("/tokens/PTS", await RedirectOf("/search?q=PTS"));
        Assert.Equal("/orgs/gridco", await RedirectOf("/search?q=gridco"));

        var (status, html) = await GetAsync($"/txs/{txId}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("tokens/created", html, StringComparison.Ordinal);
        Assert.Contains(">Points<", html, StringComparison.Ordinal);
        var (tokenStatus, tokenHtml) = await GetAsync("/tokens/PTS");
        Assert.Equal(HttpStatusCode.OK, tokenStatus);
        Assert.Contains(txId.ToString()[..14], tokenHtml, StringComparison.Ordinal);
        // Amounts in the token's units with its symbol: nothing minted yet, two decimals.
        Assert.Contains("data-supply>0.00 PTS<", tokenHtml, StringComparison.Ordinal);
        var mint = admin.Sign(Operations.Mint("PTS", fresh, 12_345));
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(mint, wait: true)).Status);
        var (_, mintHtml) = await GetAsync($"/txs/{mint.Id}");
        Assert.Contains("data-amount>123.45 PTS<", mintHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_characters_that_version_1_txs_could_carry_are_shown_not_obeyed()
    {
        Assert.Equal("Points⟨U+202E⟩STP⟨U+200B⟩", Node.Explorer.Fmt.Visible("Points\u202eSTP\u200b"));
        Assert.Equal("tag⟨U+E0041⟩", Node.Explorer.Fmt.Visible("tag\U000E0041"));
        Assert.Equal("Énergie ⚡ 電力", Node.Explorer.Fmt.Visible("Énergie ⚡ 電力"));
    }

    [Fact]
    public async Task Assets_are_served_from_the_node_with_an_etag()
    {
        using var http = _node.CreateClient();
        using var css = await http.GetAsync("/assets/explorer.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        var etag = css.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, "/assets/explorer.css");
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        using var js = await http.GetAsync("/assets/explorer.js");
        Assert.Equal("text/javascript", js.Content.Headers.ContentType!.MediaType);
        using var missing = await http.GetAsync("/assets/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task<string?> RedirectOf(string path)
    {
        using var http = _node.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        return location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }
}
