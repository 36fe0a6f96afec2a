using ThingLedger.Core.Verification;
using ThingLedger.Node;

namespace ThingLedger.Cli.Tests;

public sealed class CommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_node_whose_port_is_taken_says_so_in_one_line_and_names_the_way_around()
    {
        var data = Path.Combine(_directory, "port");
        Assert.Equal(0, (await CliProcess.RunAsync(Limit, "init", "--data", data)).Code);
        var port = CliProcess.FreePort();
        using var first = await NodeProcess.StartAsync(data, port);
        var (code, output, error) = await CliProcess.RunAsync(Limit, "node", "run", "--data", data, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, code);
        Assert.Equal($"error: 127.0.0.1:{port} is already in use (is the demo or another node running?): stop it, or run this node on another port: " +
            $"thingledger node run --data {data} --port {port + 1}, and give other commands --node http://127.0.0.1:{port + 1}", error.Trim());
        Assert.Equal(string.Empty, output.Trim());
    }

    /// <summary>
    /// The admin key is also used by other traffic: a mint it sent is still waiting for its block
    /// when the command reads the key's (committed) next nonce, so the command's first tx reuses it.
    /// </summary>
    [Fact]
    public async Task A_command_whose_nonce_other_traffic_took_signs_again_with_the_next_one()
    {
        var data = Path.Combine(_directory, "shared-key");
        Assert.Equal(0, (await CliProcess.RunAsync(Limit, "init", "--data", data)).Code);
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort(), "--Node:BlockIntervalMs=4000");
        using var client = new Client.ThingLedgerClient(node.Url);
        var genesis = DataDirectory.LoadGenesis(data);
        var admin = await Client.Account.OpenAsync(client, DevChain.Keys(data).Load("voltmotors-admin"), genesis.ChainId);
        Assert.Equal(Client.Contracts.TxState.Committed, (await client.SubmitAsync(admin.Sign(Client.Operations.CreateToken("PTS", "Points", 0, Execution.Roles.Admin, 0)), wait: true)).Status);
        var other = admin.Sign(Client.Operations.Mint("PTS", admin.Address, 7));
        Assert.Equal(Client.Contracts.TxState.Accepted, (await client.SubmitAsync(other)).Status);

        var (code, output, error) = await CliProcess.RunAsync(Limit, "token", "mint", "PTS", admin.Address.ToString(), "5", "--as", "voltmotors-admin", "--data", data, "--node", node.Url);
        Assert.True(code == 0, error + output);
        Assert.Contains($"note: NONCE_REUSED: nonce {other.Nonce} of {admin.Address} was taken by other traffic; signing again with nonce {other.Nonce + 1} (attempt 2 of 5)", error, StringComparison.Ordinal);
        Assert.Contains("committed in block", output, StringComparison.Ordinal);
        Assert.Equal("12", (await client.GetBalanceAsync("PTS", admin.Address)).Balance);

        // The blocks those txs went into, newest first, with ISO-8601 times.
        var blocks = await CliProcess.RunAsync(Limit, "block", "list", "--limit", "2", "--node", node.Url);
        Assert.True(blocks.Code == 0, blocks.Err + blocks.Out);
        var head = await client.GetHeadAsync();
        Assert.Contains(head.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), blocks.Out, StringComparison.Ordinal);
        Assert.Matches(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z", blocks.Out);
        Assert.Contains($"next: thingledger block list --before {head.Height - 1}", blocks.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_runs_a_node_with_live_traffic_rewards_and_carbon_credits_and_stops_cleanly()
    {
        var port = CliProcess.FreePort();
        var data = Path.Combine(_directory, "demo");
        var (code, output, error) = await CliProcess.RunAsync(Limit, "demo", "--data", data, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "6");
        Assert.True(code == 0, error + output);
        Assert.Contains($"http://127.0.0.1:{port}/swagger", output, StringComparison.Ordinal);
        Assert.Contains("tx/s", output, StringComparison.Ordinal);
        Assert.Contains("readings/s", output, StringComparison.Ordinal);
        Assert.Contains("stopped at height", output, StringComparison.Ordinal);
        Assert.Contains("carbon credits EVLC", output, StringComparison.Ordinal);
        var first = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");
        Assert.Contains("deployed contracts ride-share and collectibles", first, StringComparison.Ordinal);
        Assert.Contains("confirmed by both, 20 VOLT paid to owner-1", first, StringComparison.Ordinal);
        Assert.Contains("energy market feeder-7 created: 12 meters at", first, StringComparison.Ordinal);
        Assert.Contains("the homes' energy managers placed", first, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "ledger.db")));

        // Run again on the same folder, it resumes: same tokens, same 13 devices and 25-device fleet.
        var resumed = await CliProcess.RunAsync(Limit, "demo", "--data", data, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "2");
        Assert.True(resumed.Code == 0, resumed.Err + resumed.Out);
        var said = System.Text.RegularExpressions.Regex.Replace(resumed.Out, @"\s+", " ");
        Assert.Contains("tokens VOLT and KWH exist already: resuming this chain", said, StringComparison.Ordinal);
        Assert.Contains("its 13 devices (6 EVs, 4 smart meters, 3 washing machines) are registered already", said, StringComparison.Ordinal);
        Assert.Contains("resuming the simulated fleet: 25 of its 25 devices were registered before, 0 now", said, StringComparison.Ordinal);
        Assert.Contains("contracts ride-share and collectibles are deployed already", said, StringComparison.Ordinal);
        Assert.Contains("provenance: the rice and the medicine pack are on chain", said, StringComparison.Ordinal);
        Assert.Contains("energy market feeder-7 resumed: 12 meters at", said, StringComparison.Ordinal);

        // The demo's credits, through the carbon commands against a node on the same data.
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort());
        using (var devices = new Client.ThingLedgerClient(node.Url))
        {
            // 13 of its own, 25 in the fleet, the rice cooperative's humidity logger, and the neighbourhood's 12 meters.
            Assert.Equal(51, (await devices.ListDevicesAsync(limit: 200)).Items.Count);
        }
        string[] common = ["--data", data, "--node", node.Url];
        var registry = await CliProcess.RunAsync(Limit, ["carbon", "registry", "--json", .. common]);
        Assert.True(registry.Code == 0, registry.Err + registry.Out);
        var root = System.Text.Json.JsonDocument.Parse(registry.Out).RootElement;
        var credit = root.GetProperty("credits").EnumerateArray().Single();
        Assert.StartsWith("CEVLC", credit.GetProperty("symbol").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, root.GetProperty("issuance").GetArrayLength());
        Assert.Equal(1, root.GetProperty("retirements").GetArrayLength());
        Assert.True(root.GetProperty("holders").GetArrayLength() >= 1);
        var claim = root.GetProperty("issuance")[0];
        string vehicle = claim.GetProperty("vehicle").GetString()!, period = claim.GetProperty("period").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var symbol = credit.GetProperty("symbol").GetString()!;

        var twice = await CliProcess.RunAsync(Limit, ["carbon", "claim", "EVLC", vehicle, period, "--as", "voltmotors-admin", .. common]);
        Assert.Equal(1, twice.Code);
        Assert.Contains("CARBON_ALREADY_CLAIMED", twice.Err + twice.Out, StringComparison.Ordinal);
        var notVerifier = await CliProcess.RunAsync(Limit, ["carbon", "verify", "EVLC", vehicle, period, "--as", "voltmotors-admin", .. common]);
        Assert.Equal(1, notVerifier.Code);
        Assert.Contains("CARBON_NOT_VERIFIER", notVerifier.Err + notVerifier.Out, StringComparison.Ordinal);
        var tooMuch = await CliProcess.RunAsync(Limit, ["carbon", "retire", symbol, "1000000000000", "--beneficiary", "Nobody", "--as", "owner-2", .. common]);
        Assert.Equal(1, tooMuch.Code);
        Assert.Contains("RETIRE_EXCEEDS_BALANCE", tooMuch.Err + tooMuch.Out, StringComparison.Ordinal);
        var retired = await CliProcess.RunAsync(Limit, ["carbon", "retire", symbol, "1", "--beneficiary", "Owner two", "--reason", "test", "--as", "owner-2", .. common]);
        Assert.True(retired.Code == 0, retired.Err + retired.Out);
        var claims = await CliProcess.RunAsync(Limit, ["carbon", "claims", "EVLC", "--vehicle", vehicle, .. common]);
        Assert.True(claims.Code == 0, claims.Err + claims.Out);
        Assert.Contains("issued", claims.Out, StringComparison.Ordinal);
        Assert.Equal(2, (await CliProcess.RunAsync(Limit, ["carbon", "methodology", "--id", "EVX", "--name", "x", "--baseline", "car",
            "--grid", "eu=1", "--start", "2026-01-01", "--verifier", "gridco", "--as", "voltmotors-admin", .. common])).Code);

        // The demo's trades: owner-3 took 2,000 g at 2 and 1,000 g at 3 from owner-2's two asks (orders 1 and 2).
        var book = await CliProcess.RunAsync(Limit, ["market", "book", symbol, "VOLT", "--json", .. common]);
        Assert.True(book.Code == 0, book.Err + book.Out);
        var asks = System.Text.Json.JsonDocument.Parse(book.Out).RootElement.GetProperty("asks");
        Assert.Equal((3, 1_000), (asks[0].GetProperty("price").GetInt32(), asks[0].GetProperty("amount").GetInt32()));
        var trades = await CliProcess.RunAsync(Limit, ["market", "trades", symbol, "VOLT", "--json", .. common]);
        Assert.True(trades.Code == 0, trades.Err + trades.Out);
        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(trades.Out).RootElement.GetProperty("items").GetArrayLength());
        var zero = await CliProcess.RunAsync(Limit, ["market", "sell", symbol, "VOLT", "0", "5", "--as", "owner-2", .. common]);
        Assert.Equal(1, zero.Code);
        Assert.Contains("ORDER_INVALID", zero.Err + zero.Out, StringComparison.Ordinal);
        var self = await CliProcess.RunAsync(Limit, ["market", "buy", symbol, "VOLT", "3", "10", "--as", "owner-2", .. common]);
        Assert.Equal(1, self.Code);
        Assert.Contains("SELF_TRADE", self.Err + self.Out, StringComparison.Ordinal);
        var notOwner = await CliProcess.RunAsync(Limit, ["market", "cancel", "2", "--as", "owner-3", .. common]);
        Assert.Contains("NOT_ORDER_OWNER", notOwner.Err + notOwner.Out, StringComparison.Ordinal);
        var cancelled = await CliProcess.RunAsync(Limit, ["market", "cancel", "2", "--as", "owner-2", .. common]);
        Assert.True(cancelled.Code == 0, cancelled.Err + cancelled.Out);
        var resting = await CliProcess.RunAsync(Limit, ["market", "sell", symbol, "VOLT", "5", "10", "--as", "owner-2", .. common]);
        Assert.True(resting.Code == 0, resting.Err + resting.Out);
        Assert.Contains("order 4: 0 trade(s), 10 g left in the book", resting.Out, StringComparison.Ordinal);

        // The demo's reward programme paid for the shared day; claims are once, and nobody refers themselves.
        var programme = await CliProcess.RunAsync(Limit, ["rewards", "show", "drive-share", "--json", .. common]);
        Assert.True(programme.Code == 0, programme.Err + programme.Out);
        Assert.True(long.Parse(System.Text.Json.JsonDocument.Parse(programme.Out).RootElement.GetProperty("paid").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 300);
        var owned = await CliProcess.RunAsync(Limit, ["device", "list", "--owner", "owner-2", "--json", .. common]);
        var car = System.Text.Json.JsonDocument.Parse(owned.Out).RootElement.GetProperty("items").EnumerateArray()
            .First(d => d.GetProperty("model").GetString() == "EV-7").GetProperty("id").GetString()!;
        var again = await CliProcess.RunAsync(Limit, ["rewards", "claim-onboarding", "drive-share", car, "--as", "owner-2", .. common]);
        Assert.Contains("REWARD_ALREADY_PAID", again.Err + again.Out, StringComparison.Ordinal);
        var selfReferral = await CliProcess.RunAsync(Limit, ["rewards", "refer", "drive-share", "owner-2", "--device", car, "--as", "owner-2", .. common]);
        Assert.Contains("SELF_REFERRAL", selfReferral.Err + selfReferral.Out, StringComparison.Ordinal);
        var referred = await CliProcess.RunAsync(Limit, ["rewards", "refer", "drive-share", "owner-1", "--device", car, "--as", "owner-2", .. common]);
        Assert.True(referred.Code == 0, referred.Err + referred.Out);
    }

    [Fact]
    public async Task Bench_explorer_fills_a_chain_and_times_every_page()
    {
        var (code, output, error) = await CliProcess.RunAsync(Limit, "bench", "explorer", "--txs", "6000", "--devices", "4", "--readings-per-device", "5",
            "--requests", "2", "--json");
        Assert.True(code == 0, error + output);
        var result = System.Text.Json.JsonDocument.Parse(output).RootElement;
        Assert.True(long.Parse(result.GetProperty("txs").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 6_000);
        var pages = result.GetProperty("pages").GetString()!;
        foreach (var page in new[] { "/blocks/", "/txs?before=", "/accounts/tl", "/tokens/BENCH", "/readings/5?verify=true", "/search?q=" })
        {
            Assert.Contains(page, pages, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Demo_stops_cleanly_on_ctrl_c()
    {
        // A process started in the background by a non-interactive shell has SIGINT ignored, and its
        // children inherit that: the demo could not see Ctrl+C at all. Say so instead of timing out.
        var ignored = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        Assert.True((Convert.ToUInt64(ignored["SigIgn:".Length..].Trim(), 16) & 0b10) == 0,
            "SIGINT is ignored in the test process (the suite was started in the background by a non-interactive shell), so no child can be stopped with Ctrl+C; run it in the foreground, or from a parent that restores SIGINT");
        var port = CliProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = System.Diagnostics.Process.Start(CliProcess.StartInfo("demo", "--data", Path.Combine(_directory, "demo"), "--port", port))!;
        var output = new System.Text.StringBuilder();
        var live = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
            if (e.Data?.Contains("Ctrl+C stops the node", StringComparison.Ordinal) == true)
            {
                live.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await live.Task.WaitAsync(Limit);
            using (var interrupt = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
                await interrupt.WaitForExitAsync();
            }
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        lock (output)
        {
            Assert.True(process.ExitCode == 0, output.ToString());
            Assert.Contains("stopped", output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bench_tx_commits_every_transfer_and_reports_its_figures()
    {
        var (code, output, error) = await CliProcess.RunAsync(Limit, "bench", "tx", "--txs", "2000", "--accounts", "40", "--batch", "100", "--json");
        Assert.True(code == 0, error + output);
        var result = System.Text.Json.JsonDocument.Parse(output).RootElement;
        string Field(string name) => result.GetProperty(name).GetString()!;
        Assert.Equal(("2000", "0", "0", "4", "100"), (Field("committed"), Field("failed"), Field("refused"), Field("senders"), Field("batch")));
        Assert.True(double.Parse(Field("tx/s"), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(double.Parse(Field("raw_verify/s"), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("", Field("finality_p99_ms"));
    }

    [Fact]
    public async Task Bench_contract_commits_every_call_beside_native_transfers_and_reports_its_figures()
    {
        var (code, output, error) = await CliProcess.RunAsync(Limit, "bench", "contract", "--calls", "2000", "--accounts", "40", "--batch", "100", "--json");
        Assert.True(code == 0, error + output);
        var result = System.Text.Json.JsonDocument.Parse(output).RootElement;
        string Field(string name) => result.GetProperty(name).GetString()!;
        Assert.Equal(("2000", "0", "0"), (Field("committed"), Field("failed"), Field("refused")));
        Assert.All(new[] { "calls/s", "tx/s", "raw_verify/s", "cold_call_ms" },
            key => Assert.True(double.Parse(Field(key), System.Globalization.CultureInfo.InvariantCulture) > 0, key));
    }

    [Fact]
    public async Task Screening_eval_measures_every_fault_type_and_meets_the_targets()
    {
        var (code, output, error) = await CliProcess.RunAsync(Limit, "screening", "eval", "--devices", "18", "--days", "7", "--json");
        Assert.True(code == 0, error + output);
        var rows = System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(
            ["ODOMETER_DECREASE ev", "SPEED_IMPLAUSIBLE ev", "ENERGY_PER_KM ev", "SOC_JUMP ev", "IMPOSSIBLE_TRAVEL ev", "DUPLICATE_STREAM ev",
                "SOC_JUMP smart-meter", "EXPORT_ABOVE_RATING smart-meter", "OUTLIER smart-meter", "DUPLICATE_STREAM smart-meter"],
            rows.Select(r => $"{r.GetProperty("fault").GetString()} {r.GetProperty("schema").GetString()}"));
        Assert.All(rows, r =>
        {
            Assert.True(r.GetProperty("injected").GetInt32() > 0);
            Assert.True(r.GetProperty("recall").GetDouble() >= 0.95, r.ToString());
            Assert.True(r.GetProperty("falsePositiveRate").GetDouble() <= 0.01, r.ToString());
        });
    }

    [Fact]
    public async Task Init_creates_keys_and_genesis_and_refuses_to_overwrite()
    {
        var data = Path.Combine(_directory, "chain");
        var first = await CliProcess.RunAsync(Limit, "init", "--data", data, "--org", "acme=Acme Devices", "--json");
        Assert.Equal(0, first.Code);
        Assert.Contains("\"chainId\": \"thingledger-dev\"", first.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "keys", "acme-admin.pem")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "node.key")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "keys", "acme-admin.pem")));
        }
        var again = await CliProcess.RunAsync(Limit, "init", "--data", data);
        Assert.Equal(2, again.Code);
        Assert.Contains("already holds a chain", again.Err, StringComparison.Ordinal);

        var reversed = Path.Combine(_directory, "reversed");
        var deceptive = await CliProcess.RunAsync(Limit, "init", "--data", reversed, "--org", "acme=Acme\u202eseciveD");
        Assert.Equal(2, deceptive.Code);
        Assert.Contains("format character", deceptive.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(reversed));
    }

    [Fact]
    public async Task Verify_accepts_a_real_proof_and_names_the_broken_link_of_a_tampered_one()
    {
        var data = Path.Combine(_directory, "chain");
        Assert.Equal(0, (await CliProcess.RunAsync(Limit, "init", "--data", data)).Code);
        var port = CliProcess.FreePort();
        string proofJson;
        using (var node = await NodeProcess.StartAsync(data, port))
        {
            var state = await CliProcess.RunAsync(Limit, "state", "get", "identity/org/voltmotors", "--proof", "--data", data, "--node", node.Url,
                "--out", Path.Combine(_directory, "org.json"));
            Assert.True(state.Code == 0, state.Err + state.Out);
            Assert.Contains("verified", state.Out, StringComparison.Ordinal);
            proofJson = await File.ReadAllTextAsync(Path.Combine(_directory, "org.json"));
        }
        var ok = await CliProcess.RunAsync(Limit, "verify", Path.Combine(_directory, "org.json"), "--genesis", Path.Combine(data, "genesis.json"));
        Assert.Equal(0, ok.Code);

        // Whether it proves what the relying party needs, and booleans as booleans.
        string[] org = ["verify", Path.Combine(_directory, "org.json"), "--genesis", Path.Combine(data, "genesis.json")];
        var expected = await CliProcess.RunAsync(Limit, [.. org, "--expect-kind", "state", "--expect-key", "identity/org/voltmotors", "--json"]);
        Assert.True(expected.Code == 0, expected.Err + expected.Out);
        Assert.Contains("\"ok\": true", expected.Out, StringComparison.Ordinal);
        var otherKey = await CliProcess.RunAsync(Limit, [.. org, "--expect-key", "identity/org/gridco", "--json"]);
        Assert.Equal(1, otherKey.Code);
        Assert.Contains("\"ok\": false", otherKey.Out, StringComparison.Ordinal);
        Assert.Contains("\"link\": \"expectation\"", otherKey.Out, StringComparison.Ordinal);
        Assert.Contains("identity/org/voltmotors", otherKey.Out, StringComparison.Ordinal);
        Assert.Equal(1, (await CliProcess.RunAsync(Limit, [.. org, "--expect-kind", "tx"])).Code);
        Assert.Equal(1, (await CliProcess.RunAsync(Limit, [.. org, "--expect-device", Core.Crypto.KeyPair.Generate().Address.ToString()])).Code);
        Assert.Equal(2, (await CliProcess.RunAsync(Limit, [.. org, "--expect-kind", "receipt"])).Code);

        var document = ProofDocument.Parse(proofJson);
        document.Value = "ff" + document.Value![2..];
        var tampered = Path.Combine(_directory, "tampered.json");
        await File.WriteAllTextAsync(tampered, document.ToJson());
        var bad = await CliProcess.RunAsync(Limit, "verify", tampered, "--data", data);
        Assert.Equal(1, bad.Code);
        Assert.Contains("state-proof", bad.Out, StringComparison.Ordinal);
    }

    /// <summary>A fresh chain (init) with its node running; the options every command against it takes.</summary>
    private async Task<(string Data, NodeProcess Node, string[] Common)> StartChainAsync()
    {
        var data = Path.Combine(_directory, "chain");
        Assert.Equal(0, (await CliProcess.RunAsync(Limit, "init", "--data", data)).Code);
        var node = await NodeProcess.StartAsync(data, CliProcess.FreePort());
        return (data, node, ["--data", data, "--node", node.Url]);
    }

    [Fact]
    public async Task Device_register_proves_possession_with_the_device_key_or_a_proof_made_where_the_key_is()
    {
        var (data, node, common) = await StartChainAsync();
        using var _ = node;
        Assert.Equal(0, (await CliProcess.RunAsync(Limit, ["keys", "new", "car1", .. common])).Code);
        Assert.Equal(0, (await CliProcess.RunAsync(Limit, ["keys", "new", "car2", .. common])).Code);

        // A key in the key store signs its own proof.
        var own = await CliProcess.RunAsync(Limit, ["device", "register", "--device-key", "car1", "--model", "EV-7", "--serial", "VIN-1",
            "--owner", "voltmotors-admin", "--as", "voltmotors-admin", .. common]);
        Assert.True(own.Code == 0, own.Err + own.Out);

        // Only a public key: refused before anything is sent, unless the device's proof comes with it.
        using var car2 = DevChain.Keys(data).Load("car2");
        var hex = car2.PublicKey.ToHex();
        var bare = await CliProcess.RunAsync(Limit, ["device", "register", "--device-key", hex, "--model", "EV-7", "--serial", "VIN-2",
            "--owner", "voltmotors-admin", "--as", "voltmotors-admin", .. common]);
        Assert.Equal(2, bare.Code);
        Assert.Contains("--possession", bare.Err, StringComparison.Ordinal);
        var proof = await CliProcess.RunAsync(Limit, ["device", "prove", "--device-key", "car2", "--org", "voltmotors", "--serial", "VIN-2", .. common]);
        Assert.True(proof.Code == 0, proof.Err);
        var proven = await CliProcess.RunAsync(Limit, ["device", "register", "--device-key", hex, "--possession", proof.Out.Trim(), "--model", "EV-7",
            "--serial", "VIN-2", "--owner", "voltmotors-admin", "--as", "voltmotors-admin", .. common]);
        Assert.True(proven.Code == 0, proven.Err + proven.Out);

        // A proof for another serial is refused in execution, with its code.
        Assert.Equal(0, (await CliProcess.RunAsync(Limit, ["keys", "new", "car3", .. common])).Code);
        using var car3 = DevChain.Keys(data).Load("car3");
        var other = await CliProcess.RunAsync(Limit, ["device", "prove", "--device-key", "car3", "--org", "voltmotors", "--serial", "VIN-9", .. common]);
        var wrong = await CliProcess.RunAsync(Limit, ["device", "register", "--device-key", car3.PublicKey.ToHex(), "--possession", other.Out.Trim(),
            "--model", "EV-7", "--serial", "VIN-3", "--owner", "voltmotors-admin", "--as", "voltmotors-admin", .. common]);
        Assert.Equal(1, wrong.Code);
        Assert.Contains("DEVICE_POSSESSION_INVALID", wrong.Err + wrong.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tx_signed_with_too_little_gas_fails_out_of_gas_and_the_limit_is_an_option()
    {
        var (_, node, common) = await StartChainAsync();
        using var _ = node;
        var tight = await CliProcess.RunAsync(Limit, ["token", "create", "PTS", "--name", "Points", "--as", "voltmotors-admin", "--gas-limit", "1500", .. common]);
        Assert.Equal(1, tight.Code);
        Assert.Contains("OUT_OF_GAS", tight.Err + tight.Out, StringComparison.Ordinal);
        var zero = await CliProcess.RunAsync(Limit, ["token", "create", "PTS", "--name", "Points", "--as", "voltmotors-admin", "--gas-limit", "0", .. common]);
        Assert.Equal(2, zero.Code);
        Assert.Contains("--gas-limit", zero.Err, StringComparison.Ordinal);
        var ample = await CliProcess.RunAsync(Limit, ["token", "create", "PTS", "--name", "Points", "--as", "voltmotors-admin", .. common]);
        Assert.True(ample.Code == 0, ample.Err + ample.Out);
    }

    [Fact]
    public async Task Membership_commands_propose_enact_show_and_refuse_bad_input()
    {
        var (_, node, common) = await StartChainAsync();
        using var _ = node;
        using var admin = Core.Crypto.KeyPair.Generate();

        // The chain's one validating organisation (quorum 1) proposes: enacted at once.
        var proposed = await CliProcess.RunAsync(Limit, ["membership", "propose", "add-org", "solarco", "--name", "Solar Co",
            "--admin", admin.PublicKey.ToHex(), "--at", "+3", "--as", "voltmotors-admin", .. common]);
        Assert.True(proposed.Code == 0, proposed.Err + proposed.Out);
        var id = proposed.Out.Split("proposal id: ")[1][..64];

        var shown = await CliProcess.RunAsync(Limit, ["membership", "show", "--json", .. common]);
        Assert.Equal(0, shown.Code);
        Assert.Contains("\"status\": \"enacted\"", shown.Out, StringComparison.Ordinal);
        Assert.Contains(id, shown.Out, StringComparison.Ordinal);

        // Refusals are recorded as failed with their codes: enacted already; gridco runs no validator.
        var approve = await CliProcess.RunAsync(Limit, ["membership", "approve", id, "--as", "voltmotors-admin", .. common]);
        Assert.Equal(1, approve.Code);
        Assert.Contains("PROPOSAL_CLOSED", approve.Err + approve.Out, StringComparison.Ordinal);
        var outsider = await CliProcess.RunAsync(Limit, ["membership", "propose", "set-quorum", "1", "--as", "gridco-admin", .. common]);
        Assert.Equal(1, outsider.Code);
        Assert.Contains("UNAUTHORISED", outsider.Err + outsider.Out, StringComparison.Ordinal);
        var twice = await CliProcess.RunAsync(Limit, ["membership", "propose", "add-org", "solarco", "--name", "Again",
            "--admin", Core.Crypto.KeyPair.Generate().PublicKey.ToHex(), "--as", "voltmotors-admin", .. common]);
        Assert.Equal(1, twice.Code);
        Assert.Contains("ORG_EXISTS", twice.Err + twice.Out, StringComparison.Ordinal);

        Assert.Equal(2, (await CliProcess.RunAsync(Limit, ["membership", "approve", "not-an-id", "--as", "voltmotors-admin", .. common])).Code);
        Assert.Equal(2, (await CliProcess.RunAsync(Limit, ["membership", "propose", "set-quorum", "1", "--at", "+0", "--as", "voltmotors-admin", .. common])).Code);
    }

    [Fact]
    public async Task Commands_against_a_missing_node_say_so_with_exit_code_3()
    {
        var result = await CliProcess.RunAsync(Limit, "token", "list", "--node", $"http://127.0.0.1:{CliProcess.FreePort()}");
        Assert.Equal(3, result.Code);
        Assert.Contains("cannot reach the node", result.Err, StringComparison.Ordinal);
    }
}
