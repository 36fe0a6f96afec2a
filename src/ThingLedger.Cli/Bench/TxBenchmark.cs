using System.Diagnostics;
using ThingLedger.Client;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;

namespace ThingLedger.Cli.Bench;

/// <summary>Settings of `bench tx`.</summary>
internal sealed record TxBenchmarkOptions(int Txs, int Accounts, int BatchSize, int Senders);

/// <summary>What `bench tx` measured.</summary>
internal sealed record TxBenchmarkResult(
    int Committed, int Failed, int Refused, double Seconds, double TxPerSecond, double LatencyP50Ms, double LatencyP99Ms,
    double RawVerifyPerSecond, ulong Blocks, string Machine)
{
    public double RatioToVerify => TxPerSecond / RawVerifyPerSecond;
}

/// <summary>
/// Drives a node with token transfers from many accounts. Every tx is signed before the clock
/// starts; senders own disjoint accounts so each account's nonces arrive in order. Each batch
/// is submitted with wait=true, so its latency is submit → durably committed.
/// </summary>
internal sealed class TxBenchmark
{
    private const string Symbol = "BENCH";
    private readonly ThingLedgerClient _client;
    private readonly Account _admin;
    private readonly TxBenchmarkOptions _options;

    public TxBenchmark(ThingLedgerClient client, Account admin, TxBenchmarkOptions options)
    {
        _client = client;
        _admin = admin;
        _options = options;
    }

    public async Task<TxBenchmarkResult> RunAsync(double rawVerifyPerSecond, Action<string> progress, CancellationToken cancellationToken)
    {
        var accounts = Enumerable.Range(0, _options.Accounts).Select(_ => new Account(KeyPair.Generate(), _admin.ChainId, 1)).ToArray();
        progress($"funding {accounts.Length} accounts");
        await FundAsync(accounts, cancellationToken).ConfigureAwait(false);

        progress($"signing {_options.Txs} transfers");
        var plans = Plan(accounts);
        var startHeight = (await _client.GetHeadAsync(cancellationToken).ConfigureAwait(false)).Height;

        progress($"sending with {_options.Senders} senders, {_options.BatchSize} txs per batch");
        var latencies = new List<(double Ms, int Count)>();
        var committed = 0;
        var failed = 0;
        var refused = 0;
        var clock = Stopwatch.StartNew();
        var senders = plans.Select(batches => Task.Run(async () =>
        {
            foreach (var batch in batches)
            {
                var started = clock.Elapsed;
                var response = await _client.SubmitEncodedAsync(batch, wait: true, timeoutMs: 60_000, cancellationToken).ConfigureAwait(false);
                var ms = (clock.Elapsed - started).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add((ms, batch.Count));
                    foreach (var r in response.Results)
                    {
                        switch (r.Status)
                        {
                            case "committed": committed++; break;
                            case "failed": failed++; break;
                            default: refused++; break;
                        }
                    }
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(senders).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var endHeight = (await _client.GetHeadAsync(cancellationToken).ConfigureAwait(false)).Height;
        foreach (var account in accounts)
        {
            account.Key.Dispose();
        }
        return new TxBenchmarkResult(committed, failed, refused, seconds, committed / seconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), rawVerifyPerSecond, endHeight - startHeight, MachineInfo.Describe());
    }

    private async Task FundAsync(Account[] accounts, CancellationToken cancellationToken)
    {
        var setup = new List<Transaction> { _admin.Sign(Operations.CreateToken(Symbol, "Benchmark token", 0, Roles.Admin, 0)) };
        setup.AddRange(accounts.Select(a => _admin.Sign(Operations.Mint(Symbol, a.Address, 1_000_000))));
        await _client.SubmitAllCommittedAsync(setup, "benchmark setup", cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Per sender, its batches of hex-encoded transfers, round by round over its accounts.</summary>
    private List<List<string>>[] Plan(Account[] accounts)
    {
        var senders = new List<List<string>>[_options.Senders];
        var perSender = _options.Txs / _options.Senders;
        for (var s = 0; s < senders.Length; s++)
        {
            var mine = accounts.Where((_, i) => i % _options.Senders == s).ToArray();
            var txs = new List<string>(perSender);
            for (var n = 0; n < perSender; n++)
            {
                var from = mine[n % mine.Length];
                var to = accounts[(n * 7 + s + 1) % accounts.Length].Address;
                txs.Add(Convert.ToHexStringLower(from.Sign(Operations.Transfer(Symbol, to, 1)).Encode()));
            }
            senders[s] = [.. txs.Chunk(_options.BatchSize).Select(c => c.ToList())];
        }
        return senders;
    }

    private static double Percentile(List<(double Ms, int Count)> samples, double p)
    {
        if (samples.Count == 0)
        {
            return 0;
        }
        var ordered = samples.OrderBy(s => s.Ms).ToList();
        var total = ordered.Sum(s => (long)s.Count);
        var target = (long)Math.Ceiling(total * p);
        long seen = 0;
        foreach (var (ms, count) in ordered)
        {
            seen += count;
            if (seen >= target)
            {
                return ms;
            }
        }
        return ordered[^1].Ms;
    }
}
