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
        // Against a network, batches of 500: six batches of 1,000 in flight gave the same tx/s but
        // held finality p99 above 2 s, queued behind three peers sharing the cores (docs/PERFORMANCE.md).
        var batch = new Option<int?>("--batch") { Description = "Txs per HTTP submission (default: 1000 against its own node, 500 against a network)" };
        // Four batches of 1,000 in flight keep a node's two cores saturated; more only lengthen the
        // queue (six: the same tx/s, p99 about 1.1 s instead of 0.85 s; docs/PERFORMANCE.md).
        // Against a network, two per peer.
        var senders = new Option<int?>("--senders") { Description = "Concurrent submitters (default: 4 against its own node, 6 against a network)" };
        var interval = new Option<int>("--block-interval-ms") { Description = "Node block interval", DefaultValueFactory = _ => 100 };
        var maxBlock = new Option<int>("--max-block-txs") { Description = "Node block size limit", DefaultValueFactory = _ => 5_000 };
        var network = new Option<string?>("--network")
        {
            Description = "Run against a running local network (`network up`) instead of a fresh node: its folder",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var tx = new Command("tx", "Committed token transfers per second with full verification and durable commits, commit latency p50/p99, " +
                "and the raw ECDSA P-256 verify rate measured in the same run. Runs its own node on a temporary data directory, " +
                "or with --network drives every peer of a local network and also reports time to finality p50/p99.\n" +
                "Example: thingledger bench tx --txs 60000 --accounts 2000\n" +
                "Example: thingledger bench tx --network ./thingledger-network --txs 30000")
            .With(txs, accounts, batch, senders, interval, maxBlock, network);
        tx.SetAction((parse, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var onNetwork = parse.GetResult(network) is not null;
            var options = new TxBenchmarkOptions(
                parse.GetValue(txs), parse.GetValue(accounts), parse.GetValue(batch) ?? (onNetwork ? 500 : 1_000), parse.GetValue(senders) ?? (onNetwork ? 6 : 4));
            if (options.Txs < options.Senders || options.Accounts < options.Senders || options.BatchSize < 1 || options.Senders < 1)
            {
                throw new ArgumentException("--txs and --accounts must be at least --senders, and --batch and --senders positive");
            }
            if (onNetwork)
            {
                return await RunOnNetworkAsync(options, parse.GetValue(network) ?? Network.NetworkCommand.DefaultDirectory, parse.GetValue(CommonOptions.Json), cancellationToken).ConfigureAwait(false);
            }
            return await RunAsync(options, parse.GetValue(interval), parse.GetValue(maxBlock), parse.GetValue(CommonOptions.Json), cancellationToken).ConfigureAwait(false);
        }));
        return new Command("bench", "Macro benchmarks (see docs/PERFORMANCE.md).").With(tx, Ingest(), Explorer(), ContractBenchmark.Create(WithNodeAsync, Progress), FinanceBenchmark.Create(WithNodeAsync, Progress),
            CommerceBenchmark.Create(WithNodeAsync, Progress), EpcisBenchmark.Create(WithNodeAsync, Progress), EnergyBenchmark.Create(WithNodeAsync, Progress),
            IdBenchmark.Create(WithNodeAsync, Progress));
    }

    private static Command Ingest()
    {
        var readings = new Option<int>("--readings") { Description = "Readings to send", DefaultValueFactory = _ => 200_000 };
        var devices = new Option<int>("--devices") { Description = "Distinct devices", DefaultValueFactory = _ => 1_000 };
        var batch = new Option<int>("--batch") { Description = "Readings per device signature (1 = each reading signed alone; 60 = a minute of readings)", DefaultValueFactory = _ => 1 };
        var upload = new Option<int>("--upload") { Description = "Readings per HTTP upload", DefaultValueFactory = _ => 2_000 };
        var senders = new Option<int>("--senders") { Description = "Concurrent HTTP uploaders", DefaultValueFactory = _ => 4 };
        var transport = new Option<string>("--transport")
        {
            Description = "http: senders upload many devices' readings per request; mqtt: each device its own MQTT session, one message per signed reading or device batch, " +
                "measured beside the same readings over HTTP in the same run",
            DefaultValueFactory = _ => "http",
        };
        transport.AcceptOnlyFromAmong("http", "mqtt");
        var command = new Command("ingest", "Accepted readings per second (each fsynced before the answer, then anchored), anchor latency p50/p99, " +
                "bytes on disk per reading, and the raw ECDSA P-256 verify rate measured in the same run. Runs its own node on a temporary data directory.\n" +
                "Example: thingledger bench ingest                      (readings signed one by one)\n" +
                "         thingledger bench ingest --batch 60 --readings 1200000   (device batches of 60)\n" +
                "         thingledger bench ingest --transport mqtt --batch 60 --readings 600000   (MQTT beside HTTP, PUBACK p50/p99)")
            .With(readings, devices, batch, upload, senders, transport);
        command.SetAction((parse, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var options = new IngestBenchmarkOptions(parse.GetValue(readings), parse.GetValue(devices), parse.GetValue(batch), parse.GetValue(upload), parse.GetValue(senders));
            if (options.Devices < 1 || options.BatchSize is < 1 or > Core.Telemetry.DeviceBatch.MaxReadings || options.Senders < 1 ||
                options.UploadReadings < options.BatchSize || options.Readings < options.Devices * options.BatchSize)
            {
                throw new ArgumentException("--devices and --senders positive, --batch 1..1024, --upload at least --batch, --readings at least --devices × --batch");
            }
            var json = parse.GetValue(CommonOptions.Json);
            var progress = Progress(json);
            progress("measuring the raw ECDSA P-256 verify rate on all cores (3 s)");
            var rawVerify = VerifyRate.Measure(TimeSpan.FromSeconds(3));
            string[] settings =
            [
                $"--Node:MaxUploadReadings={Math.Max(options.UploadReadings, 50_000)}",
                $"--Node:MaxDeviceBatchReadings={Math.Max(options.BatchSize, 256)}",
                // The benchmark measures capacity: the per-device MQTT rate limit is lifted.
                "--Node:Mqtt:MessagesPerSecond=1000000",
                "--Node:Mqtt:MessageBurst=1000000",
                $"--Node:Mqtt:MaxConnections={options.Devices + 100}",
            ];
            IngestBenchmarkResult? http = null;
            if (parse.GetValue(transport) == "mqtt")
            {
                progress("over HTTP first, on a node of its own");
                http = await RunIngestAsync(settings, options, rawVerify, progress, cancellationToken).ConfigureAwait(false);
                progress("now over MQTT, on a fresh node");
                options = options with { Transport = "mqtt" };
            }
            var result = await RunIngestAsync(settings, options, rawVerify, progress, cancellationToken).ConfigureAwait(false);
            ReportIngest(result, options, http, json);
            return result.Refused + (http?.Refused ?? 0) == 0 ? 0 : CliRunner.Refused;
        }));
        return command;
    }

    private static async Task<IngestBenchmarkResult> RunIngestAsync(string[] settings, IngestBenchmarkOptions options, double rawVerify, Action<string> progress, CancellationToken cancellationToken)
    {
        IngestBenchmarkResult? result = null;
        await WithNodeAsync(settings, options.Senders + 2, async (app, client, admin, stopping) =>
        {
            result = await new IngestBenchmark(client, app.Services, options).RunAsync(admin, rawVerify, progress, stopping).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return result!;
    }

    private static Command Explorer()
    {
        var txs = new Option<int>("--txs") { Description = "Transfers to commit before timing the pages", DefaultValueFactory = _ => 1_000_000 };
        var devices = new Option<int>("--devices") { Description = "EV devices to register", DefaultValueFactory = _ => 100 };
        var readings = new Option<int>("--readings-per-device") { Description = "Readings each device uploads", DefaultValueFactory = _ => 100 };
        var requests = new Option<int>("--requests") { Description = "Timed requests per page (after one warm-up)", DefaultValueFactory = _ => 20 };
        var command = new Command("explorer", "Explorer page-load times (p50/p99/max ms per page) on a chain filled with --txs transfers, devices and readings. " +
                "Runs its own node on a temporary data directory; filling a million txs takes a few minutes.\n" +
                "Example: thingledger bench explorer --txs 1000000")
            .With(txs, devices, readings, requests);
        command.SetAction((parse, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var options = new ExplorerBenchmarkOptions(parse.GetValue(txs), parse.GetValue(devices), parse.GetValue(readings), parse.GetValue(requests));
            if (options.Txs < 6_000 || options.Devices < 1 || options.ReadingsPerDevice < 1 || options.Requests < 1)
            {
                throw new ArgumentException("--txs at least 6000, --devices, --readings-per-device and --requests positive");
            }
            var json = parse.GetValue(CommonOptions.Json);
            var progress = Progress(json);
            return await WithNodeAsync(["--Node:BlockIntervalMs=100", "--Node:MaxBlockTxs=5000"], 8, async (app, client, admin, stopping) =>
            {
                var node = app.Services.GetRequiredService<Node.Chain.LedgerNode>();
                var fill = new TxBenchmarkOptions(options.Txs, Accounts: 2_000, BatchSize: 1_000, Senders: 6);
                var filled = await new TxBenchmark(client, admin, fill).RunAsync(0, progress, stopping).ConfigureAwait(false);
                var ingest = new IngestBenchmarkOptions(options.Devices * options.ReadingsPerDevice, options.Devices, 1, 2_000, 4);
                await new IngestBenchmark(client, app.Services, ingest).RunAsync(admin, 0, progress, stopping).ConfigureAwait(false);
                using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(1) };
                var pages = await new ExplorerBenchmark(http, client, node, options.Requests).MeasureAsync(progress, stopping).ConfigureAwait(false);
                ReportExplorer(pages, node.Store.CountTxs(), node.Head.Height, filled, options, json);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static void ReportExplorer(List<PageTiming> pages, long txs, ulong height, TxBenchmarkResult fill, ExplorerBenchmarkOptions o, bool json)
    {
        var c = CultureInfo.InvariantCulture;
        var run = $"{txs} txs in {height} blocks ({fill.Committed} transfers filled at {fill.TxPerSecond.ToString("F0", c)} tx/s), " +
            $"{o.Devices} devices × {o.ReadingsPerDevice} readings, {o.Requests} timed requests per page";
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["txs"] = txs.ToString(c),
                ["height"] = height.ToString(c),
                ["slowest_p99_ms"] = pages.Max(p => p.P99Ms).ToString("F1", c),
                ["pages"] = string.Join("; ", pages.Select(p => $"{p.Path} p50={p.P50Ms.ToString("F1", c)} p99={p.P99Ms.ToString("F1", c)} max={p.MaxMs.ToString("F1", c)}")),
                ["machine"] = MachineInfo.Describe(),
            }, CliJsonContext.Default.DictionaryStringString));
            return;
        }
        Output.Rows($"bench explorer: {run}", ["page", "path", "p50 ms", "p99 ms", "max ms", "KiB"],
            pages.Select(p => new string?[]
            {
                p.Page, p.ShortPath, p.P50Ms.ToString("F1", c), p.P99Ms.ToString("F1", c), p.MaxMs.ToString("F1", c), (p.Bytes / 1024.0).ToString("F1", c),
            }));
        Console.WriteLine($"machine: {MachineInfo.Describe()}");
    }

    private static void ReportIngest(IngestBenchmarkResult r, IngestBenchmarkOptions o, IngestBenchmarkResult? http, bool json)
    {
        var c = CultureInfo.InvariantCulture;
        var mqtt = o.Transport == "mqtt";
        if (json)
        {
            var fields = new Dictionary<string, string>
            {
                ["readings/s"] = r.ReadingsPerSecond.ToString("F0", c),
                ["anchor_latency_p50_ms"] = r.AnchorP50Ms.ToString("F0", c),
                ["anchor_latency_p99_ms"] = r.AnchorP99Ms.ToString("F0", c),
                ["bytes_per_reading"] = r.BytesPerReading.ToString("F1", c),
                ["raw_verify/s"] = r.RawVerifyPerSecond.ToString("F0", c),
                ["signature_checks_to_raw_verify"] = r.VerifyShare(o.BatchSize).ToString("F3", c),
                ["accepted"] = r.Accepted.ToString(c),
                ["refused"] = r.Refused.ToString(c),
                ["batch"] = o.BatchSize.ToString(c),
                ["transport"] = o.Transport,
                ["seconds"] = r.Seconds.ToString("F2", c),
                ["machine"] = r.Machine,
            };
            if (mqtt && http is not null)
            {
                fields["http_readings/s"] = http.ReadingsPerSecond.ToString("F0", c);
                fields["mqtt_to_http"] = (r.ReadingsPerSecond / http.ReadingsPerSecond).ToString("F3", c);
                fields["puback_p50_ms"] = r.PubAckP50Ms.ToString("F1", c);
                fields["puback_p99_ms"] = r.PubAckP99Ms.ToString("F1", c);
                fields["http_refused"] = http.Refused.ToString(c);
            }
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(fields, CliJsonContext.Default.DictionaryStringString));
            return;
        }
        var rows = new List<(string, string)>
        {
            ("accepted readings", r.Accepted.ToString(c)),
            ("refused", r.Refused == 0 ? "0" : $"{r.Refused} ({r.Refusals})"),
            ("throughput", $"{r.ReadingsPerSecond.ToString("F0", c)} readings/s{(mqtt ? " over MQTT" : "")}"),
        };
        if (mqtt && http is not null)
        {
            rows.Add(("same readings over HTTP", $"{http.ReadingsPerSecond.ToString("F0", c)} readings/s (MQTT at {(r.ReadingsPerSecond / http.ReadingsPerSecond).ToString("P0", c)})"));
            rows.Add(("PUBACK p50 / p99", $"{r.PubAckP50Ms.ToString("F1", c)} / {r.PubAckP99Ms.ToString("F1", c)} ms"));
        }
        rows.AddRange(
        [
            ("anchor latency p50", $"{r.AnchorP50Ms.ToString("F0", c)} ms"),
            ("anchor latency p99", $"{r.AnchorP99Ms.ToString("F0", c)} ms"),
            ("on disk", $"{r.BytesPerReading.ToString("F1", c)} bytes/reading"),
            ("raw P-256 verify, all cores", $"{r.RawVerifyPerSecond.ToString("F0", c)} verify/s"),
            ("signature checks / raw verify", r.VerifyShare(o.BatchSize).ToString("P1", c)),
            ("run", $"{r.Accepted} readings from {o.Devices} devices, {(o.BatchSize == 1 ? "each signed alone" : $"device batches of {o.BatchSize}")}, " +
                (mqtt ? $"one MQTT session per device, one message per {(o.BatchSize == 1 ? "reading" : "batch")}" : $"{o.Senders} senders × {o.UploadReadings} per upload") +
                $", {r.Seconds.ToString("F1", c)} s"),
            ("machine", r.Machine),
        ]);
        Output.Fields("bench ingest", [.. rows]);
    }

    private static async Task<int> RunOnNetworkAsync(TxBenchmarkOptions options, string directory, bool json, CancellationToken cancellationToken)
    {
        var progress = Progress(json);
        var local = Network.LocalNetwork.Load(directory);
        progress("measuring the raw ECDSA P-256 verify rate on all cores (3 s)");
        var rawVerify = VerifyRate.Measure(TimeSpan.FromSeconds(3));
        var peers = local.Manifest.Peers.Select(p => new ThingLedgerClient(new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Senders + 2 })
        {
            BaseAddress = new Uri(p.Url + "/"),
            Timeout = TimeSpan.FromMinutes(5),
        })).ToList();
        try
        {
            var first = local.Manifest.Peers[0];
            var admin = await Account.OpenAsync(peers[0], DevChain.Keys(first.DataDir).Load(DevChain.AdminKeyName(first.Org)), local.Manifest.ChainId, cancellationToken).ConfigureAwait(false);
            var result = await new TxBenchmark(peers[0], admin, options with { Symbol = $"B{DateTime.UtcNow:HHmmss}" }, peers).RunAsync(rawVerify, progress, cancellationToken).ConfigureAwait(false);
            Report(result, options, json);
            return result.Failed + result.Refused == 0 ? 0 : CliRunner.Refused;
        }
        finally
        {
            foreach (var peer in peers)
            {
                peer.Dispose();
            }
        }
    }

    private static async Task<int> RunAsync(TxBenchmarkOptions options, int intervalMs, int maxBlockTxs, bool json, CancellationToken cancellationToken)
    {
        var progress = Progress(json);
        progress("measuring the raw ECDSA P-256 verify rate on all cores (3 s)");
        var rawVerify = VerifyRate.Measure(TimeSpan.FromSeconds(3));
        return await WithNodeAsync([$"--Node:BlockIntervalMs={intervalMs}", $"--Node:MaxBlockTxs={maxBlockTxs}"], options.Senders + 2, async (_, client, admin, stopping) =>
        {
            var result = await new TxBenchmark(client, admin, options).RunAsync(rawVerify, progress, stopping).ConfigureAwait(false);
            Report(result, options, json);
            return result.Failed + result.Refused == 0 ? 0 : CliRunner.Refused;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Action<string> Progress(bool json) => json ? _ => { } : m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]");

    /// <summary>Runs <paramref name="body"/> against a fresh dev node on a temporary data directory, in this process, then removes it.</summary>
    private static async Task<int> WithNodeAsync(string[] settings, int connections, Func<WebApplication, ThingLedgerClient, Account, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("thingledger-bench-").FullName;
        try
        {
            var genesis = DevChain.Initialize(directory, "thingledger-bench", DevChain.SampleOrgs, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var app = NodeApp.Build(
            [
                "--urls=http://127.0.0.1:0",
                $"--Node:DataDirectory={directory}",
                "--Logging:LogLevel:Default=Warning",
                // Its devices, if any, connect to a broker on a free port: 1883 may be another node's.
                "--Node:Mqtt:Port=0",
                .. settings,
            ]);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var client = new ThingLedgerClient(new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections })
                {
                    BaseAddress = new Uri(app.Urls.First() + "/"),
                    Timeout = TimeSpan.FromMinutes(5),
                });
                using var stopped = CliRunner.UntilStopped(app, cancellationToken);
                var admin = await Account.OpenAsync(client, DevChain.Keys(directory).Load(DevChain.AdminKeyName(genesis.Validators[0].Org)), genesis.ChainId, stopped.Token).ConfigureAwait(false);
                return await body(app, client, admin, stopped.Token).ConfigureAwait(false);
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
                ["finality_p50_ms"] = r.Finality is { } f50 ? f50.P50Ms.ToString("F0", c) : "",
                ["finality_p99_ms"] = r.Finality is { } f99 ? f99.P99Ms.ToString("F0", c) : "",
                ["seconds"] = r.Seconds.ToString("F2", c),
                ["senders"] = o.Senders.ToString(c),
                ["batch"] = o.BatchSize.ToString(c),
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
            ("time to finality p50 / p99", r.Finality is { } f ? $"{f.P50Ms.ToString("F0", c)} / {f.P99Ms.ToString("F0", c)} ms" : "— (solo: final at commit)"),
            ("blocks", r.Blocks.ToString(c)),
            ("run", $"{o.Txs} txs from {o.Accounts} accounts, {o.Senders} senders × {o.BatchSize} per batch, {r.Seconds.ToString("F1", c)} s"),
            ("machine", r.Machine));
    }
}
