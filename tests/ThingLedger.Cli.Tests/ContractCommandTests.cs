using System.Text.Json;

namespace ThingLedger.Cli.Tests;

/// <summary>Contracts from the command line: a new contract and the token example built with the pinned compiler, deployed, called and queried on a node.</summary>
public sealed class ContractCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(300);
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-cli-contract-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<string> RunAsync(params string[] args)
    {
        var run = await CliProcess.RunAsync(Limit, args);
        Assert.True(run.Code == 0, string.Join(' ', args) + "\n" + run.Err + run.Out);
        return run.Out;
    }

    [Fact]
    public async Task A_new_contract_and_the_token_example_build_deploy_and_answer_calls_and_queries()
    {
        var data = Path.Combine(_directory, "chain");
        await RunAsync("init", "--data", data);
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort());
        string[] common = ["--data", data, "--node", node.Url];

        var counter = Path.Combine(_directory, "counter");
        await RunAsync("contract", "new", "counter", "--dir", counter);
        Assert.Contains("passes the node's checks", await RunAsync("contract", "build", counter), StringComparison.Ordinal);
        Assert.Contains("took effect in block", await RunAsync(["contract", "deploy", counter, "--as", "voltmotors-admin", .. common]), StringComparison.Ordinal);
        var called = await RunAsync(["contract", "call", "counter", "add", "5", "--as", "voltmotors-admin", .. common]);
        Assert.Contains("added: by=5", called, StringComparison.Ordinal);
        Assert.Contains("total: 5", await RunAsync(["contract", "query", "counter", "total", .. common]), StringComparison.Ordinal);
        var shown = await RunAsync(["contract", "show", "counter", .. common]);
        Assert.Contains("add", shown, StringComparison.Ordinal);
        Assert.Contains("0.1.0", shown, StringComparison.Ordinal);

        // Bad input: a value that is not its type is refused before anything is signed; a revert reports the contract's code.
        var bad = await CliProcess.RunAsync(Limit, ["contract", "call", "counter", "add", "five", "--as", "voltmotors-admin", .. common]);
        Assert.Equal(CliRunner.BadInput, bad.Code);
        Assert.Contains("by: 'five' is not a u64", bad.Err, StringComparison.Ordinal);
        var reverted = await CliProcess.RunAsync(Limit, ["contract", "call", "counter", "add", "0", "--as", "voltmotors-admin", .. common]);
        Assert.Equal(CliRunner.Refused, reverted.Code);
        Assert.Contains("CONTRACTS_REVERTED", reverted.Err, StringComparison.Ordinal);
        Assert.Contains("code=ZERO", reverted.Out, StringComparison.Ordinal);

        // The token example, built from a copy of contracts/ (its SDK and lock file), set up by init.
        var contracts = Path.Combine(_directory, "contracts");
        Copy(Path.Combine(Repository.Root(), "contracts"), contracts);
        var token = Path.Combine(contracts, "examples", "token");
        await RunAsync("contract", "build", token);
        // The committed builds (the demo deploys them without a compiler) are exactly what the pinned compiler makes of the sources.
        foreach (var example in new[] { "token", "ride-share", "collectibles" })
        {
            var folder = Path.Combine(contracts, "examples", example);
            if (example != "token")
            {
                await RunAsync("contract", "build", folder);
            }
            Assert.True(File.ReadAllBytes(Path.Combine(Repository.Root(), "contracts", "examples", example, "build", "contract.wasm"))
                .AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folder, "build", "contract.wasm"))), $"contracts/examples/{example}/build/contract.wasm is not what its sources build to: run `thingledger contract build contracts/examples/{example}` and commit it");
        }
        await RunAsync(["contract", "deploy", token, "--init", "1000", "--as", "voltmotors-admin", .. common]);
        await RunAsync(["keys", "new", "friend", .. common]);
        await RunAsync(["contract", "call", "token", "transfer", "friend", "30", "--as", "voltmotors-admin", .. common]);
        var balance = JsonDocument.Parse(await RunAsync(["contract", "query", "token", "balance_of", "friend", "--json", .. common])).RootElement;
        Assert.Equal("30", balance.GetProperty("results").GetProperty("balance").GetString());
        // The explorer decodes calls and events by the contract's metadata and links each storage entry to its proof.
        using (var http = new HttpClient { BaseAddress = new Uri(node.Url) })
        {
            var page = await http.GetStringAsync("/contracts/counter");
            Assert.Contains("by=5", page, StringComparison.Ordinal);
            Assert.Contains("added(by=5", page, StringComparison.Ordinal);
            Assert.Contains("CONTRACTS_REVERTED", page, StringComparison.Ordinal);
            Assert.Contains("?proof=true", page, StringComparison.Ordinal);
            Assert.Contains(">total<", page, StringComparison.Ordinal);
            var index = await http.GetStringAsync("/contracts");
            Assert.Contains("href=\"/contracts/token\"", index, StringComparison.Ordinal);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/contracts/nobody")).StatusCode);
            var proof = JsonDocument.Parse(await http.GetStringAsync("/v1/state/contracts/contract/counter?proof=true")).RootElement;
            Assert.Equal("contract", proof.GetProperty("kind").GetString());
        }
        var list = JsonDocument.Parse(await RunAsync(["contract", "list", "--json", .. common])).RootElement;
        Assert.Equal(["counter", "token"], list.EnumerateArray().Select(c => c.GetProperty("name").GetString()!).Order().ToArray());
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("node_modules", StringComparison.Ordinal) || relative.Contains("build", StringComparison.Ordinal))
            {
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }
}
