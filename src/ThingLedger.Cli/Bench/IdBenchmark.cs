using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using ThingLedger.Client;
using ThingLedger.Client.Credentials;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Credentials;
using ThingLedger.Node.Chain;

namespace ThingLedger.Cli.Bench;

/// <summary>
/// `bench id`: an accredited issuer with a revocation list of a million entries on a node of its
/// own. Presentations (each a credential of its own holder, disclosing two claims, bound to its own
/// nonce) are verified offline against one trust bundle on all cores: verify/s beside the raw
/// verify rate of the same run (a presentation is two signature checks). The status list is then
/// updated — the status-set block executed on the node's state machine (median of five), and a tx
/// submitted until committed — and fetched whole (its encodedList over HTTP) and as the page a
/// verifier's bundle proves.
/// </summary>
internal static class IdBenchmark
{
    private const string Type = "BenchResidentCredential";
    private const string List = "rev";

    private sealed record Options(int Presentations, int Holders, uint Entries, int Updates);

    public static Command Create(Func<string[], int, Func<Microsoft.AspNetCore.Builder.WebApplication, ThingLedgerClient, Account, CancellationToken, Task<int>>, CancellationToken, Task<int>> withNode,
        Func<bool, Action<string>> progressFor)
    {
        var presentations = new Option<int>("--presentations") { Description = "Presentations to verify offline", DefaultValueFactory = _ => 50_000 };
        var holders = new Option<int>("--holders") { Description = "Distinct holders, each with a credential of its own", DefaultValueFactory = _ => 1_000 };
        var entries = new Option<uint>("--entries") { Description = "Entries of the issuer's revocation list (a multiple of 131072)", DefaultValueFactory = _ => 1_048_576 };
        var updates = new Option<int>("--updates") { Description = "Entries the timed status update sets", DefaultValueFactory = _ => 100 };
        var command = new Command("id", "Presentations verified offline per second (SD-JWT VC with key binding, against a proven trust bundle) beside the raw verify rate, " +
                "and a status list of a million entries updated (block execution; submit to commit) and fetched. Runs its own node on a temporary data directory.\n" +
                "Example: thingledger bench id --presentations 50000")
            .With(presentations, holders, entries, updates);
        command.SetAction((parse, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var o = new Options(parse.GetValue(presentations), parse.GetValue(holders), parse.GetValue(entries), parse.GetValue(updates));
            if (o.Presentations < 1 || o.Holders < 1 || o.Holders > o.Entries || !CredentialRules.IsListSize(o.Entries) || o.Updates is < 1 or > CredentialRules.MaxStatusChanges)
            {
                throw new ArgumentException($"--presentations and --holders positive (holders at most --entries), --entries a multiple of 131072 up to 16777216, --updates 1..{CredentialRules.MaxStatusChanges}");
            }
            var json = parse.GetValue(CommonOptions.Json);
            var progress = progressFor(json);
            return await withNode(["--Node:BlockIntervalMs=10"], 4,
                async (app, client, admin, stopping) => await RunAsync(app.Services, client, admin, o, json, progress, stopping).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, ThingLedgerClient client, Account admin, Options o, bool json, Action<string> progress, CancellationToken ct)
    {
        var node = services.GetRequiredService<LedgerNode>();
        using var issuerKey = KeyPair.Generate();
        var issuer = new Account(issuerKey, admin.ChainId, 1);
        SchemaClaim[] claims = [new("given_name", true), new("age_over_18", true), new("id_number", true), new("resident_of", false)];
        progress($"an issuer DID, the {Type} schema and its accreditation, a revocation list of {o.Entries:N0} entries");
        await client.SubmitAllCommittedAsync([issuer.Sign(Operations.CreateDid([new DidMethod("key-1", issuerKey.PublicKey, DidPurposes.All)])),
            admin.Sign(Operations.RegisterCredentialSchema(Type, "Benchmark resident", claims)),
            issuer.Sign(Operations.CreateStatusList(issuerKey.Address, List, StatusPurpose.Revocation, o.Entries))], "creating the issuer", cancellationToken: ct).ConfigureAwait(false);
        await client.SubmitAllCommittedAsync([admin.Sign(Operations.ProposeAccreditation(AccreditAction.Accredit, issuerKey.Address, Type))], "accrediting it", cancellationToken: ct).ConfigureAwait(false);
        await Task.Delay(1_100, ct).ConfigureAwait(false);

        progress($"issuing {o.Holders:N0} credentials and building {o.Presentations:N0} presentations");
        var schema = new SchemaPayload(Type, "Benchmark resident", claims);
        var url = CredentialRules.StatusListUrl(issuerKey.Address, List);
        var holders = Enumerable.Range(0, o.Holders).Select(_ => KeyPair.Generate()).ToArray();
        var indices = new HashSet<uint>();
        while (indices.Count < o.Holders)
        {
            indices.Add((uint)RandomNumberGenerator.GetInt32((int)o.Entries));
        }
        var now = DateTimeOffset.UtcNow;
        var credentials = holders.Zip(indices).Select(h => CredentialIssuer.Issue(new CredentialRequest(Type, issuerKey.Address, "key-1", h.First.PublicKey,
            new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal)
            {
                ["given_name"] = Value("Mei"),
                ["age_over_18"] = Value("true"),
                ["id_number"] = Value("330102199004011234"),
                ["resident_of"] = Value("Lishui"),
            }, now.AddMinutes(-1), now.AddYears(1), [new StatusEntry(url, StatusPurpose.Revocation, h.Second)]), schema, issuerKey, now)).ToArray();
        var presentations = new string[o.Presentations];
        var nonces = new string[o.Presentations];
        Parallel.For(0, o.Presentations, i =>
        {
            nonces[i] = Convert.ToHexStringLower(BitConverter.GetBytes(i));
            presentations[i] = CredentialPresenter.Present(credentials[i % o.Holders], ["age_over_18"], holders[i % o.Holders], nonces[i], "bench-hotel", now);
        });

        // One bundle proves every page the credentials' entries are in.
        var pages = indices.GroupBy(i => i / CredentialRules.PageEntries).Select(g => new StatusEntry(url, StatusPurpose.Revocation, g.First())).ToList();
        var bundles = new List<TrustState>();
        foreach (var chunk in pages.Chunk(8))
        {
            var bundle = await client.GetTrustBundleAsync(new TrustRequest(issuerKey.Address, "key-1", Type, chunk), ct).ConfigureAwait(false);
            bundles.Add(TrustState.TryVerify(bundle, node.Genesis, out var problem) ?? throw new InvalidOperationException($"the trust bundle does not verify: {problem}"));
        }
        var trust = TrustState.Union(bundles);

        progress("measuring the raw ECDSA P-256 verify rate on all cores (3 s)");
        var rawVerify = VerifyRate.Measure(TimeSpan.FromSeconds(3));
        progress($"verifying {o.Presentations:N0} presentations offline on {Environment.ProcessorCount} cores");
        var asked = new PresentationRequest("", "bench-hotel", ["age_over_18", "resident_of"]);
        _ = PresentationVerifier.Verify(presentations[0], asked with { Nonce = nonces[0] }, trust, now);
        var failed = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, o.Presentations, i =>
        {
            if (!PresentationVerifier.Verify(presentations[i], asked with { Nonce = nonces[i] }, trust, now).Ok)
            {
                Interlocked.Increment(ref failed);
            }
        });
        var verifyPerSecond = o.Presentations / clock.Elapsed.TotalSeconds;
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} presentations did not verify");
        }

        progress($"updating {o.Updates} entries of the list and fetching it");
        var store = node.Store;
        var machine = services.GetRequiredService<StateMachine>();
        var revoke = indices.Take(o.Updates).ToArray();
        var execMs = store.Consistent(head =>
        {
            var tx = Operations.SetCredentialStatus(issuerKey.Address, List, revoke, true).Sign(admin.ChainId, issuerKey, StateMachine.LastNonce(store, issuerKey.Address) + 1);
            return BenchBlocks.Median(() => machine.ExecuteBlock(store, head.Height + 1, head.Header.Timestamp + 1, [tx])).MedianMs;
        });
        issuer.Rewind(StateMachine.LastNonce(store, issuerKey.Address) + 1);
        var commitTimes = new List<double>();
        foreach (var batch in revoke.Chunk(Math.Max(1, revoke.Length / BenchBlocks.TimedRuns)).Take(BenchBlocks.TimedRuns))
        {
            var timing = Stopwatch.StartNew();
            var result = await client.SubmitAsync(issuer.Sign(Operations.SetCredentialStatus(issuerKey.Address, List, batch, true)), wait: true, cancellationToken: ct).ConfigureAwait(false);
            commitTimes.Add(timing.Elapsed.TotalMilliseconds);
            if (result.Status != Client.Contracts.TxState.Committed)
            {
                throw new InvalidOperationException($"the status update failed: {result.Code}");
            }
        }
        var fetchTimes = new List<double>();
        Client.Contracts.StatusListView? fetched = null;
        for (var r = 0; r <= BenchBlocks.TimedRuns; r++)
        {
            var timing = Stopwatch.StartNew();
            fetched = await client.GetStatusListAsync(url, encoded: true, ct).ConfigureAwait(false);
            fetchTimes.Add(timing.Elapsed.TotalMilliseconds);
        }
        var pageTimes = new List<double>();
        for (var r = 0; r <= BenchBlocks.TimedRuns; r++)
        {
            var timing = Stopwatch.StartNew();
            _ = await client.GetTrustBundleAsync(new TrustRequest(issuerKey.Address, "key-1", Type, [new StatusEntry(url, StatusPurpose.Revocation, revoke[0])]), ct).ConfigureAwait(false);
            pageTimes.Add(timing.Elapsed.TotalMilliseconds);
        }
        if (fetched is null || fetched.Set < (uint)revoke.Length)
        {
            throw new InvalidOperationException($"the list shows {fetched?.Set} entries set, not {revoke.Length}");
        }
        Report(o, verifyPerSecond, rawVerify, execMs, Median(commitTimes), Median(fetchTimes[1..]), Median(pageTimes[1..]), fetched.EncodedList!.Length, json);
        return 0;
    }

    private static System.Text.Json.JsonElement Value(string text) => SdJwt.TryValue(text, false, out var v) ? v : throw new ArgumentException(text);

    private static double Median(List<double> times)
    {
        var sorted = times.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static void Report(Options o, double verify, double raw, double execMs, double commitMs, double fetchMs, double pageMs, int encodedChars, bool json)
    {
        var c = CultureInfo.InvariantCulture;
        var machine = MachineInfo.Describe();
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["verify/s"] = verify.ToString("F0", c),
                ["raw_verify/s"] = raw.ToString("F0", c),
                ["status_update_ms"] = commitMs.ToString("F1", c),
                ["status_exec_ms"] = execMs.ToString("F2", c),
                ["status_fetch_ms"] = fetchMs.ToString("F1", c),
                ["status_page_fetch_ms"] = pageMs.ToString("F1", c),
                ["status_entries"] = o.Entries.ToString(c),
                ["status_updated_entries"] = o.Updates.ToString(c),
                ["encoded_list_chars"] = encodedChars.ToString(c),
                ["presentations"] = o.Presentations.ToString(c),
                ["holders"] = o.Holders.ToString(c),
                ["machine"] = machine,
            }, CliJsonContext.Default.DictionaryStringString));
            return;
        }
        Output.Fields("bench id",
            ("presentations verified offline", $"{verify.ToString("N0", c)}/s ({o.Presentations:N0} of {o.Holders:N0} holders; raw ECDSA verify {raw.ToString("N0", c)}/s, two per presentation)"),
            ("status update", $"{commitMs.ToString("F1", c)} ms submitted to committed (median of {BenchBlocks.TimedRuns}; the block's execution {execMs.ToString("F2", c)} ms): {o.Updates} entries of {o.Entries:N0}"),
            ("status fetch", $"{fetchMs.ToString("F1", c)} ms for the whole list ({encodedChars:N0} characters of encodedList), {pageMs.ToString("F1", c)} ms for a verifier's trust bundle"),
            ("machine", machine));
    }
}
