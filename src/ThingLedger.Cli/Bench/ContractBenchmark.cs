using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ThingLedger.Client;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Contracts;
using ThingLedger.Node.Modules.Contracts;

namespace ThingLedger.Cli.Bench;

/// <summary>
/// `bench contract`: token transfers done by a WebAssembly contract, driven like `bench tx`, beside
/// native token transfers and the raw verify rate on the same node in the same run, and the time
/// of one call of the cached module (a fresh instance per call, as every call runs).
/// </summary>
internal static class ContractBenchmark
{
    public const string Contract = "bench-token";

    /// <summary>
    /// The benchmark's token contract: balances in contract storage keyed by address; mint (open to
    /// anyone: a benchmark contract), transfer (reverts when short, emits "transferred") and balance_of.
    /// </summary>
    private const string Wat = """
        (module
          (import "thingledger_v1" "input_read" (func $input_read (param i32)))
          (import "thingledger_v1" "output_write" (func $output_write (param i32 i32)))
          (import "thingledger_v1" "register_read" (func $register_read (param i32)))
          (import "thingledger_v1" "storage_read" (func $storage_read (param i32 i32) (result i32)))
          (import "thingledger_v1" "storage_write" (func $storage_write (param i32 i32 i32 i32)))
          (import "thingledger_v1" "signer" (func $signer (param i32)))
          (import "thingledger_v1" "emit" (func $emit (param i32 i32 i32 i32)))
          (import "thingledger_v1" "revert" (func $revert (param i32 i32 i32 i32)))
          (memory (export "memory") 1)
          (data (i32.const 160) "transferred")
          (data (i32.const 176) "LOW")
          (data (i32.const 192) "balance too low")
          (func $bswap (param $x i64) (result i64) (local $r i64) (local $i i32)
            (loop $l
              (local.set $r (i64.or (i64.shl (local.get $r) (i64.const 8)) (i64.and (local.get $x) (i64.const 255))))
              (local.set $x (i64.shr_u (local.get $x) (i64.const 8)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (i32.const 8))))
            (local.get $r))
          (func $get (param $key i32) (result i64)
            (if (result i64) (i32.ge_s (call $storage_read (local.get $key) (i32.const 20)) (i32.const 0))
              (then (call $register_read (i32.const 64)) (i64.load (i32.const 64)))
              (else (i64.const 0))))
          (func $put (param $key i32) (param $v i64)
            (i64.store (i32.const 64) (local.get $v))
            (call $storage_write (local.get $key) (i32.const 20) (i32.const 64) (i32.const 8)))
          (func (export "mint")
            (call $input_read (i32.const 0))
            (call $put (i32.const 0) (i64.add (call $get (i32.const 0)) (call $bswap (i64.load (i32.const 20))))))
          (func (export "transfer") (local $amount i64) (local $have i64)
            (call $input_read (i32.const 0))
            (local.set $amount (call $bswap (i64.load (i32.const 20))))
            (call $signer (i32.const 32))
            (local.set $have (call $get (i32.const 32)))
            (if (i64.lt_u (local.get $have) (local.get $amount))
              (then (call $revert (i32.const 176) (i32.const 3) (i32.const 192) (i32.const 15))))
            (call $put (i32.const 32) (i64.sub (local.get $have) (local.get $amount)))
            (call $put (i32.const 0) (i64.add (call $get (i32.const 0)) (local.get $amount)))
            (memory.copy (i32.const 96) (i32.const 32) (i32.const 20))
            (memory.copy (i32.const 116) (i32.const 0) (i32.const 28))
            (call $emit (i32.const 160) (i32.const 11) (i32.const 96) (i32.const 48)))
          (func (export "balance_of")
            (call $input_read (i32.const 0))
            (i64.store (i32.const 64) (call $bswap (call $get (i32.const 0))))
            (call $output_write (i32.const 64) (i32.const 8)))
        )
        """;

    private static ContractParam P(string name, ContractType type) => new(name, type);

    public static DeployPayload Proposal() => new(Contract, "1.0.0", Wasmtime.Module.ConvertText(Wat),
        new ContractMetadata("The benchmark's token contract",
        [
            new("mint", false, [P("to", ContractType.Address), P("amount", ContractType.U64)], []),
            new("transfer", false, [P("to", ContractType.Address), P("amount", ContractType.U64)], []),
            new("balance_of", true, [P("holder", ContractType.Address)], [P("balance", ContractType.U64)]),
        ],
        [new("transferred", [P("from", ContractType.Address), P("to", ContractType.Address), P("amount", ContractType.U64)])]),
        [], CallPolicy.Anyone, []);

    public static byte[] Args(Address to, ulong amount)
    {
        var args = new byte[Address.Size + 8];
        to.CopyTo(args);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(args.AsSpan(Address.Size), amount);
        return args;
    }

    /// <summary>Transfers of 1 through the contract; set-up deploys it and mints 1,000,000 to each account.</summary>
    private sealed class ContractTransfers : ITxWorkload
    {
        public string What => "contract calls";

        public async Task SetupAsync(ThingLedgerClient client, Account admin, Account[] accounts, CancellationToken cancellationToken)
        {
            await client.SubmitAllCommittedAsync([admin.Sign(Operations.DeployContract(Proposal()))], "deploying the contract", cancellationToken: cancellationToken).ConfigureAwait(false);
            await client.SubmitAllCommittedAsync([.. accounts.Select(a => admin.Sign(Operations.CallContract(Contract, "mint", Args(a.Address, 1_000_000))))],
                "contract benchmark setup", cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        public Operation Transfer(Address to) => Operations.CallContract(Contract, "transfer", Args(to, 1));
    }

    public static Command Create(Func<string[], int, Func<Microsoft.AspNetCore.Builder.WebApplication, ThingLedgerClient, Account, CancellationToken, Task<int>>, CancellationToken, Task<int>> withNode,
        Func<bool, Action<string>> progressFor)
    {
        var calls = new Option<int>("--calls") { Description = "Contract calls (and as many native transfers) to commit", DefaultValueFactory = _ => 30_000 };
        var accounts = new Option<int>("--accounts") { Description = "Distinct signing accounts", DefaultValueFactory = _ => 2_000 };
        var batch = new Option<int>("--batch") { Description = "Txs per HTTP submission", DefaultValueFactory = _ => 1_000 };
        var senders = new Option<int>("--senders") { Description = "Concurrent submitters", DefaultValueFactory = _ => 4 };
        var command = new Command("contract", "Committed contract calls per second (token transfers done by a WebAssembly contract) beside native token transfers " +
                "and the raw ECDSA P-256 verify rate, on one node in the same run, and the time of one call of the cached module. Runs its own node on a temporary data directory.\n" +
                "Example: thingledger bench contract --calls 30000")
            .With(calls, accounts, batch, senders);
        command.SetAction((parse, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var options = new TxBenchmarkOptions(parse.GetValue(calls), parse.GetValue(accounts), parse.GetValue(batch), parse.GetValue(senders));
            if (options.Txs < options.Senders || options.Accounts < options.Senders || options.BatchSize < 1 || options.Senders < 1)
            {
                throw new ArgumentException("--calls and --accounts must be at least --senders, and --batch and --senders positive");
            }
            var json = parse.GetValue(CommonOptions.Json);
            var progress = progressFor(json);
            progress("measuring the raw ECDSA P-256 verify rate on all cores (3 s)");
            var rawVerify = VerifyRate.Measure(TimeSpan.FromSeconds(3));
            return await withNode(["--Node:BlockIntervalMs=100", "--Node:MaxBlockTxs=5000"], options.Senders + 2, async (app, client, admin, stopping) =>
            {
                progress("native token transfers");
                var native = await new TxBenchmark(client, admin, options).RunAsync(rawVerify, progress, stopping).ConfigureAwait(false);
                progress("the same through the contract");
                var contract = await new TxBenchmark(client, admin, options, workload: new ContractTransfers()).RunAsync(rawVerify, progress, stopping).ConfigureAwait(false);
                var (coldMs, coldP99Ms) = ColdCall(app.Services.GetRequiredService<ContractsQueries>());
                Report(native, contract, coldMs, coldP99Ms, options, json);
                return native.Failed + native.Refused + contract.Failed + contract.Refused == 0 ? 0 : CliRunner.Refused;
            }, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>The median and p99 of 1,000 read-only calls of the cached module, each in a fresh store and instance.</summary>
    private static (double Median, double P99) ColdCall(ContractsQueries queries)
    {
        var args = Args(default, 0)[..Address.Size];
        var times = new double[1_000];
        for (var i = 0; i < times.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            var (result, _) = queries.Query(Contract, "balance_of", args, default, 1_000_000);
            times[i] = clock.Elapsed.TotalMilliseconds;
            if (!result.Outcome.Succeeded)
            {
                throw new InvalidOperationException($"the benchmark's query failed: {result.Outcome.ErrorCode}");
            }
        }
        Array.Sort(times);
        return (times[times.Length / 2], times[(int)(times.Length * 0.99)]);
    }

    private static void Report(TxBenchmarkResult native, TxBenchmarkResult contract, double coldMs, double coldP99Ms, TxBenchmarkOptions o, bool json)
    {
        var c = CultureInfo.InvariantCulture;
        var ratio = contract.TxPerSecond / native.TxPerSecond;
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["calls/s"] = contract.TxPerSecond.ToString("F0", c),
                ["tx/s"] = native.TxPerSecond.ToString("F0", c),
                ["raw_verify/s"] = native.RawVerifyPerSecond.ToString("F0", c),
                ["calls_to_tx"] = ratio.ToString("F3", c),
                ["cold_call_ms"] = coldMs.ToString("F3", c),
                ["cold_call_p99_ms"] = coldP99Ms.ToString("F3", c),
                ["calls_latency_p50_ms"] = contract.LatencyP50Ms.ToString("F0", c),
                ["calls_latency_p99_ms"] = contract.LatencyP99Ms.ToString("F0", c),
                ["committed"] = contract.Committed.ToString(c),
                ["failed"] = (contract.Failed + native.Failed).ToString(c),
                ["refused"] = (contract.Refused + native.Refused).ToString(c),
                ["machine"] = native.Machine,
            }, CliJsonContext.Default.DictionaryStringString));
            return;
        }
        Output.Fields("bench contract",
            ("contract calls", $"{contract.TxPerSecond.ToString("F0", c)} calls/s ({contract.Committed} committed, p50 {contract.LatencyP50Ms.ToString("F0", c)} ms, p99 {contract.LatencyP99Ms.ToString("F0", c)} ms)"),
            ("native transfers", $"{native.TxPerSecond.ToString("F0", c)} tx/s ({native.Committed} committed)"),
            ("calls / native", ratio.ToString("P1", c)),
            ("raw P-256 verify, all cores", $"{native.RawVerifyPerSecond.ToString("F0", c)} verify/s"),
            ("one call, cached module", $"{coldMs.ToString("F3", c)} ms median, {coldP99Ms.ToString("F3", c)} ms p99"),
            ("failed / refused", $"{contract.Failed + native.Failed} / {contract.Refused + native.Refused}"),
            ("run", $"{o.Txs} of each from {o.Accounts} accounts, {o.Senders} senders × {o.BatchSize} per batch"),
            ("machine", native.Machine));
    }
}
