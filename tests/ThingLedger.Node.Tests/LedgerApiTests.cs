using System.Net;
using System.Text;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Verification;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Node.Tests;

public sealed class LedgerApiTests : IClassFixture<TestNode>
{
    private readonly TestNode _node;

    public LedgerApiTests(TestNode node) => _node = node;

    private async Task<(Account Admin, string Symbol)> TokenAsync(UInt128 cap = default)
    {
        var admin = await _node.AccountAsync(_node.Admin("voltmotors"));
        var symbol = "T" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        using var client = _node.Client();
        var created = await client.SubmitAsync(admin.Sign(Operations.CreateToken(symbol, "Test points", 0, Roles.Admin, cap)), wait: true);
        Assert.Equal(TxState.Committed, created.Status);
        return (admin, symbol);
    }

    [Fact]
    public async Task A_node_starts_at_block_zero_linked_to_genesis_and_reports_health()
    {
        using var client = _node.Client();
        var block0 = await client.GetBlockAsync(0);
        Assert.Equal(_node.Genesis.Hash.ToString(), block0!.PreviousHash);
        var status = await client.GetStatusAsync();
        Assert.Equal("node-test", status.ChainId);
        Assert.Equal(_node.Genesis.Hash.ToString(), status.GenesisHash);
        var http = _node.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        Assert.Equal(_node.Genesis.Hash, Genesis.Parse(await client.GetGenesisJsonAsync()).Hash);
    }

    [Fact]
    public async Task Mint_and_transfer_commit_and_balances_verify_offline()
    {
        var (admin, symbol) = await TokenAsync();
        using var bob = KeyPair.Generate();
        using var client = _node.Client();
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.Mint(symbol, admin.Address, 1_000)), wait: true)).Status);
        var transfer = admin.Sign(Operations.Transfer(symbol, bob.Address, 250));
        var result = await client.SubmitAsync(transfer, wait: true);
        Assert.Equal(TxState.Committed, result.Status);

        Assert.Equal("250", (await client.GetBalanceAsync(symbol, bob.Address)).Balance);
        var proven = await client.GetVerifiedStateAsync(TokensModule.BalanceKey(symbol, bob.Address), _node.Genesis);
        Assert.Equal((UInt128)250, System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(proven));
        Assert.Null(await client.GetVerifiedStateAsync(TokensModule.BalanceKey(symbol, KeyPair.Generate().Address), _node.Genesis));

        var view = await client.GetTxAsync(transfer.Id);
        Assert.Equal("transferred", view!.Receipt!.Events[0].Name);
        Assert.True((await client.VerifyTxAsync(transfer.Id, _node.Genesis)).Ok);

        var history = await _node.CreateClient().GetStringAsync($"/v1/accounts/{admin.Address}/txs?limit=5");
        Assert.Contains(transfer.Id.ToString(), history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proof_checked_against_another_genesis_or_tampered_fails_at_the_right_link()
    {
        var (admin, symbol) = await TokenAsync();
        using var client = _node.Client();
        var mint = admin.Sign(Operations.Mint(symbol, admin.Address, 5));
        await client.SubmitAsync(mint, wait: true);
        var proof = await client.GetTxProofAsync(mint.Id);

        var otherGenesis = DevChain.Initialize(Directory.CreateTempSubdirectory().FullName, "node-test", DevChain.SampleOrgs, 1);
        Assert.Equal("genesis", proof.Verify(otherGenesis).Link);
        var forOther = ProofDocument.Parse(proof.ToJson());
        forOther.GenesisHash = otherGenesis.Hash.ToString();
        Assert.Equal("certificate", forOther.Verify(otherGenesis).Link);

        // A genesis with the same chain id, validators and quorum but another start time is
        // another chain: the attestations sign the genesis hash, so relabelling is not enough.
        var g = _node.Genesis;
        Assert.Equal(Genesis.CurrentVersion, g.Version);
        var twin = new Genesis(g.ChainId, g.Timestamp + 1, g.Orgs, g.Validators, g.Quorum);
        var forTwin = ProofDocument.Parse(proof.ToJson());
        forTwin.GenesisHash = twin.Hash.ToString();
        Assert.Equal("certificate", forTwin.Verify(twin).Link);
        var nameless = ProofDocument.Parse(proof.ToJson());
        nameless.GenesisHash = null;
        Assert.Equal("genesis", nameless.Verify(g).Link);

        var receipt = Convert.FromHexString(proof.Receipt!);
        receipt[40] ^= 1; // inside the cost field: version(1) txId(32) status(1) code(1) cost(8)
        var tampered = ProofDocument.Parse(proof.ToJson());
        tampered.Receipt = Convert.ToHexStringLower(receipt);
        Assert.Equal("receipt-inclusion", tampered.Verify(_node.Genesis).Link);

        // The labels say what the bytes prove: a chain id label that differs, or is missing, is refused.
        var relabelled = ProofDocument.Parse(proof.ToJson());
        relabelled.ChainId = "other-chain";
        Assert.Equal("header", relabelled.Verify(_node.Genesis).Link);
        var json = System.Text.Json.Nodes.JsonNode.Parse(proof.ToJson())!.AsObject();
        Assert.True(json.Remove("chainId"));
        var unlabelled = ProofDocument.Parse(json.ToJsonString());
        Assert.Equal("header", unlabelled.Verify(_node.Genesis).Link);
        Assert.True(ProofDocument.Parse(proof.ToJson()).Verify(_node.Genesis).Ok);
        var upper = ProofDocument.Parse(proof.ToJson());
        upper.Header = upper.Header!.ToUpperInvariant();
        Assert.Equal("header", upper.Verify(_node.Genesis).Link);

        var state = (await client.GetStateAsync(TokensModule.TokenKey(symbol), proof: true)).Proof!;
        // A key whose slashes are escaped names the same key, not a literal "%2F" one.
        var escaped = (await client.GetStateAsync(TokensModule.TokenKey(symbol).Replace("/", "%2F", StringComparison.Ordinal), proof: true)).Proof!;
        Assert.Equal((TokensModule.TokenKey(symbol), state.Value), (escaped.Key, escaped.Value));
        Assert.NotNull(escaped.Value);
        state.Value = "00" + state.Value![2..];
        Assert.Equal("state-proof", state.Verify(_node.Genesis).Link);
    }

    [Fact]
    public async Task A_batch_is_verified_in_parallel_and_committed_in_order()
    {
        var (admin, symbol) = await TokenAsync();
        using var client = _node.Client();
        var txs = new List<Transaction> { admin.Sign(Operations.Mint(symbol, admin.Address, 10_000)) };
        var holders = Enumerable.Range(0, 5).Select(_ => KeyPair.Generate()).ToArray();
        for (var i = 0; i < 300; i++)
        {
            txs.Add(admin.Sign(Operations.Transfer(symbol, holders[i % 5].Address, 1)));
        }
        var response = await client.SubmitAsync(txs, wait: true, timeoutMs: 30_000);
        Assert.Equal(301, response.Accepted);
        Assert.All(response.Results, r => Assert.Equal(TxState.Committed, r.Status));
        Assert.Equal("60", (await client.GetBalanceAsync(symbol, holders[3].Address)).Balance);
        Assert.Equal(admin.NextNonce, await client.GetNextNonceAsync(admin.Address));
    }

    [Fact]
    public async Task Block_events_stream_as_server_sent_events()
    {
        var http = _node.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/events");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("id: ", first, StringComparison.Ordinal);
        Assert.Equal("event: block", await reader.ReadLineAsync());
        Assert.Contains("\"height\":", await reader.ReadLineAsync(), StringComparison.Ordinal);

        // A new block is announced as it commits.
        await TokenAsync();
        string? line;
        do
        {
            line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        while (line is not null && !line.StartsWith("data:", StringComparison.Ordinal));
        Assert.Contains("\"txCount\":1", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_openapi_and_swagger_are_served()
    {
        var http = _node.CreateClient();
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("thingledger_block_height ", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE thingledger_txs_committed_total counter", metrics, StringComparison.Ordinal);
        var openapi = await http.GetStringAsync("/openapi/v1.json");
        Assert.Contains("\"/v1/txs\"", openapi, StringComparison.Ordinal);
        Assert.Contains("SubmitTxs", openapi, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/swagger/index.html")).StatusCode);
    }

    /// <summary>Every `GET /v1/…` or `POST /v1/…` the docs and README name is a route of the node (placeholder names aside).</summary>
    [Fact]
    public async Task Every_api_path_the_docs_name_is_a_route_of_the_node()
    {
        static string Shape(string path) => System.Text.RegularExpressions.Regex.Replace(path.TrimEnd('/'), @"\{[^}]*\}", "{}");
        var openapi = System.Text.Json.JsonDocument.Parse(await _node.CreateClient().GetStringAsync("/openapi/v1.json"));
        var routes = openapi.RootElement.GetProperty("paths").EnumerateObject().Select(p => Shape(p.Name)).ToHashSet(StringComparer.Ordinal);
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "ThingLedger.slnx")))
        {
            root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("no ThingLedger.slnx above the tests");
        }
        var named = Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Append(Path.Combine(root, "README.md"))
            .SelectMany(file => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), @"`(?:GET|POST) (/v1/[^`?\s]*)").Select(m => (File: Path.GetFileName(file), Path: m.Groups[1].Value)))
            .ToList();
        Assert.True(named.Count > 10, $"only {named.Count} paths found in the docs");
        var unknown = named.Where(n => !routes.Contains(Shape(n.Path))).Select(n => $"{n.File}: {n.Path}").Distinct().ToList();
        Assert.True(unknown.Count == 0, "paths the docs name that the node does not serve: " + string.Join(", ", unknown));
    }

    [Fact]
    public async Task Blocks_are_listed_newest_first_and_found_by_hash()
    {
        await TokenAsync();
        using var client = _node.Client();
        var head = await client.GetHeadAsync();
        var http = _node.CreateClient();
        var byHash = await http.GetStringAsync($"/v1/blocks/by-hash/{head.Hash}");
        Assert.Contains($"\"height\":{head.Height}", byHash, StringComparison.Ordinal);
        var list = await http.GetStringAsync("/v1/blocks?limit=2");
        Assert.Contains($"\"height\":{head.Height}", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/v1/blocks/{head.Height + 1000}")).StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_and_broken_json_get_problem_details_with_codes()
    {
        var http = _node.CreateClient();
        var missing = await http.GetAsync("/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains($"\"code\":\"{ErrorCodes.NotFound}\"", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var broken = await http.PostAsync("/v1/txs", new StringContent("{\"txs\": [", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains($"\"code\":\"{ErrorCodes.BadRequest}\"", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", broken.Content.Headers.ContentType!.MediaType);
    }
}
