using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ThingLedger.Client;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Commerce;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Telemetry;
using ThingLedger.Storage;

namespace ThingLedger.Cli.Bench;

/// <summary>
/// `bench commerce`: washing machines, each under its own detergent agreement, whose readings all
/// cross the threshold at once. The anchors of those readings (as many as the 32 KiB payload limit
/// needs) are executed as one block on the node's own state machine — telemetry recording every
/// summary, commerce placing an order for each — and timed (median of five, after one warm-up
/// execution that also compiles the code); nothing of it is committed. Then the same readings are uploaded
/// for real, the node anchors them, and every order is counted on chain.
/// </summary>
internal static class CommerceBenchmark
{
    private const string Token = "BPTS";

    private sealed record Options(int Washers, int Senders, int Batch);

    public static Command Create(Func<string[], int, Func<Microsoft.AspNetCore.Builder.WebApplication, ThingLedgerClient, Account, CancellationToken, Task<int>>, CancellationToken, Task<int>> withNode,
        Func<bool, Action<string>> progressFor)
    {
        var washers = new Option<int>("--washers") { Description = "Washing machines, each with its own agreement, whose readings cross the threshold in one block", DefaultValueFactory = _ => 10_000 };
        var senders = new Option<int>("--senders") { Description = "Concurrent submitters while setting up", DefaultValueFactory = _ => 4 };
        var batch = new Option<int>("--batch") { Description = "Txs per HTTP submission while setting up", DefaultValueFactory = _ => 1_000 };
        var command = new Command("commerce", "Washing machines whose anchored readings all cross their agreements' threshold at once: the execution time of the block " +
                "that anchors them and places an order for each, then the same readings uploaded and every order committed. Runs its own node on a temporary data directory.\n" +
                "Example: thingledger bench commerce --washers 10000")
            .With(washers, senders, batch);
        command.SetAction((parse, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var o = new Options(parse.GetValue(washers), parse.GetValue(senders), parse.GetValue(batch));
            if (o.Washers < 1 || o.Senders < 1 || o.Batch < 1)
            {
                throw new ArgumentException("--washers, --senders and --batch must be positive");
            }
            var json = parse.GetValue(CommonOptions.Json);
            var progress = progressFor(json);
            return await withNode(["--Node:BlockIntervalMs=100", $"--Node:MaxBlockTxs=5000", $"--Node:MaxUploadReadings={Math.Max(o.Washers, 50_000)}"], o.Senders + 2,
                async (app, client, admin, stopping) => await RunAsync(app.Services, client, admin, o, json, progress, stopping).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, ThingLedgerClient client, Account admin, Options o, bool json, Action<string> progress, CancellationToken ct)
    {
        var node = services.GetRequiredService<LedgerNode>();
        var org = Execution.Modules.Identity.IdentityModule.ReadMember(node.Store, admin.Address)?.Org
            ?? throw new InvalidOperationException($"{admin.Address} is no member of an organisation");
        var schema = BuiltInSchemas.Washer2;
        var washers = Enumerable.Range(0, o.Washers).Select(_ => KeyPair.Generate()).ToArray();
        var owners = Enumerable.Range(0, o.Washers).Select(_ => new Account(KeyPair.Generate(), admin.ChainId, 1)).ToArray();
        progress($"registering {schema.Ref}, a {Token} token and {o.Washers} washing machines, each owned by its own household");
        await client.SubmitAllCommittedAsync([admin.Sign(Operations.RegisterSchema(schema)), admin.Sign(Operations.CreateToken(Token, "Benchmark points", 0, Roles.Admin, 0))],
            "registering the schema and the token", cancellationToken: ct).ConfigureAwait(false);
        var setup = new List<Transaction>();
        for (var i = 0; i < o.Washers; i++)
        {
            setup.Add(admin.Sign(Operations.RegisterDevice(washers[i], admin.ChainId, org, "WashPro-9", $"BENCH-{i}", owners[i].Address)));
            setup.Add(admin.Sign(Operations.Mint(Token, owners[i].Address, 10_000)));
        }
        await BenchSubmit.InLanesAsync(client, setup, o.Senders, o.Batch, ct).ConfigureAwait(false);

        progress($"proposing and countersigning {o.Washers} detergent agreements");
        var until = CliArguments.Now + (365 * 86_400_000UL);
        var proposals = owners.Select((owner, i) => owner.Sign(Operations.ProposeAgreement(new AgreementTerms("detergent", AgreementKind.Supply, org, [washers[i].Address], "DET-2L",
            [], 300, 1, 2, 30 * 86_400_000UL, 3_000, Token, 7 * 86_400_000UL, 0, string.Empty, string.Empty, schema.Id, schema.Version, "detergent_pct", 150, 500, until)))).ToList();
        await BenchSubmit.InLanesAsync(client, proposals, o.Senders, o.Batch, ct).ConfigureAwait(false);
        var countersigns = owners.Select(owner => admin.Sign(Operations.CountersignAgreement(CommerceIds.Agreement(owner.Address, org, "detergent")))).ToList();
        await BenchSubmit.InLanesAsync(client, countersigns, o.Senders, o.Batch, ct).ConfigureAwait(false);

        // One reading per machine, 12.0 % left: every summary crosses the 15 % threshold.
        var now = CliArguments.Now;
        var signed = washers.Select(w => new DeviceSigner(w, admin.ChainId)).Select(d => d.Sign(d.Measure(schema, now, 120, 1, 620))).ToList();

        // The block that anchors them, built as the node's anchorer builds it, executed on the committed state (median of 3, nothing committed).
        var store = node.Store;
        var (anchorTxs, summaries, execMs, orders) = store.Consistent(head =>
        {
            var first = (TelemetryModule.ReadCustodian(store, node.ValidatorKey.Address)?.LastIngest ?? 0) + 1;
            var readings = signed.Select((r, i) => new StoredReading(first + (ulong)i, r.Reading, r.Signature, null)).ToList();
            var payloads = AnchorBuilder.Build(readings, (id, version) => id == schema.Id && version == schema.Version ? schema : null);
            var nonce = StateMachine.LastNonce(store, node.ValidatorKey.Address);
            var txs = payloads.Select(p => Operations.Anchor(p).Sign(admin.ChainId, node.ValidatorKey, ++nonce, ulong.MaxValue, Gas.AnchorTxLimit)).ToArray();
            var machine = services.GetRequiredService<StateMachine>();
            var (median, executed) = BenchBlocks.Median(() => machine.ExecuteBlock(store, head.Height + 1, Math.Max(head.Header.Timestamp + 1, CliArguments.Now), txs));
            var placed = executed.Receipts.Sum(x => x.Events.Count(e => e.Module == CommerceNames.ModuleName && e.Name == "order-placed"));
            return (txs.Length, payloads.Sum(p => p.Summaries.Length), median, placed);
        });
        if (orders != o.Washers)
        {
            throw new InvalidOperationException($"the anchors placed {orders} orders, not {o.Washers}");
        }

        // The same readings for real: uploaded, anchored by the node, every order committed.
        progress($"uploading {o.Washers} readings and waiting for the node to anchor them and the orders to commit");
        var clock = Stopwatch.StartNew();
        foreach (var chunk in signed.Chunk(50_000))
        {
            var response = await client.UploadReadingsAsync(chunk, [], onlyRejected: true, cancellationToken: ct).ConfigureAwait(false);
            if (response.Rejected > 0)
            {
                throw new InvalidOperationException($"{response.Rejected} readings were refused");
            }
        }
        var committed = 0;
        while (committed < o.Washers && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(200, ct).ConfigureAwait(false);
            committed = store.Consistent(_ => owners.Count(owner => CommerceModule.ReadAgreement(store, CommerceIds.Agreement(owner.Address, org, "detergent"))?.Orders == 1));
        }
        if (committed < o.Washers)
        {
            throw new InvalidOperationException($"after two minutes {committed} of {o.Washers} orders were committed");
        }
        Report(o, anchorTxs, summaries, execMs, orders, committed, clock.Elapsed.TotalMilliseconds, json);
        return 0;
    }

    private static void Report(Options o, int anchors, int summaries, double execMs, int orders, int committed, double commitMs, bool json)
    {
        var c = CultureInfo.InvariantCulture;
        var machine = MachineInfo.Describe();
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["orders"] = orders.ToString(c),
                ["anchor_exec_ms"] = execMs.ToString("F1", c),
                ["anchors"] = anchors.ToString(c),
                ["summaries"] = summaries.ToString(c),
                ["committed_orders"] = committed.ToString(c),
                ["upload_to_orders_ms"] = commitMs.ToString("F0", c),
                ["washers"] = o.Washers.ToString(c),
                ["machine"] = machine,
            }, CliJsonContext.Default.DictionaryStringString));
            return;
        }
        Output.Fields("bench commerce",
            ("orders placed in one block", $"{orders} by {anchors} anchor txs carrying {summaries} summaries"),
            ("that block's execution", $"{execMs.ToString("F1", c)} ms (median of {BenchBlocks.TimedRuns} after a warm-up, on the node's state machine)"),
            ("uploaded for real", $"{committed} orders committed {commitMs.ToString("F0", c)} ms after the upload began"),
            ("machine", machine));
    }
}
