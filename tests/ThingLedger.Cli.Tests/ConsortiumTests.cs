using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ThingLedger.Cli.Network;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Ordering.Etcd;

namespace ThingLedger.Cli.Tests;

/// <summary>
/// A real local consortium (`thingledger network up`): three etcd members and three peers on
/// 127.0.0.1, quorum 2 of 3, a short etcd retention so compaction happens during the tests.
/// </summary>
public sealed class ConsortiumFixture : LocalNetworkFixture
{
    protected override int PortOffset => 0;
}

/// <summary>A second network of the same shape, on other ports, for membership changes.</summary>
public sealed class GovernanceFixture : LocalNetworkFixture
{
    protected override int PortOffset => 25;
}

/// <summary>A local network started with `thingledger network up`, and helpers to load and inspect it.</summary>
public abstract class LocalNetworkFixture : IAsyncLifetime
{
    /// <summary>Added to this process's base port so two networks do not collide.</summary>
    protected abstract int PortOffset { get; }

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("tl-net-").FullName;

    public LocalNetwork Network { get; private set; } = null!;

    public Genesis Genesis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists("/usr/bin/etcd"))
        {
            throw new InvalidOperationException("etcd is not installed (/usr/bin/etcd): ./test.sh installs etcd-server with apt-get");
        }
        var basePort = 20_000 + (Environment.ProcessId % 200 * 50) + PortOffset;
        await UpAsync("--orgs", "3", "--quorum", "2", "--base-port", basePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--block-interval-ms", "100", "--retain-blocks", "8");
        Genesis = Genesis.Parse(File.ReadAllText(Path.Combine(Directory, "genesis.json")));
    }

    /// <summary>`network up` on this network: creates it the first time, restarts whatever is down.</summary>
    public async Task UpAsync(params string[] extra)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(TimeSpan.FromMinutes(3), ["network", "up", "--dir", Directory, .. extra]);
        Assert.True(code == 0, $"network up failed ({code}):\n{stdout}\n{stderr}\n{Logs()}");
        Network = LocalNetwork.Load(Directory);
    }

    public string Logs() => string.Join('\n', System.IO.Directory.Exists(Path.Combine(Directory, "logs"))
        ? System.IO.Directory.GetFiles(Path.Combine(Directory, "logs")).Select(f => $"--- {f}\n{Tail(f)}")
        : []);

    /// <summary>Everything a peer of <paramref name="org"/> has logged so far ("" before it started).</summary>
    public string LogOf(string org)
    {
        var path = Path.Combine(Directory, "logs", org + ".log");
        return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
    }

    private static string Tail(string path)
    {
        var lines = File.ReadAllLines(path);
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 30)));
    }

    public static void KillHard(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(10_000);
        }
        catch (ArgumentException)
        {
        }
    }

    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    public ThingLedgerClient Peer(int i) => new(Network.Manifest.Peers[i].Url);

    /// <summary>
    /// Sends txs round-robin to <paramref name="peers"/> until <paramref name="count"/> are sent or
    /// <paramref name="limit"/> passes, each from a fresh key (nonce 1) so peers never race on a
    /// nonce. Returns the ids the peers acknowledged; refusals are fine, losses are not.
    /// </summary>
    public async Task<List<Hash>> LoadAsync(int[] peers, int count, TimeSpan limit, Func<int, Task>? during = null)
    {
        var acknowledged = new List<Hash>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count && clock.Elapsed < limit; i++)
        {
            if (during is not null)
            {
                await during(i);
            }
            using var key = KeyPair.Generate();
            var batch = Enumerable.Range(0, 5).Select(n =>
            {
                using var signer = KeyPair.Generate();
                return Operations.Transfer("NONE", key.Address, 1).Sign(Genesis.ChainId, signer, 1);
            }).ToList();
            using var client = Peer(peers[i % peers.Length]);
            try
            {
                var response = await client.SubmitAsync(batch);
                foreach (var result in response.Results.Where(r => r.Status is TxState.Accepted or TxState.Committed))
                {
                    acknowledged.Add(Hash.Parse(result.Id!));
                }
            }
            catch (Exception e) when (e is ThingLedgerException or HttpRequestException or TaskCanceledException)
            {
                // Refused or unreachable: not acknowledged, so nothing may be assumed about it.
            }
        }
        return acknowledged;
    }

    public async Task WaitFinalAsync(int[] peers, ulong height)
    {
        var clock = Stopwatch.StartNew();
        foreach (var i in peers)
        {
            using var client = Peer(i);
            while (true)
            {
                var view = await client.GetFinalityAsync();
                if (view.FinalizedHeight >= height)
                {
                    break;
                }
                Assert.True(clock.Elapsed < Settle, $"peer {i} did not finalise height {height} (at {view.Height}, final {view.FinalizedHeight}, {view.Status} {view.Problem})\n{Logs()}");
                await Task.Delay(100);
            }
        }
    }

    public async Task AssertCommittedEverywhereAsync(int[] peers, List<Hash> ids)
    {
        // A peer learns of another peer's tx only from the log: poll until it is in a block.
        var clock = Stopwatch.StartNew();
        foreach (var i in peers)
        {
            using var client = Peer(i);
            foreach (var id in ids)
            {
                while ((await client.GetTxAsync(id))?.Height is null)
                {
                    Assert.True(clock.Elapsed < LocalNetworkFixture.Settle, $"acknowledged tx {id} is not committed on peer {i}\n{Logs()}");
                    await Task.Delay(100);
                }
            }
        }
    }

    /// <summary>Every peer holds the same block at every height up to <paramref name="height"/>.</summary>
    public async Task AssertSameChainAsync(int[] peers, ulong height)
    {
        for (var h = 1UL; h <= height; h++)
        {
            string? expected = null;
            foreach (var i in peers)
            {
                using var client = Peer(i);
                var block = await client.GetBlockAsync(h);
                Assert.NotNull(block);
                expected ??= $"{block.Hash} {block.StateRoot}";
                Assert.Equal(expected, $"{block.Hash} {block.StateRoot}");
            }
        }
    }

    public async Task<ulong> MaxHeightAsync(int[] peers)
    {
        var max = 0UL;
        foreach (var i in peers)
        {
            using var client = Peer(i);
            max = Math.Max(max, (await client.GetFinalityAsync()).Height);
        }
        return max;
    }

    /// <summary>
    /// The consortium table of a peer's explorer overview (GET /), one row per peer as the page
    /// shows it: the organisation cell, the peer URL cell ("—" for the serving node) and the status chip.
    /// </summary>
    public async Task<List<(string Org, string Peer, string Status)>> OverviewPeersAsync(int peer)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Network.Manifest.Peers[peer].Url), Timeout = TimeSpan.FromSeconds(30) };
        var html = await http.GetStringAsync("/");
        var start = html.IndexOf("<h2>Consortium peers</h2>", StringComparison.Ordinal);
        Assert.True(start >= 0, $"peer {peer}'s overview has no consortium table");
        var body = html[html.IndexOf("<tbody>", start, StringComparison.Ordinal)..html.IndexOf("</tbody>", start, StringComparison.Ordinal)];
        var rows = new List<(string, string, string)>();
        foreach (Match row in Regex.Matches(body, "<tr>(.*?)</tr>", RegexOptions.Singleline))
        {
            var cells = Regex.Matches(row.Groups[1].Value, "<td[^>]*>(.*?)</td>", RegexOptions.Singleline);
            var org = Regex.Replace(cells[0].Groups[1].Value, "<span.*", string.Empty, RegexOptions.Singleline).Trim();
            var status = Regex.Matches(row.Groups[1].Value, "<span class=\"chip [a-z]+\"[^>]*>([^<]+)</span>")[^1].Groups[1].Value;
            rows.Add((WebUtility.HtmlDecode(org), WebUtility.HtmlDecode(cells[1].Groups[1].Value.Trim()), status));
        }
        return rows;
    }

    public async Task DisposeAsync()
    {
        await CliProcess.RunAsync(TimeSpan.FromMinutes(2), "network", "down", "--dir", Directory);
        foreach (var pid in Network.Manifest.Peers.Select(p => p.Pid).Concat(Network.Manifest.Etcd.Select(e => e.Pid)))
        {
            KillHard(pid);
        }
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

[CollectionDefinition("consortium")]
public sealed class ConsortiumCollection : ICollectionFixture<ConsortiumFixture>, ICollectionFixture<GovernanceFixture>;

[Collection("consortium")]
public sealed class ConsortiumTests(ConsortiumFixture fixture)
{
    private LocalNetwork Network => fixture.Network;

    [Fact]
    public async Task Txs_sent_to_any_peer_are_final_everywhere_with_identical_blocks_and_verify_offline()
    {
        await fixture.UpAsync();
        // Each organisation's devices connect to its own peer: one MQTT port each, as network.json says.
        foreach (var peer in Network.Manifest.Peers)
        {
            using var client = new Client.ThingLedgerClient(peer.Url);
            Assert.True(peer.MqttPort > 0);
            Assert.Equal(peer.MqttPort, (await client.GetMqttEndpointAsync()).Port);
        }
        var ids = await fixture.LoadAsync([0, 1, 2], 30, TimeSpan.FromSeconds(30));
        Assert.Equal(150, ids.Count);
        await fixture.AssertCommittedEverywhereAsync([0, 1, 2], ids);
        var height = await fixture.MaxHeightAsync([0, 1, 2]);
        await fixture.WaitFinalAsync([0, 1, 2], height);
        await fixture.AssertSameChainAsync([0, 1, 2], height);

        // A receipt from any peer verifies offline with nothing but the genesis file: its
        // certificate carries a quorum of attestations.
        using var third = fixture.Peer(2);
        var verdict = await third.VerifyTxAsync(ids[0], fixture.Genesis);
        Assert.True(verdict.Ok, verdict.Message);

        // The explorer's overview on any peer shows every organisation's peer, healthy.
        var rows = await fixture.OverviewPeersAsync(1);
        Assert.Equal(Network.Manifest.Peers.Select(p => p.Org).Order(), rows.Select(r => r.Org).Order());
        Assert.All(rows, r => Assert.Equal("healthy", r.Status));
        Assert.Equal("—", rows[0].Peer);
        Assert.Equal(Network.Manifest.Peers.Where((_, i) => i != 1).Select(p => new Uri(p.Url).ToString()).Order(), rows.Skip(1).Select(r => r.Peer).Order());
    }

    [Fact]
    public async Task Killing_one_etcd_member_under_load_loses_no_acknowledged_tx()
    {
        await fixture.UpAsync();
        var victim = Network.Manifest.Etcd[0];
        var ids = await fixture.LoadAsync([0, 1, 2], 80, TimeSpan.FromSeconds(60), async i =>
        {
            if (i == 20)
            {
                LocalNetworkFixture.KillHard(victim.Pid);
            }
            await Task.CompletedTask;
        });
        Assert.False(LocalNetwork.IsRunning(victim.Pid, victim.DataDir));
        Assert.True(ids.Count >= 200, $"only {ids.Count} txs were acknowledged with one etcd member down");
        await fixture.AssertCommittedEverywhereAsync([0, 1, 2], ids);
        var height = await fixture.MaxHeightAsync([0, 1, 2]);
        await fixture.WaitFinalAsync([0, 1, 2], height);
        await fixture.AssertSameChainAsync([0, 1, 2], height);
        await fixture.UpAsync();
    }

    [Fact]
    public async Task A_killed_peer_leaves_the_others_finalising_then_catches_up_to_the_same_state()
    {
        await fixture.UpAsync();
        var victim = Network.Manifest.Peers[2];
        LocalNetworkFixture.KillHard(victim.Pid);
        var before = await fixture.MaxHeightAsync([0, 1]);
        var ids = await fixture.LoadAsync([0, 1], 40, TimeSpan.FromSeconds(40));
        Assert.Equal(200, ids.Count);
        await fixture.AssertCommittedEverywhereAsync([0, 1], ids);
        var height = await fixture.MaxHeightAsync([0, 1]);
        Assert.True(height > before);
        await fixture.WaitFinalAsync([0, 1], height);

        // The survivors' explorer says which peer is down.
        var rows = await fixture.OverviewPeersAsync(0);
        Assert.Equal(3, rows.Count);
        Assert.Equal("unreachable", rows.Single(r => r.Peer == new Uri(victim.Url).ToString()).Status);
        Assert.Equal(2, rows.Count(r => r.Status == "healthy"));

        await fixture.UpAsync();
        await fixture.WaitFinalAsync([2], height);
        await fixture.AssertSameChainAsync([0, 1, 2], height);
        await fixture.AssertCommittedEverywhereAsync([2], ids);
    }

    [Fact]
    public async Task With_a_majority_of_etcd_down_submissions_are_refused_and_resume_when_it_returns()
    {
        await fixture.UpAsync();
        LocalNetworkFixture.KillHard(Network.Manifest.Etcd[1].Pid);
        LocalNetworkFixture.KillHard(Network.Manifest.Etcd[2].Pid);
        using var client = fixture.Peer(0);
        using var signer = KeyPair.Generate();
        var tx = Operations.Transfer("NONE", signer.Address, 1).Sign(fixture.Genesis.ChainId, signer, 1);
        var refused = await Assert.ThrowsAsync<ThingLedgerException>(() => client.SubmitAsync(tx));
        Assert.Equal("ORDERING_UNAVAILABLE", refused.Code);
        Assert.Null(await client.GetTxAsync(tx.Id));

        await fixture.UpAsync();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // Committed in a block (as a failed transfer: the token does not exist).
                var result = await client.SubmitAsync(tx, wait: true, timeoutMs: 30_000);
                Assert.NotNull(result.Height);
                break;
            }
            catch (ThingLedgerException e) when (e.Code == "ORDERING_UNAVAILABLE" && deadline.Elapsed < LocalNetworkFixture.Settle)
            {
                await Task.Delay(500);
            }
        }
    }

    [Fact]
    public async Task The_etcd_log_is_compacted_once_blocks_are_final()
    {
        await fixture.UpAsync();
        // Retention is 8 blocks: make well over that many final, then look at etcd itself.
        for (var round = 0; round < 24; round++)
        {
            await fixture.LoadAsync([round % 3], 1, TimeSpan.FromSeconds(10));
            await Task.Delay(150);
        }
        var height = await fixture.MaxHeightAsync([0, 1, 2]);
        Assert.True(height > 24);
        await fixture.WaitFinalAsync([0, 1, 2], height);
        using var etcd = new EtcdClient([.. Network.Manifest.Etcd.Select(e => new Uri(e.ClientUrl))], TimeSpan.FromSeconds(5));
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var first = await etcd.GetPrefixAsync(OrderingLog.CutKey($"thingledger/{fixture.Genesis.ChainId}", 1) + "/", CancellationToken.None);
            if (first.Count == 0)
            {
                break;
            }
            Assert.True(deadline.Elapsed < LocalNetworkFixture.Settle, "the cut of block 1 is still in etcd long after compaction was due");
            await Task.Delay(500);
        }
        await Assert.ThrowsAsync<EtcdCompactedException>(async () =>
        {
            await foreach (var _ in etcd.WatchAsync("thingledger/", 1, TimeSpan.FromSeconds(10), CancellationToken.None))
            {
            }
        });
    }

    [Fact]
    public async Task Only_a_validator_can_cut_a_block_and_no_peer_attests_one_dated_ahead_of_its_clock()
    {
        await fixture.UpAsync();
        await fixture.LoadAsync([0], 1, TimeSpan.FromSeconds(10));
        var height = await fixture.MaxHeightAsync([0, 1, 2]);
        await fixture.WaitFinalAsync([0, 1, 2], height);
        var prefix = $"thingledger/{fixture.Genesis.ChainId}";
        using var etcd = new EtcdClient([.. Network.Manifest.Etcd.Select(e => new Uri(e.ClientUrl))], TimeSpan.FromSeconds(5));
        var year2036 = (ulong)new DateTimeOffset(2036, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

        // Anyone who can write to etcd: an unsigned cut where the old format had it, and a cut
        // signed by a key that is no validator, in its own slot. Both name the next height.
        byte[] unsigned = [1, 2, .. BitConverter.GetBytes(height + 1).Reverse(), .. BitConverter.GetBytes(year2036).Reverse()];
        await etcd.PutAsync(OrderingLog.CutKey(prefix, height + 1), unsigned, CancellationToken.None);
        using var outsider = KeyPair.Generate();
        var forged = CutMessage.Sign(fixture.Genesis.ChainId, outsider, height + 1, ulong.MaxValue);
        await etcd.PutAsync(OrderingLog.CutSlotKey(prefix, height + 1, outsider.PublicKey), OrderingLog.EncodeCut(forged), CancellationToken.None);
        var ids = await fixture.LoadAsync([1], 1, TimeSpan.FromSeconds(10));
        await fixture.AssertCommittedEverywhereAsync([0, 1, 2], ids);
        using var first = fixture.Peer(0);
        var tx = await first.GetTxAsync(ids[0]);
        // Another block may be cut first (a validator's own pending work); what matters is that
        // every block from height + 1 on came from a validator's honest cut, not the forged ones.
        Assert.True(tx!.Height > height, $"the tx landed at {tx.Height}, at or below {height}");
        for (var h = height + 1; h <= tx.Height; h++)
        {
            var block = await first.GetBlockAsync(h);
            Assert.InRange((long)block!.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddSeconds(10).ToUnixTimeMilliseconds());
        }
        await fixture.WaitFinalAsync([0, 1, 2], tx.Height!.Value);

        // A validator whose clock runs ahead (here its key, used by hand) cuts the next block
        // 20 s ahead: every peer commits it, none attests it until its own clock is within
        // Node:MaxBlockClockSkewMs (5 s) of it, so it cannot become final earlier.
        height = await fixture.MaxHeightAsync([0, 1, 2]);
        await fixture.WaitFinalAsync([0, 1, 2], height);
        using var validator = KeyPair.ImportPem(File.ReadAllText(Path.Combine(Network.Manifest.Peers[2].DataDir, "node.key")));
        var ahead = (ulong)DateTimeOffset.UtcNow.AddSeconds(20).ToUnixTimeMilliseconds();
        var cut = CutMessage.Sign(fixture.Genesis.ChainId, validator, height + 1, ahead);
        await etcd.CreateAsync(OrderingLog.CutSlotKey(prefix, height + 1, validator.PublicKey), OrderingLog.EncodeCut(cut), CancellationToken.None);
        var clock = Stopwatch.StartNew();
        foreach (var i in new[] { 0, 1, 2 })
        {
            using var client = fixture.Peer(i);
            Client.Contracts.FinalityView view;
            while ((view = await client.GetFinalityAsync()).Height <= height)
            {
                Assert.True(clock.Elapsed < LocalNetworkFixture.Settle, $"peer {i} did not commit the block cut ahead\n{fixture.Logs()}");
                await Task.Delay(100);
            }
            Assert.Equal(ahead, (await client.GetBlockAsync(height + 1))!.Timestamp);
            if (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 5_000 < (long)ahead - 2_000)
            {
                Assert.Equal(height, view.FinalizedHeight);
                Assert.Equal(PeerStatus.NotAttesting, view.Status);
                Assert.Contains($"block {height + 1} is dated", view.Problem);
            }
        }
        await fixture.WaitFinalAsync([0, 1, 2], height + 1);
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() >= (long)ahead - 5_000, "the block dated ahead became final before any peer's clock was within the skew of its time");
        // A quorum (2 of 3) made it final; each peer attests it too once its own clock is there.
        foreach (var i in new[] { 0, 1, 2 })
        {
            using var client = fixture.Peer(i);
            while ((await client.GetFinalityAsync()).Status != PeerStatus.Healthy)
            {
                Assert.True(clock.Elapsed < LocalNetworkFixture.Settle, $"peer {i} still holds back its attestation\n{fixture.Logs()}");
                await Task.Delay(100);
            }
        }
    }
}
