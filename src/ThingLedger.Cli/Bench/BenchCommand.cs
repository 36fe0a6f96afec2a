using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using ThingLedger.Client;
using ThingLedger.Node;

namespace ThingLedger.Cli.Bench;

/// <summary>`thingledger bench tx`: committed transfers per second on a fresh dev node, next to the raw verify rate.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var txs = new Option<int>("--txs") { Description = "Transfers to send", DefaultValueFactory = _ => 60_000 };
        var accounts = new Option<int>("--accounts") { Description = "Distinct sending accounts", DefaultValueFactory = _ => 2_000 };
        var batch = new Option<int>("--batch") { Description = "Txs per HTTP submission", DefaultValueFactory = _ => 1_000 };
        var senders = new Option<int>("--senders") { Description = "Concurrent submitters", DefaultValueFactory = _ => 6 };
        var interval = new Option<int>("--block-interval-ms") { Description = "Node block interval", DefaultValueFactory = _ => 100 };
        var maxBlock = new Option<int>("--max-block-txs") { Description = "Node block size limit", DefaultValueFactory = _ => 5_000 };
        var tx = new Command("tx", "Committed token transfers per second with full verification and durable commits, commit latency p50/p99, " +
                "and the raw ECDSA P-256 verify rate measured in the same run. Runs its own node on a temporary data directory.\n" +
                "Example: thingledger bench tx --txs 60000 --accounts 2000")
            .With(txs, accounts, batch, senders, interval, maxBlock);
        tx.SetAction((parse, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var options = new TxBenchmarkOptions(parse.GetValue(txs), parse.GetValue(accounts), parse.GetValue(batch), parse.GetValue(senders));
            if (options.Txs < options.Senders || options.Accounts < options.Senders || options.BatchSize < 1 || options.Senders < 1)
            {
                throw new ArgumentException("--txs and --accounts must be at least --senders, and --batch and --senders positive");
            }
            return await RunAsync(options, parse.GetValue(interval), parse.GetValue(maxBlock), parse.GetValue(CommonOptions.Json), cancellationToken).ConfigureAwait(false);
        }));
        return new Command("bench", "Macro benchmarks (see docs/PERFORMANCE.md).").With(tx);
    }

    private static async Task<int> RunAsync(TxBenchmarkOptions options, int intervalMs, int maxBlockTxs, bool json, CancellationToken cancellationToken)
    {
        Action<string> progress = json ? _ => { } : m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]");
        progress("measuring the raw ECDSA P-256 verify rate on all cores (3 s)");
        var rawVerify = VerifyRate.Measure(TimeSpan.FromSeconds(3));

        var directory = Directory.CreateTempSubdirectory("thingledger-bench-").FullName;
        try
        {
            var genesis = DevChain.Initialize(directory, "thingledger-bench", DevChain.SampleOrgs, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var app = NodeApp.Build(
            [
                "--urls=http://127.0.0.1:0",
                $"--Node:DataDirectory={directory}",
                $"--Node:BlockIntervalMs={intervalMs}",
                $"--Node:MaxBlockTxs={maxBlockTxs}",
                "--Logging:LogLevel:Default=Warning",
            ]);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var client = new ThingLedgerClient(new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Senders + 2 })
                {
                    BaseAddress = new Uri(app.Urls.First() + "/"),
                    Timeout = TimeSpan.FromMinutes(5),
                });
                var admin = await Account.OpenAsync(client, DevChain.Keys(directory).Load(DevChain.AdminKeyName(genesis.Orgs[0].Id)), genesis.ChainId, cancellationToken).ConfigureAwait(false);
                var result = await new TxBenchmark(client, admin, options).RunAsync(rawVerify, progress, cancellationToken).ConfigureAwait(false);
                Report(result, options, json);
                return result.Failed + result.Refused == 0 ? 0 : CliRunner.Refused;
            }
            finally
            {
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Report(TxBenchmarkResult r, TxBenchmarkOptions o, bool json)
    {
        var c = CultureInfo.InvariantCulture;
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["tx/s"] = r.TxPerSecond.ToString("F0", c),
                ["latency_p50_ms"] = r.LatencyP50Ms.ToString("F0", c),
                ["latency_p99_ms"] = r.LatencyP99Ms.ToString("F0", c),
                ["raw_verify/s"] = r.RawVerifyPerSecond.ToString("F0", c),
                ["ratio_to_verify"] = r.RatioToVerify.ToString("F3", c),
                ["committed"] = r.Committed.ToString(c),
                ["failed"] = r.Failed.ToString(c),
                ["refused"] = r.Refused.ToString(c),
                ["blocks"] = r.Blocks.ToString(c),
                ["seconds"] = r.Seconds.ToString("F2", c),
                ["machine"] = r.Machine,
            }, CliJsonContext.Default.DictionaryStringString));
            return;
        }
        Output.Fields("bench tx",
            ("committed transfers", r.Committed.ToString(c)),
            ("failed / refused", $"{r.Failed} / {r.Refused}"),
            ("throughput", $"{r.TxPerSecond.ToString("F0", c)} tx/s"),
            ("commit latency p50", $"{r.LatencyP50Ms.ToString("F0", c)} ms"),
            ("commit latency p99", $"{r.LatencyP99Ms.ToString("F0", c)} ms"),
            ("raw P-256 verify, all cores", $"{r.RawVerifyPerSecond.ToString("F0", c)} verify/s"),
            ("throughput / raw verify", r.RatioToVerify.ToString("P1", c)),
            ("blocks", r.Blocks.ToString(c)),
            ("run", $"{o.Txs} txs from {o.Accounts} accounts, {o.Senders} senders × {o.BatchSize} per batch, {r.Seconds.ToString("F1", c)} s"),
            ("machine", r.Machine));
    }
}
