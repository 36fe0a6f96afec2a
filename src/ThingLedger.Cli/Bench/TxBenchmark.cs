using System.Diagnostics;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;

namespace ThingLedger.Cli.Bench;

/// <summary>Settings of `bench tx`.</summary>
internal sealed record TxBenchmarkOptions(int Txs, int Accounts, int BatchSize, int Senders)
{
    /// <summary>The token a run on a fresh node creates.</summary>
    public const string DefaultSymbol = "BENCH";

    /// <summary>The token the run creates (a fresh one per run on a long-lived network).</summary>
    public string Symbol { get; init; } = DefaultSymbol;
}

/// <summary>What `bench tx` measured.</summary>
internal sealed record TxBenchmarkResult(
    int Committed, int Failed, int Refused, double Seconds, double TxPerSecond, double LatencyP50Ms, double LatencyP99Ms,
    double RawVerifyPerSecond, ulong Blocks, string Machine)
{
    /// <summary>Submit → final on the receiving peer (a quorum certificate), when run against a network.</summary>
    public (double P50Ms, double P99Ms)? Finality { get; init; }

    public double RatioToVerify => TxPerSecond / RawVerifyPerSecond;
}

/// <summary>
/// Drives a node with token transfers from many accounts. Every tx is signed before the clock
/// starts; senders own disjoint accounts so each account's nonces arrive in order. Each batch
/// is submitted with wait=true, so its latency is submit → durably committed.
/// </summary>
internal sealed class TxBenchmark
{
    private readonly ThingLedgerClient _client;
    private readonly IReadOnlyList<ThingLedgerClient> _peers;
    private readonly Account _admin;
    private readonly TxBenchmarkOptions _options;
    private readonly ITxWorkload _workload;

    /// <param name="workload">What each tx does (token transfers unless told otherwise).</param>
    /// <param name="peers">
    /// When given (a consortium), sender s submits to peer s mod n, and time to finality is
    /// measured too; set-up goes through <paramref name="client"/>.
    /// </param>
    public TxBenchmark(ThingLedgerClient client, Account admin, TxBenchmarkOptions options, IReadOnlyList<ThingLedgerClient>? peers = null, ITxWorkload? workload = null)
    {
        _client = client;
        _workload = workload ?? new TokenTransfers(options.Symbol);
        _peers = peers ?? [client];
        _admin = admin;
        _options = options;
    }

    public async Task<TxBenchmarkResult> RunAsync(double rawVerifyPerSecond, Action<string> progress, CancellationToken cancellationToken)
    {
        var accounts = Enumerable.Range(0, _options.Accounts).Select(_ => new Account(KeyPair.Generate(), _admin.ChainId, 1)).ToArray();
        progress($"funding {accounts.Length} accounts");
        await _workload.SetupAsync(_client, _admin, accounts, cancellationToken).ConfigureAwait(false);

        progress($"signing {_options.Txs} {_workload.What}");
        var plans = Plan(accounts, cancellationToken);
        var startHeight = (await _client.GetHeadAsync(cancellationToken).ConfigureAwait(false)).Height;

        progress($"sending with {_options.Senders} senders, {_options.BatchSize} txs per batch");
        var latencies = new List<(double Ms, int Count)>();
        var committed = 0;
        var failed = 0;
        var refused = 0;
        var clock = Stopwatch.StartNew();
        var network = _peers.Count > 1;
        using var stopMonitor = new CancellationTokenSource();
        var monitor = network ? new FinalityMonitor(_peers, clock) : null;
        var monitoring = monitor?.RunAsync(stopMonitor.Token) ?? Task.CompletedTask;
        var batchesSent = new List<(int Peer, TimeSpan Started, ulong Height, int Count)>();
        var senders = plans.Select((batches, s) => Task.Run(async () =>
        {
            var peer = s % _peers.Count;
            foreach (var batch in batches)
            {
                var started = clock.Elapsed;
                var response = await _peers[peer].SubmitEncodedAsync(batch, wait: true, timeoutMs: 60_000, cancellationToken).ConfigureAwait(false);
                var ms = (clock.Elapsed - started).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add((ms, batch.Count));
                    batchesSent.Add((peer, started, response.Results.Max(r => r.Height ?? 0), batch.Count));
                    foreach (var r in response.Results)
                    {
                        switch (r.Status)
                        {
                            case TxState.Committed: committed++; break;
                            case TxState.Failed: failed++; break;
                            default: refused++; break;
                        }
                    }
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(senders).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        (double, double)? finality = null;
        if (monitor is not null)
        {
            progress("waiting for the last blocks to be final");
            await monitor.WaitForAsync(batchesSent.Max(b => b.Height), TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            await stopMonitor.CancelAsync().ConfigureAwait(false);
            await monitoring.ConfigureAwait(false);
            var samples = batchesSent.Select(b => ((monitor.FinalAt(b.Peer, b.Height) - b.Started).TotalMilliseconds, b.Count)).ToList();
            finality = (Percentile(samples, 0.50), Percentile(samples, 0.99));
        }
        var endHeight = (await _client.GetHeadAsync(cancellationToken).ConfigureAwait(false)).Height;
        foreach (var account in accounts)
        {
            account.Key.Dispose();
        }
        return new TxBenchmarkResult(committed, failed, refused, seconds, committed / seconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), rawVerifyPerSecond, endHeight - startHeight, MachineInfo.Describe())
        {
            Finality = finality,
        };
    }

    /// <summary>Per sender, its batches of hex-encoded transfers, round by round over its accounts.</summary>
    private List<List<string>>[] Plan(Account[] accounts, CancellationToken cancellationToken)
    {
        var senders = new List<List<string>>[_options.Senders];
        var perSender = _options.Txs / _options.Senders;
        for (var s = 0; s < senders.Length; s++)
        {
            var mine = accounts.Where((_, i) => i % _options.Senders == s).ToArray();
            var txs = new List<string>(perSender);
            for (var n = 0; n < perSender; n++)
            {
                if (n % 1_000 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                var from = mine[n % mine.Length];
                var to = accounts[(n * 7 + s + 1) % accounts.Length].Address;
                txs.Add(Convert.ToHexStringLower(from.Sign(_workload.Transfer(to)).Encode()));
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

/// <summary>What the txs of a `bench tx`-style run do: set-up (funding the accounts) and one transfer of 1 unit.</summary>
internal interface ITxWorkload
{
    /// <summary>The txs, in a word, for progress lines ("transfers", "contract calls").</summary>
    string What { get; }

    Task SetupAsync(ThingLedgerClient client, Account admin, Account[] accounts, CancellationToken cancellationToken);

    Operation Transfer(Address to);
}

/// <summary>Native token transfers: a token created for the run, 1,000,000 minted to each account.</summary>
internal sealed class TokenTransfers(string symbol) : ITxWorkload
{
    public string What => "transfers";

    public async Task SetupAsync(ThingLedgerClient client, Account admin, Account[] accounts, CancellationToken cancellationToken)
    {
        var setup = new List<Transaction> { admin.Sign(Operations.CreateToken(symbol, "Benchmark token", 0, Roles.Admin, 0)) };
        setup.AddRange(accounts.Select(a => admin.Sign(Operations.Mint(symbol, a.Address, 1_000_000))));
        await client.SubmitAllCommittedAsync(setup, "benchmark setup", cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public Operation Transfer(Address to) => Operations.Transfer(symbol, to, 1);
}

/// <summary>
/// Polls each peer's final height every 10 ms and remembers when each height was first seen
/// final there, so a batch's time to finality is (first time its block was final) − (submit).
/// </summary>
internal sealed class FinalityMonitor(IReadOnlyList<ThingLedgerClient> peers, Stopwatch clock)
{
    private readonly List<(ulong Height, TimeSpan At)>[] _seen = [.. peers.Select(_ => new List<(ulong, TimeSpan)>())];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            for (var i = 0; i < peers.Count; i++)
            {
                try
                {
                    var final = (await peers[i].GetFinalityAsync(cancellationToken).ConfigureAwait(false)).FinalizedHeight;
                    lock (_seen)
                    {
                        if (_seen[i].Count == 0 || _seen[i][^1].Height < final)
                        {
                            _seen[i].Add((final, clock.Elapsed));
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or ThingLedgerException or OperationCanceledException)
                {
                }
            }
            try
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>When <paramref name="height"/> was first seen final on the peer (the end of the run if never).</summary>
    public TimeSpan FinalAt(int peer, ulong height)
    {
        lock (_seen)
        {
            foreach (var (h, at) in _seen[peer])
            {
                if (h >= height)
                {
                    return at;
                }
            }
            return clock.Elapsed;
        }
    }

    public async Task WaitForAsync(ulong height, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = clock.Elapsed + limit;
        while (clock.Elapsed < deadline)
        {
            lock (_seen)
            {
                if (_seen.All(s => s.Count > 0 && s[^1].Height >= height))
                {
                    return;
                }
            }
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }
}
