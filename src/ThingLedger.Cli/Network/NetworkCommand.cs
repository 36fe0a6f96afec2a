using System.CommandLine;
using Spectre.Console;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Identity;

namespace ThingLedger.Cli.Network;

/// <summary>`thingledger network up|down|status`: a local consortium on 127.0.0.1.</summary>
internal static class NetworkCommand
{
    public const string DefaultDirectory = "./thingledger-network";

    private static readonly Option<string> Dir = new("--dir")
    {
        Description = "Folder of the local network (network.json, peers/, etcd/, logs/)",
        DefaultValueFactory = _ => DefaultDirectory,
    };

    public static Command Create() => new Command("network", "A local consortium: an etcd cluster and one peer per organisation on 127.0.0.1.")
        .With(Up(), Down(), Status(), AddOrg());

    private static Command Up()
    {
        var orgs = new Option<int>("--orgs") { Description = "Organisations, one peer each (created once)", DefaultValueFactory = _ => 3 };
        var quorum = new Option<int?>("--quorum") { Description = "Attestations that make a block final (default: more than two thirds of the orgs)" };
        var etcd = new Option<int>("--etcd-members") { Description = "etcd cluster size", DefaultValueFactory = _ => 3 };
        var port = new Option<int>("--base-port") { Description = "Peers listen on base-port+i, etcd clients on +100+i, etcd peers on +200+i, the peers' MQTT brokers on +300+i", DefaultValueFactory = _ => 7071 };
        var interval = new Option<int>("--block-interval-ms") { Description = "Longest wait before a block is cut", DefaultValueFactory = _ => 200 };
        var retain = new Option<int>("--retain-blocks") { Description = "Final blocks etcd keeps before compaction", DefaultValueFactory = _ => 1_000 };
        var chain = new Option<string>("--chain-id") { Description = "Chain id of a new network", DefaultValueFactory = _ => "thingledger-net" };
        return new Command("up", "Create the network (first time) and start every etcd member and peer that is not running.\n" +
            "Example: thingledger network up --orgs 3")
            .With(Dir, orgs, quorum, etcd, port, interval, retain, chain)
            .Runs(async (parse, cli, cancellationToken) =>
            {
                var dir = parse.GetValue(Dir)!;
                LocalNetwork network;
                if (LocalNetwork.Exists(dir))
                {
                    network = LocalNetwork.Load(dir);
                }
                else
                {
                    var n = parse.GetValue(orgs);
                    if (n is < 1 or > 16)
                    {
                        throw new ArgumentException("--orgs must be between 1 and 16");
                    }
                    var members = parse.GetValue(etcd);
                    if (members is < 1 or > 7 || members % 2 == 0)
                    {
                        throw new ArgumentException("--etcd-members must be 1, 3, 5 or 7 (an odd number keeps a majority)");
                    }
                    var q = parse.GetValue(quorum) ?? Genesis.SupermajorityOf(n);
                    if (q < 1 || q > n)
                    {
                        throw new ArgumentException($"--quorum must be between 1 and {n}");
                    }
                    network = LocalNetwork.Create(dir, parse.GetValue(chain)!, n, q, members, parse.GetValue(port), parse.GetValue(interval), parse.GetValue(retain));
                    Console.WriteLine($"Created a {n}-organisation network in {network.Directory} (quorum {q} of {n})");
                    if (q == n && n > 1)
                    {
                        Console.WriteLine($"Note: with quorum {q} of {n}, finality stops while any peer is down; use --quorum {n - 1} or more organisations to tolerate one.");
                    }
                }
                await StartAsync(network, cancellationToken).ConfigureAwait(false);
                await ShowAsync(network, cli.Json, cancellationToken).ConfigureAwait(false);
                return 0;
            });
    }

    private static async Task StartAsync(LocalNetwork network, CancellationToken cancellationToken)
    {
        foreach (var member in network.Manifest.Etcd.Where(m => !network.IsRunning(m)))
        {
            Console.WriteLine($"starting {member.Name} at {member.ClientUrl}");
            network.StartEtcd(member);
        }
        network.Save();
        await WaitForEtcdAsync(network, cancellationToken).ConfigureAwait(false);
        foreach (var peer in network.Manifest.Peers.Where(p => !network.IsRunning(p)))
        {
            Console.WriteLine($"starting the peer of {peer.Org} at {peer.Url}{(peer.MqttPort > 0 ? $", its devices' MQTT on 127.0.0.1:{peer.MqttPort}" : "")}");
            network.StartPeer(peer);
        }
        network.Save();
        await WaitForPeersAsync(network, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WaitForEtcdAsync(LocalNetwork network, CancellationToken cancellationToken)
    {
        using var etcd = new Ordering.Etcd.EtcdClient([.. network.Manifest.Etcd.Select(e => new Uri(e.ClientUrl))], TimeSpan.FromSeconds(3));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                // A write succeeds only once the cluster has a leader and a majority.
                await etcd.PutAsync($"thingledger/{network.Manifest.ChainId}-probe", [1], cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Ordering.Etcd.EtcdException e)
            {
                last = e.Message;
            }
            await Task.Delay(300, cancellationToken).ConfigureAwait(false);
        }
        throw new InvalidOperationException($"the etcd cluster did not accept writes within 60 s ({last}); see {Path.Combine(network.Directory, "logs")}");
    }

    private static async Task WaitForPeersAsync(LocalNetwork network, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        foreach (var peer in network.Manifest.Peers)
        {
            while (true)
            {
                if (!network.IsRunning(peer))
                {
                    throw new InvalidOperationException($"the peer of {peer.Org} exited; see {network.LogPath(peer.Org)}");
                }
                try
                {
                    if ((await http.GetAsync(new Uri(new Uri(peer.Url), "/health"), cancellationToken).ConfigureAwait(false)).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"the peer of {peer.Org} did not become healthy within 90 s; see {network.LogPath(peer.Org)}");
                }
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static Command AddOrg()
    {
        var org = new Argument<string>("org") { Description = "Id of the new organisation (a-z 0-9 '-', starting with a letter)" };
        var name = new Option<string>("--name") { Description = "Its display name (default: the id)" };
        var quorum = new Option<uint>("--quorum") { Description = "The quorum once it has joined (default: unchanged)" };
        var after = new Option<int>("--after-blocks") { Description = "It starts validating this many blocks after the current head", DefaultValueFactory = _ => 10 };
        return new Command("add-org", "Add an organisation with its own peer: creates its keys and folder, proposes the membership change with the " +
            "first organisation's admin, gathers approvals from the others until a quorum enacts it, then starts the new peer, which catches up " +
            "from the others and attests from the effective height.\nExample: thingledger network add-org solarco --quorum 3")
            .With(Dir, org, name, quorum, after)
            .Runs(async (parse, cli, cancellationToken) =>
            {
                var network = LocalNetwork.Load(parse.GetValue(Dir)!);
                var voters = network.Manifest.Peers.Where(network.IsRunning).ToList();
                if (voters.Count == 0)
                {
                    throw new InvalidOperationException("no peer of the network is running; start it with `thingledger network up`");
                }
                var id = parse.GetValue(org)!;
                var (peer, admin, validator) = network.AddPeer(id);
                try
                {
                    using var client = new ThingLedgerClient(voters[0].Url);
                    var head = (await client.GetStatusAsync(cancellationToken).ConfigureAwait(false)).Height;
                    var from = head + (ulong)Math.Max(parse.GetValue(after), voters.Count + 2);
                    var proposal = new Execution.Modules.Identity.MembershipProposal(Execution.Modules.Identity.MembershipAction.AddOrg,
                        id, parse.GetValue(name) ?? id, [admin], validator, parse.GetValue(quorum), from);
                    var epoch = await EnactAsync(network, client, voters, proposal, cancellationToken).ConfigureAwait(false);
                    Console.WriteLine($"enacted: '{id}' validates from block {from} (epoch {epoch})");
                }
                catch
                {
                    network.Manifest.Peers.Remove(peer);
                    network.Save();
                    System.IO.Directory.Delete(peer.DataDir, recursive: true);
                    throw;
                }
                Console.WriteLine($"starting the peer of {peer.Org} at {peer.Url}{(peer.MqttPort > 0 ? $", its devices' MQTT on 127.0.0.1:{peer.MqttPort}" : "")}");
                network.StartPeer(peer);
                network.Save();
                await WaitForPeersAsync(network, cancellationToken).ConfigureAwait(false);
                await ShowAsync(network, cli.Json, cancellationToken).ConfigureAwait(false);
                return 0;
            });
    }

    /// <summary>Proposes with the first voter's admin, then approves with the next ones until the change is enacted; returns its epoch.</summary>
    private static async Task<ulong> EnactAsync(
        LocalNetwork network, ThingLedgerClient client, List<PeerMember> voters, Execution.Modules.Identity.MembershipProposal proposal, CancellationToken cancellationToken)
    {
        var chainId = network.Manifest.ChainId;
        Core.Crypto.Hash? id = null;
        foreach (var voter in voters)
        {
            using var key = network.AdminKey(voter);
            var account = await Account.OpenAsync(client, key, chainId, cancellationToken).ConfigureAwait(false);
            var tx = account.Sign(id is null ? Operations.ProposeMembership(proposal) : Operations.ApproveMembership(id.Value));
            var result = await client.SubmitAsync(tx, wait: true, timeoutMs: 60_000, cancellationToken).ConfigureAwait(false);
            if (result.Status != TxState.Committed)
            {
                throw new InvalidOperationException($"{(id is null ? "proposing" : "approving")} as {voter.Org}: {result.Status.Text()} {result.Code} {result.Message}".TrimEnd());
            }
            Console.WriteLine($"{(id is null ? "proposed" : "approved")} by {voter.Org} in block {result.Height}");
            id ??= tx.Id;
            var state = (await client.GetMembershipAsync(cancellationToken).ConfigureAwait(false)).Proposals.Single(p => p.Id == id.Value.ToString());
            if (state.Epoch is { } epoch)
            {
                return epoch;
            }
        }
        throw new InvalidOperationException($"every running organisation approved proposal {id}, but that is not a quorum; start the other peers and approve with `thingledger membership approve {id}`");
    }

    private static Command Down() => new Command("down", "Stop every peer and etcd member of the local network (its data stays; `up` starts it again).\n" +
        "Example: thingledger network down")
        .With(Dir)
        .Runs(async (parse, _, _) =>
        {
            var network = LocalNetwork.Load(parse.GetValue(Dir)!);
            foreach (var peer in network.Manifest.Peers)
            {
                await LocalNetwork.StopAsync(peer.Pid, peer.DataDir, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
                Console.WriteLine($"stopped the peer of {peer.Org}");
            }
            foreach (var member in network.Manifest.Etcd)
            {
                await LocalNetwork.StopAsync(member.Pid, member.DataDir, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
                Console.WriteLine($"stopped {member.Name}");
            }
            return 0;
        });

    private static Command Status() => new Command("status", "Each peer's height, finality lag and health, and each etcd member's state.\n" +
        "Example: thingledger network status")
        .With(Dir)
        .Runs(async (parse, cli, cancellationToken) =>
        {
            var network = LocalNetwork.Load(parse.GetValue(Dir)!);
            return await ShowAsync(network, cli.Json, cancellationToken).ConfigureAwait(false) ? 0 : CliRunner.Refused;
        });

    /// <summary>The validator set in force, the changes scheduled after it and the proposals still open, in words.</summary>
    internal static IEnumerable<string> Describe(MembershipView membership)
    {
        var next = membership.Height + 1;
        var current = membership.Epochs.Last(e => e.From <= next);
        yield return $"In force for block {next}: {Validators(current)} (epoch {current.Epoch}, since block {current.From}).";
        foreach (var epoch in membership.Epochs.Where(e => e.From > next))
        {
            var change = membership.Proposals.FirstOrDefault(p => p.Epoch == epoch.Epoch);
            yield return $"Scheduled from block {epoch.From} ({epoch.From - membership.Height} blocks from now): {Validators(epoch)}" +
                (change is null ? "." : $", after {Change(change)} (proposal {change.Id[..12]}…).");
        }
        foreach (var open in membership.Proposals.Where(p => p.Status == ProposalStatus.Open))
        {
            yield return $"Open: {Change(open)} at block {open.EffectiveHeight}, approved by {open.Approvals.Count} of the {current.Quorum} organisations needed " +
                $"({string.Join(", ", open.Approvals)}); approve with `thingledger membership approve {open.Id}`.";
        }

        static string Validators(EpochView epoch) =>
            $"quorum {epoch.Quorum} of {epoch.Validators.Count} validators ({string.Join(", ", epoch.Validators.Select(v => v.Org))})";

        static string Change(ProposalView p)
        {
            var quorum = p.Quorum > 0 ? $" with quorum {p.Quorum}" : string.Empty;
            return p.Action == MembershipProposal.ActionName(MembershipAction.AddOrg) ? $"adding organisation {p.Org}{(p.Name is null ? string.Empty : $" ({p.Name})")}{quorum}"
                : p.Action == MembershipProposal.ActionName(MembershipAction.RemoveOrg) ? $"removing organisation {p.Org}{quorum}"
                : p.Action == MembershipProposal.ActionName(MembershipAction.SetQuorum) ? $"setting the quorum to {p.Quorum}"
                : $"{p.Action} for {p.Org}{quorum}";
        }
    }

    /// <summary>Prints the network; true when every peer is healthy.</summary>
    private static async Task<bool> ShowAsync(LocalNetwork network, bool json, CancellationToken cancellationToken)
    {
        var views = new List<NetworkPeerView>();
        var finalities = new List<FinalityView>();
        foreach (var peer in network.Manifest.Peers)
        {
            FinalityView? finality = null;
            string? error = null;
            if (network.IsRunning(peer))
            {
                using var client = new ThingLedgerClient(peer.Url);
                try
                {
                    finality = await client.GetFinalityAsync(cancellationToken).ConfigureAwait(false);
                    finalities.Add(finality);
                }
                catch (Exception e) when (e is HttpRequestException or ThingLedgerException or TaskCanceledException)
                {
                    error = e.Message;
                }
            }
            else
            {
                error = "not running";
            }
            views.Add(new NetworkPeerView(peer.Org, peer.Url, peer.Pid, finality?.Height, finality?.FinalizedHeight, finality?.FinalityLag, finality?.Status.Text() ?? "down", finality?.Problem ?? error,
                peer.MqttPort > 0 ? peer.MqttPort : null));
        }
        var members = network.Manifest.Etcd.Select(m => new NetworkEtcdView(m.Name, m.ClientUrl, m.Pid, network.IsRunning(m) ? "running" : "down")).ToList();
        // Membership changes move the quorum on chain; genesis' quorum is the fallback when no peer answers.
        var (quorum, validators) = finalities.FirstOrDefault() is { } f ? (f.Quorum, f.Validators) : (network.Manifest.Quorum, views.Count);
        if (json)
        {
            Output.Json(new NetworkStatusView(network.Manifest.ChainId, quorum, views, members));
        }
        else
        {
            Output.Rows($"Peers of {network.Manifest.ChainId} (quorum {quorum} of {validators} validators)",
                ["org", "url", "mqtt", "height", "final", "lag", "status", "problem"],
                views.Select(v => new[] { v.Org, v.Url, v.MqttPort is { } m ? $"127.0.0.1:{m}" : "default", v.Height?.ToString(), v.FinalizedHeight?.ToString(), v.FinalityLag?.ToString(), v.Status, v.Problem }));
            Output.Rows("etcd members", ["name", "client url", "state"], members.Select(m => new[] { m.Name, m.ClientUrl, m.State }));
            if (network.Manifest.Peers.FirstOrDefault(p => views.Any(v => v.Org == p.Org && v.Height is not null)) is { } answering)
            {
                using var client = new ThingLedgerClient(answering.Url);
                foreach (var line in Describe(await client.GetMembershipAsync(cancellationToken).ConfigureAwait(false)))
                {
                    Console.WriteLine(line);
                }
            }
            AnsiConsole.WriteLine($"Talk to a peer: thingledger --node {network.Manifest.Peers[0].Url} --data {network.Manifest.Peers[0].DataDir} block show head");
        }
        return views.All(v => v.Status == PeerStatus.Healthy.Text());
    }
}
