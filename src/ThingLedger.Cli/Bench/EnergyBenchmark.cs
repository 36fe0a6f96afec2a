using System.CommandLine;
using System.Globalization;
using ThingLedger.Client;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Energy;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Telemetry;
using ThingLedger.Storage;

namespace ThingLedger.Cli.Bench;

/// <summary>
/// `bench energy`: a feeder of meters, each with its own household, placing two orders each for
/// one interval (half the meters sell, half buy; one seller in ten also commits its battery), all
/// committed for real on the node. Then the interval's clearing, as one block, and — on top of it,
/// after anchors of every meter's readings for the interval and the one after — its settlement,
/// as another block, are executed on the node's own state machine at the times they would run and
/// timed (median of five after a warm-up); nothing of them is committed.
/// </summary>
internal static class EnergyBenchmark
{
    private const string Token = "BVOLT";
    private const string MarketId = "bench-feeder";
    private const ulong RatingW = 8_000;
    private const ulong BatteryWh = 10_000;

    private sealed record Options(int Meters, int Senders, int Batch, int Seed);

    public static Command Create(Func<string[], int, Func<Microsoft.AspNetCore.Builder.WebApplication, ThingLedgerClient, Account, CancellationToken, Task<int>>, CancellationToken, Task<int>> withNode,
        Func<bool, Action<string>> progressFor)
    {
        var meters = new Option<int>("--meters") { Description = "Meters in the market; each places two orders in the interval", DefaultValueFactory = _ => 10_000 };
        var senders = new Option<int>("--senders") { Description = "Concurrent submitters while setting up", DefaultValueFactory = _ => 4 };
        var batch = new Option<int>("--batch") { Description = "Txs per HTTP submission while setting up", DefaultValueFactory = _ => 1_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the orders' quantities and prices", DefaultValueFactory = _ => 7 };
        var command = new Command("energy", "A feeder of meters, two orders each for one interval: the execution time of the block that clears the interval, " +
                "and of the block that settles it against the meters' anchored readings. Runs its own node on a temporary data directory.\n" +
                "Example: thingledger bench energy --meters 10000")
            .With(meters, senders, batch, seed);
        command.SetAction((parse, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var o = new Options(parse.GetValue(meters), parse.GetValue(senders), parse.GetValue(batch), parse.GetValue(seed));
            if (o.Meters < 2 || o.Senders < 1 || o.Batch < 1)
            {
                throw new ArgumentException("--meters must be at least 2, --senders and --batch positive");
            }
            var json = parse.GetValue(CommonOptions.Json);
            var progress = progressFor(json);
            return await withNode(["--Node:BlockIntervalMs=100", "--Node:MaxBlockTxs=5000"], o.Senders + 2,
                async (app, client, admin, stopping) => await RunAsync(app.Services, client, admin, o, json, progress, stopping).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>Committed state with a block's changes over it: what the next block of a run sees.</summary>
    private sealed class Overlay(IStateReader below, IEnumerable<StateChange> changes) : IStateReader
    {
        private readonly Dictionary<string, byte[]?> _changes = changes.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);

        public byte[]? Get(string key) => _changes.TryGetValue(key, out var value) ? value : below.Get(key);
    }

    private static async Task<int> RunAsync(IServiceProvider services, ThingLedgerClient client, Account admin, Options o, bool json, Action<string> progress, CancellationToken ct)
    {
        var node = services.GetRequiredService<LedgerNode>();
        var org = Execution.Modules.Identity.IdentityModule.ReadMember(node.Store, admin.Address)?.Org
            ?? throw new InvalidOperationException($"{admin.Address} is no member of an organisation");
        var schema = BuiltInSchemas.SmartMeter2;
        var meters = Enumerable.Range(0, o.Meters).Select(_ => KeyPair.Generate()).ToArray();
        var owners = Enumerable.Range(0, o.Meters).Select(_ => new Account(KeyPair.Generate(), admin.ChainId, 1)).ToArray();
        // An interval whose gate is at least five minutes away, so every order is in before it.
        var terms = new MarketTerms(MarketId, "Benchmark feeder", schema.Id, schema.Version, 15, 5, 10, 500, 20, Token, 15_000, 5_000, (ulong)o.Meters * 300, 60);
        var start = ((CliArguments.Now + terms.GateMs + 300_000) / terms.IntervalMs + 1) * terms.IntervalMs;
        progress($"registering {schema.Ref}, a {Token} token, market {MarketId} and {o.Meters} meters, each owned by its own household");
        await client.SubmitAllCommittedAsync([admin.Sign(Operations.RegisterSchema(schema)), admin.Sign(Operations.CreateToken(Token, "Benchmark volts", 0, Roles.Admin, 0)),
            admin.Sign(Operations.CreateEnergyMarket(terms)), admin.Sign(Operations.Mint(Token, admin.Address, 1_000_000_000))],
            "registering the schema, the token and the market", cancellationToken: ct).ConfigureAwait(false);
        var setup = new List<Transaction>();
        for (var i = 0; i < o.Meters; i++)
        {
            Dictionary<string, string> metadata = new() { [EnergyModule.RatingKey] = Text(RatingW) };
            if (i % 2 == 0)
            {
                metadata[EnergyModule.BatteryKey] = Text(BatteryWh);
            }
            setup.Add(admin.Sign(Operations.RegisterDevice(meters[i], admin.ChainId, org, "Meter-B", $"BENCH-M-{i}", owners[i].Address, metadata)));
            setup.Add(admin.Sign(Operations.Mint(Token, owners[i].Address, 100_000)));
        }
        await BenchSubmit.InLanesAsync(client, setup, o.Senders, o.Batch, ct).ConfigureAwait(false);
        await BenchSubmit.InLanesAsync(client, [admin.Sign(Operations.RequestFlexibility(MarketId, start, (ulong)o.Meters * 20, 100))], 1, 1, ct).ConfigureAwait(false);
        progress($"joining {o.Meters} meters and placing {2 * o.Meters} orders for {Output.Time(start)}");
        await BenchSubmit.InLanesAsync(client, [.. owners.Select((owner, i) => owner.Sign(Operations.JoinEnergyMarket(MarketId, meters[i].Address, 0, 0, 50_000)))],
            o.Senders, o.Batch, ct).ConfigureAwait(false);
        var random = new Random(o.Seed);
        var orders = new List<Transaction>();
        var commitments = 0;
        for (var i = 0; i < o.Meters; i++)
        {
            for (var k = 0; k < 2; k++)
            {
                var wh = (ulong)random.Next(100, 900);
                orders.Add(i % 2 == 0
                    ? owners[i].Sign(Operations.EnergyOffer(meters[i].Address, start, wh, (ulong)random.Next(10, 300)))
                    : owners[i].Sign(Operations.EnergyBid(meters[i].Address, start, wh, (ulong)random.Next(150, 500))));
            }
            if (i % 20 == 0)
            {
                orders.Add(owners[i].Sign(Operations.EnergyCommit(meters[i].Address, start, 500, (ulong)random.Next(20, 100))));
                commitments++;
            }
        }
        await BenchSubmit.InLanesAsync(client, orders, o.Senders, o.Batch, ct).ConfigureAwait(false);
        var store = node.Store;
        var machine = services.GetRequiredService<StateMachine>();
        var placed = store.Consistent(_ => EnergyModule.OrderCount(store, MarketId, start));
        if (placed != 2 * o.Meters)
        {
            throw new InvalidOperationException($"{placed} orders are on chain, not {2 * o.Meters}");
        }

        progress("clearing the interval and settling it (each block executed, not committed, median of five)");
        var (clearMs, settleMs, clearing, anchors, settled) = store.Consistent(head =>
        {
            var nonce = StateMachine.LastNonce(store, admin.Address);
            var clear = Operations.ClearInterval(MarketId, start).Sign(admin.ChainId, admin.Key, nonce + 1, ulong.MaxValue, Gas.BlockLimit);
            var (clearMs, cleared) = BenchBlocks.Median(() => machine.ExecuteBlock(store, head.Height + 1, start - terms.GateMs + 1, [clear]));
            var afterClear = new Overlay(store, cleared.Changes);

            // Every meter's reading in the interval (sellers export, buyers import, batteries charge) and in the next one, anchored by the node's key.
            var readings = new List<StoredReading>();
            var first = (TelemetryModule.ReadCustodian(store, node.ValidatorKey.Address)?.LastIngest ?? 0) + 1;
            for (var i = 0; i < o.Meters; i++)
            {
                var device = new DeviceSigner(meters[i], admin.ChainId);
                var inside = i % 2 == 0 ? device.Measure(schema, start + 60_000, 0, 1_200, 600) : device.Measure(schema, start + 60_000, 1_000, 0, 0);
                var after = device.Measure(schema, start + terms.IntervalMs + 60_000, 0, 0, i % 2 == 0 ? 650 : 0);
                readings.Add(new StoredReading(first + (ulong)readings.Count, inside, [], null));
                readings.Add(new StoredReading(first + (ulong)readings.Count, after, [], null));
            }
            var payloads = AnchorBuilder.Build(readings, (id, version) => id == schema.Id && version == schema.Version ? schema : null);
            var validatorNonce = StateMachine.LastNonce(store, node.ValidatorKey.Address);
            var anchorTxs = payloads.Select(p => Operations.Anchor(p).Sign(admin.ChainId, node.ValidatorKey, ++validatorNonce, ulong.MaxValue, Gas.AnchorTxLimit)).ToArray();
            var late = start + terms.IntervalMs + (16 * 60_000);
            var anchored = machine.ExecuteBlock(afterClear, head.Height + 2, late, anchorTxs);
            if (anchored.Receipts.FirstOrDefault(r => !r.Succeeded) is { } refused)
            {
                throw new InvalidOperationException($"an anchor failed: {refused.ErrorCode}");
            }
            var afterAnchors = new Overlay(afterClear, anchored.Changes);
            var settle = Operations.SettleInterval(MarketId, start).Sign(admin.ChainId, admin.Key, nonce + 2, ulong.MaxValue, Gas.BlockLimit);
            var (settleMs, settledBlock) = BenchBlocks.Median(() => machine.ExecuteBlock(afterAnchors, head.Height + 3, late + 1, [settle]));
            var record = Execution.Payload.TryDecode(settledBlock.Changes.Single(c => c.Key == EnergyModule.SettlementKey(MarketId, start)).Value!, SettlementRecord.Read, out var s) ? s : null;
            return (clearMs, settleMs, EnergyModule.ReadClearing(afterClear, MarketId, start)!, anchorTxs.Length, record!);
        });
        if (settled.Meters != o.Meters)
        {
            throw new InvalidOperationException($"the settlement covered {settled.Meters} meters, not {o.Meters}");
        }
        Report(o, (int)placed, commitments, clearMs, settleMs, clearing, anchors, json);
        return 0;
    }

    private static void Report(Options o, int orders, int commitments, double clearMs, double settleMs, ClearingRecord clearing, int anchors, bool json)
    {
        var c = CultureInfo.InvariantCulture;
        var machine = MachineInfo.Describe();
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["orders"] = orders.ToString(c),
                ["clear_exec_ms"] = clearMs.ToString("F1", c),
                ["settle_exec_ms"] = settleMs.ToString("F1", c),
                ["meters"] = o.Meters.ToString(c),
                ["commitments"] = commitments.ToString(c),
                ["price"] = clearing.Price.ToString(c),
                ["traded_wh"] = clearing.TradedWh.ToString(c),
                ["excess_wh"] = clearing.ExcessWh.ToString(c),
                ["anchors"] = anchors.ToString(c),
                ["machine"] = machine,
            }, CliJsonContext.Default.DictionaryStringString));
            return;
        }
        Output.Fields("bench energy",
            ("orders", $"{orders} offers and bids of {o.Meters} meters, {commitments} battery commitments, in one interval"),
            ("clearing block", $"{clearMs.ToString("F1", c)} ms (median of {BenchBlocks.TimedRuns} after a warm-up): {clearing.TradedWh} Wh at {clearing.Price} per kWh, {clearing.ExcessWh} Wh over the feeder's capacity"),
            ("settlement block", $"{settleMs.ToString("F1", c)} ms, after {anchors} anchor txs of the meters' readings"),
            ("machine", machine));
    }

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
