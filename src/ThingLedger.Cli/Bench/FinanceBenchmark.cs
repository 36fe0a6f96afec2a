using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Finance;
using ThingLedger.Storage;

namespace ThingLedger.Cli.Bench;

/// <summary>
/// `bench finance`: receivables issued, acknowledged, offered and financed (four txs each),
/// committed per second; then a clearing of many obligations among many participants netted in
/// one tx, its block's execution timed on the node's own state machine and its commit measured.
/// </summary>
internal static class FinanceBenchmark
{
    private const string Currency = "BCNY";
    private const string ClearingId = "bench";

    private sealed record Options(int Receivables, int Obligations, int Participants, int Senders, int Batch);

    public static Command Create(Func<string[], int, Func<Microsoft.AspNetCore.Builder.WebApplication, ThingLedgerClient, Account, CancellationToken, Task<int>>, CancellationToken, Task<int>> withNode,
        Func<bool, Action<string>> progressFor)
    {
        var receivables = new Option<int>("--receivables") { Description = "Receivables to issue, acknowledge and finance (four txs each)", DefaultValueFactory = _ => 10_000 };
        var obligations = new Option<int>("--obligations") { Description = "Obligations recorded in the clearing before it is netted", DefaultValueFactory = _ => 100_000 };
        var participants = new Option<int>("--participants") { Description = "Participants of the clearing", DefaultValueFactory = _ => 1_000 };
        var senders = new Option<int>("--senders") { Description = "Concurrent submitters", DefaultValueFactory = _ => 4 };
        var batch = new Option<int>("--batch") { Description = "Txs per HTTP submission", DefaultValueFactory = _ => 1_000 };
        var command = new Command("finance", "Receivables issued, acknowledged and financed, committed tx/s; then netting of a clearing's obligations in one block: " +
                "the block's execution time and its commit. Runs its own node on a temporary data directory.\n" +
                "Example: thingledger bench finance --receivables 10000 --obligations 100000 --participants 1000")
            .With(receivables, obligations, participants, senders, batch);
        command.SetAction((parse, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var o = new Options(parse.GetValue(receivables), parse.GetValue(obligations), parse.GetValue(participants), parse.GetValue(senders), parse.GetValue(batch));
            if (o.Receivables < 1 || o.Participants is < 2 or > FinanceLimits.MaxParticipants || o.Obligations < 1 || o.Senders < 1 || o.Batch < 1)
            {
                throw new ArgumentException($"--receivables, --obligations, --senders and --batch must be positive, --participants 2..{FinanceLimits.MaxParticipants}");
            }
            var json = parse.GetValue(CommonOptions.Json);
            var progress = progressFor(json);
            return await withNode(["--Node:BlockIntervalMs=100", "--Node:MaxBlockTxs=5000"], o.Senders + 2, async (app, client, admin, stopping) =>
                await RunAsync(app.Services, client, admin, o, json, progress, stopping).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, ThingLedgerClient client, Account admin, Options o, bool json, Action<string> progress, CancellationToken ct)
    {
        var random = new Random(42);
        Account Open() => new(KeyPair.Generate(), admin.ChainId, 1);
        var suppliers = Enumerable.Range(0, Math.Min(o.Receivables, 1_000)).Select(_ => Open()).ToArray();
        var buyers = Enumerable.Range(0, Math.Min(o.Receivables, 100)).Select(_ => Open()).ToArray();
        var lenders = Enumerable.Range(0, Math.Min(o.Receivables, 10)).Select(_ => Open()).ToArray();
        var members = Enumerable.Range(0, o.Participants).Select(_ => Open()).ToArray();
        progress($"creating {Currency} and funding {lenders.Length} lenders and {members.Length} clearing participants");
        await client.SubmitAllCommittedAsync([admin.Sign(Operations.CreateToken(Currency, "Benchmark yuan", 2, Roles.Admin, 0))], "creating the currency", cancellationToken: ct).ConfigureAwait(false);
        await client.SubmitAllCommittedAsync([.. lenders.Concat(members).Select(a => admin.Sign(Operations.Mint(Currency, a.Address, 1_000_000_000_000)))],
            "funding the accounts", cancellationToken: ct).ConfigureAwait(false);

        // Four waves, each after the one before committed: issue, acknowledge, offer, take.
        progress($"signing {4 * o.Receivables} receivable txs");
        var due = CliArguments.Now + 86_400_000;
        var ids = new Hash[o.Receivables];
        var waves = new List<Transaction>[] { [], [], [], [] };
        // Signed wave by wave, so that each signer's nonces follow the order the waves are sent in.
        for (var w = 0; w < waves.Length; w++)
        {
            for (var i = 0; i < o.Receivables; i++)
            {
                var (supplier, buyer, lender) = (suppliers[i % suppliers.Length], buyers[i % buyers.Length], lenders[i % lenders.Length]);
                var invoice = Hash.Sha256(BitConverter.GetBytes(i));
                ids[i] = FinanceIds.Receivable(supplier.Address, buyer.Address, invoice);
                waves[w].Add(w switch
                {
                    0 => supplier.Sign(Operations.IssueReceivable(buyer.Address, Currency, 100_000, due, invoice)),
                    1 => buyer.Sign(Operations.AcknowledgeReceivable(ids[i])),
                    2 => supplier.Sign(Operations.SellReceivable(ids[i], 0, lender.Address, 97_000, due)),
                    _ => lender.Sign(Operations.TakeReceivable(ids[i], 0)),
                });
            }
        }
        var clock = Stopwatch.StartNew();
        for (var w = 0; w < waves.Length; w++)
        {
            progress($"receivables: {new[] { "issuing", "acknowledging", "offering to lenders", "financing" }[w]} {o.Receivables}");
            await SubmitAsync(client, waves[w], o, ct).ConfigureAwait(false);
        }
        var receivableSeconds = clock.Elapsed.TotalSeconds;
        var txPerSecond = 4 * o.Receivables / receivableSeconds;
        var sample = await client.GetReceivableAsync(ids[^1], ct).ConfigureAwait(false);
        if (sample is not { Parts: [{ Financed: true }] })
        {
            throw new InvalidOperationException("the last receivable was not financed");
        }

        // The clearing: its cut-off leaves time for the obligations at the rate just measured, with room to spare.
        var cutoff = CliArguments.Now + 5_000 + (ulong)(2_000 * o.Obligations / txPerSecond);
        await client.SubmitAllCommittedAsync([admin.Sign(Operations.OpenClearing(ClearingId, Currency, cutoff))], "opening the clearing", cancellationToken: ct).ConfigureAwait(false);
        var obligations = new List<Transaction>(o.Obligations);
        progress($"signing {o.Obligations} obligations among {o.Participants} participants");
        for (var i = 0; i < o.Obligations; i++)
        {
            // Every participant takes part: the first ones pair each member with the next.
            var debtor = i < o.Participants ? i : random.Next(o.Participants);
            var creditor = i < o.Participants ? (i + 1) % o.Participants : (debtor + 1 + random.Next(o.Participants - 1)) % o.Participants;
            obligations.Add(members[debtor].Sign(Operations.Oblige(ClearingId, members[creditor].Address, (UInt128)random.Next(1, 1_000_000))));
        }
        progress($"recording {o.Obligations} obligations");
        await SubmitAsync(client, obligations, o, ct).ConfigureAwait(false);
        if (CliArguments.Now >= cutoff)
        {
            throw new InvalidOperationException("the obligations took longer than the cut-off allowed; run with fewer --obligations");
        }
        progress($"waiting for the cut-off ({(cutoff - CliArguments.Now) / 1000} s)");
        var store = services.GetRequiredService<LedgerStore>();
        // Blocks are cut only when there are txs, so wait on the clock the next block's time will follow.
        await Task.Delay(TimeSpan.FromMilliseconds(cutoff - CliArguments.Now + 50), ct).ConfigureAwait(false);

        // The plan as a participant computes it from the API, then the net tx's block executed on the node's state (three times, median), then for real.
        clock.Restart();
        var view = (await client.GetClearingAsync(ClearingId, ct).ConfigureAwait(false))!;
        var (plan, digest) = view.PlanHere();
        var planMs = clock.Elapsed.TotalMilliseconds;
        var netter = new Account(members[0].Key, admin.ChainId, members[0].NextNonce) { GasLimit = FinanceNetting.GasLimit(view.Participants) };
        var net = netter.Sign(Operations.Net(ClearingId, digest));
        var machine = services.GetRequiredService<StateMachine>();
        var runs = new double[3];
        for (var r = 0; r < runs.Length; r++)
        {
            runs[r] = store.Consistent(head =>
            {
                var timing = Stopwatch.StartNew();
                var executed = machine.ExecuteBlock(store, head.Height + 1, Math.Max(head.Header.Timestamp + 1, CliArguments.Now), [net]);
                var ms = timing.Elapsed.TotalMilliseconds;
                return executed.Receipts[0].Succeeded ? ms : throw new InvalidOperationException($"netting failed: {executed.Receipts[0].ErrorCode}");
            });
        }
        Array.Sort(runs);
        clock.Restart();
        var committed = await client.SubmitAsync(net, wait: true, timeoutMs: 60_000, ct).ConfigureAwait(false);
        var commitMs = clock.Elapsed.TotalMilliseconds;
        if (committed.Status != TxState.Committed)
        {
            throw new InvalidOperationException($"netting was not committed: {committed.Status.Text()} {committed.Code}");
        }
        Report(o, txPerSecond, receivableSeconds, runs[1], commitMs, planMs, plan.Count, json);
        return 0;
    }

    private static Task SubmitAsync(ThingLedgerClient client, List<Transaction> txs, Options o, CancellationToken ct) =>
        BenchSubmit.InLanesAsync(client, txs, o.Senders, o.Batch, ct);

    private static void Report(Options o, double txPerSecond, double seconds, double nettingMs, double commitMs, double planMs, int transfers, bool json)
    {
        var c = CultureInfo.InvariantCulture;
        var machine = MachineInfo.Describe();
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["tx/s"] = txPerSecond.ToString("F0", c),
                ["receivables"] = o.Receivables.ToString(c),
                ["netting_ms"] = nettingMs.ToString("F1", c),
                ["netting_commit_ms"] = commitMs.ToString("F0", c),
                ["plan_ms"] = planMs.ToString("F1", c),
                ["obligations"] = o.Obligations.ToString(c),
                ["participants"] = o.Participants.ToString(c),
                ["transfers"] = transfers.ToString(c),
                ["machine"] = machine,
            }, CliJsonContext.Default.DictionaryStringString));
            return;
        }
        Output.Fields("bench finance",
            ("receivables", $"{txPerSecond.ToString("F0", c)} tx/s committed ({o.Receivables} issued, acknowledged, offered and financed: {4 * o.Receivables} txs in {seconds.ToString("F1", c)} s)"),
            ("netting, block execution", $"{nettingMs.ToString("F1", c)} ms (median of 3) for {o.Obligations} obligations among {o.Participants} participants → {transfers} transfers"),
            ("netting, submit to commit", $"{commitMs.ToString("F0", c)} ms"),
            ("plan computed from the API", $"{planMs.ToString("F1", c)} ms"),
            ("machine", machine));
    }
}
