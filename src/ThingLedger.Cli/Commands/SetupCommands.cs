using System.CommandLine;
using Spectre.Console;
using ThingLedger.Node;

namespace ThingLedger.Cli.Commands;

/// <summary>init, node run, node repair, keys.</summary>
internal static class SetupCommands
{
    public static Command Init()
    {
        var chainId = new Option<string>("--chain-id") { Description = "Chain id written into genesis", DefaultValueFactory = _ => "thingledger-dev" };
        var orgs = new Option<string[]>("--org")
        {
            Description = "Organisation as id=Name (repeatable); default: the three sample organisations",
            AllowMultipleArgumentsPerToken = false,
        };
        return new Command("init", "Create a data directory: genesis, the node's validator key and an admin key per organisation.\n" +
                "Example: thingledger init --data ./chain --org acme=\"Acme Devices\" --org grid=\"Grid Co\"")
            .With(chainId, orgs)
            .Runs((parse, cli, _) =>
            {
                var specs = (parse.GetValue(orgs) ?? []).Select(ParseOrg).ToArray();
                var genesis = DevChain.Initialize(cli.DataDirectory, parse.GetValue(chainId)!, specs.Length > 0 ? specs : DevChain.SampleOrgs,
                    (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                if (cli.Json)
                {
                    Console.WriteLine(genesis.ToJson());
                    return Task.FromResult(0);
                }
                CliRunner.Success($"created chain '{genesis.ChainId}' in {Path.GetFullPath(cli.DataDirectory)}");
                Output.Rows("organisations", ["org", "name", "admin key", "admin address"],
                    genesis.Orgs.Select(o => new[] { o.Id, o.Name, DevChain.AdminKeyName(o.Id), o.Admins[0].ToAddress().ToString() }));
                AnsiConsole.MarkupLine($"genesis hash [bold]{genesis.Hash}[/]\nnext: [bold]thingledger node run --data {Markup.Escape(cli.DataDirectory)}[/]");
                return Task.FromResult(0);
            });
    }

    private static OrgSpec ParseOrg(string text)
    {
        var parts = text.Split('=', 2);
        if (parts.Length != 2)
        {
            throw new FormatException($"--org '{text}' must look like id=Name");
        }
        return new OrgSpec(parts[0].Trim(), parts[1].Trim());
    }

    public static Command Node()
    {
        var urls = new Option<string>("--urls") { Description = "Address to listen on", DefaultValueFactory = _ => NodeApp.DefaultUrl };
        var port = new Option<int?>("--port") { Description = "Listen on http://127.0.0.1:PORT (instead of --urls); other commands then need --node http://127.0.0.1:PORT" };
        var interval = new Option<int>("--block-interval-ms") { Description = "Longest wait before a block is cut", DefaultValueFactory = _ => 200 };
        var maxTxs = new Option<int>("--max-block-txs") { Description = "Cut a block as soon as this many txs wait", DefaultValueFactory = _ => 4_000 };
        var ordering = new Option<string>("--ordering") { Description = "solo (embedded) or etcd (a consortium peer)", DefaultValueFactory = _ => "solo" };
        ordering.AcceptOnlyFromAmong("solo", "etcd");
        var etcd = new Option<string>("--etcd") { Description = "etcd client URLs, comma-separated (with --ordering etcd)", DefaultValueFactory = _ => string.Empty };
        var peers = new Option<string>("--peers") { Description = "Other peers' URLs, comma-separated: where missing blocks are fetched from", DefaultValueFactory = _ => string.Empty };
        var retain = new Option<int>("--retain-blocks") { Description = "Final blocks etcd keeps before its log is compacted", DefaultValueFactory = _ => 1_000 };
        var freshness = new Option<string>("--max-reading-age")
        {
            Description = "The freshness window: readings measured longer ago are refused (READING_TIME_SKEW) unless uploaded as a historic import by an operator of this node's org (90s, 15m, 2h, 30d)",
            DefaultValueFactory = _ => "7d",
        };
        var run = new Command("run", "Run a node on a data directory (created by `thingledger init` or `thingledger network up`).\n" +
            "Example: thingledger node run --data ./chain --urls http://127.0.0.1:7070\n" +
            "Beside a running demo: thingledger node run --data ./chain --port 7071, then thingledger … --node http://127.0.0.1:7071\n" +
            "Consortium peer: thingledger node run --data ./org1 --ordering etcd --etcd http://127.0.0.1:2379 --peers http://127.0.0.1:7072\n" +
            "Devices connect over MQTT on 127.0.0.1:1883 (a free port if that one is taken; --Node:Mqtt:Port=N, --Node:Mqtt:Enabled=false; docs/TELEMETRY.md)\n" +
            "Any other setting as --Section:Key=value, e.g. --Node:MinFreeDiskBytes=1073741824 --Logging:LogLevel:Default=Debug (docs/ERRORS.md, NodeOptions)")
            .With(urls, port, interval, maxTxs, ordering, etcd, peers, retain, freshness);
        run.TreatUnmatchedTokensAsErrors = false;
        run.SetAction((parse, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var settings = new List<string>();
            foreach (var token in parse.UnmatchedTokens)
            {
                if (!token.StartsWith("--", StringComparison.Ordinal) || !token.Contains(':', StringComparison.Ordinal) || !token.Contains('=', StringComparison.Ordinal))
                {
                    throw new ArgumentException($"'{token}' is not an option of `node run`; a configuration setting looks like --Node:MinFreeDiskBytes=1073741824");
                }
                settings.Add(token);
            }
            var listen = parse.GetValue(port) is { } p
                ? (p is > 0 and <= 65535 ? $"http://127.0.0.1:{p}" : throw new ArgumentException($"--port {p} is not a TCP port (1-65535)"))
                : parse.GetValue(urls)!;
            CheckFree(listen, parse.GetValue(CommonOptions.Data)!);
            var app = NodeApp.Build(
            [
                $"--urls={listen}",
                $"--Node:DataDirectory={parse.GetValue(CommonOptions.Data)}",
                $"--Node:BlockIntervalMs={parse.GetValue(interval)}",
                $"--Node:MaxBlockTxs={parse.GetValue(maxTxs)}",
                $"--Node:Ordering={parse.GetValue(ordering)}",
                $"--Node:EtcdEndpoints={parse.GetValue(etcd)}",
                $"--Node:Peers={parse.GetValue(peers)}",
                $"--Node:RetainBlocks={parse.GetValue(retain)}",
                $"--Node:MaxReadingAgeMs={CliArguments.Duration(parse.GetValue(freshness)!, "--max-reading-age")}",
                .. settings,
            ]);
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        var repair = new Command("repair", "Repair a damaged data directory (the node must be stopped): rebuild damaged indexes, or the ledger " +
                "from its own blocks; every replaced file is kept beside it as *.damaged-TIME.\nExample: thingledger node repair --data ./chain")
            .Runs((parse, cli, _) =>
            {
                var outcomes = ThingLedger.Node.Repair.NodeRepair.Run(cli.DataDirectory, message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"));
                if (outcomes.Count == 0)
                {
                    throw new InvalidOperationException($"{cli.DataDirectory} holds no database to repair");
                }
                foreach (var outcome in outcomes)
                {
                    if (outcome.Usable)
                    {
                        CliRunner.Success($"{outcome.File}: {outcome.What}");
                    }
                    else
                    {
                        CliRunner.Error($"{outcome.File}: {outcome.What}");
                    }
                }
                return Task.FromResult(outcomes.All(o => o.Usable) ? 0 : CliRunner.StorageFailure);
            });
        return new Command("node", "Run a ThingLedger node, or repair its data directory.").With(run, repair);
    }

    /// <summary>
    /// Refuses, in one line, to start a node whose address another process holds (the demo, another
    /// node), naming the way around it, before the host starts and logs anything.
    /// </summary>
    private static void CheckFree(string urls, string data)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !System.Net.IPAddress.TryParse(uri.Host, out var address))
            {
                continue;
            }
            using var probe = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            // As Kestrel binds: a port left in TIME_WAIT by a node that just stopped is free.
            probe.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.ReuseAddress, true);
            try
            {
                probe.Bind(new System.Net.IPEndPoint(address, uri.Port));
            }
            catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
            {
                throw new InvalidOperationException($"{uri.Host}:{uri.Port} is already in use (is the demo or another node running?): stop it, or run this node on another port: " +
                    $"thingledger node run --data {data} --port {uri.Port + 1}, and give other commands --node http://{uri.Host}:{uri.Port + 1}");
            }
        }
    }

    public static Command Keys()
    {
        var name = new Argument<string>("name") { Description = "Key name (file <data>/keys/<name>.pem)" };
        var create = new Command("new", "Generate a P-256 key and store it owner-only.\nExample: thingledger keys new alice").With(name)
            .Runs((parse, cli, _) =>
            {
                using var key = cli.Keys.Create(parse.GetValue(name)!);
                var file = Path.GetFullPath(cli.Keys.PathOf(parse.GetValue(name)!));
                Show(cli, parse.GetValue(name)!, key.PublicKey.ToHex(), key.Address.ToString(), file);
                if (!cli.Json)
                {
                    CliRunner.Success($"saved to {file} (readable by you only); commands find it by its name with --data {cli.DataDirectory}");
                }
                return Task.FromResult(0);
            });
        var showName = new Argument<string>("name") { Description = "Key name" };
        var show = new Command("show", "Show a stored key's address and public key.\nExample: thingledger keys show voltmotors-admin").With(showName)
            .Runs((parse, cli, _) =>
            {
                using var key = cli.Keys.Load(parse.GetValue(showName)!);
                Show(cli, parse.GetValue(showName)!, key.PublicKey.ToHex(), key.Address.ToString());
                return Task.FromResult(0);
            });
        var list = new Command("list", "List the stored keys.\nExample: thingledger keys list").Runs((_, cli, _) =>
        {
            var rows = cli.Keys.Names().Select(n =>
            {
                using var key = cli.Keys.Load(n);
                return new[] { n, key.Address.ToString() };
            }).ToList();
            if (cli.Json)
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(rows.ToDictionary(r => r[0], r => r[1]), CliJsonContext.Default.DictionaryStringString));
            }
            else
            {
                Output.Rows($"keys in {cli.Keys.Directory}", ["name", "address"], rows);
            }
            return Task.FromResult(0);
        });
        return new Command("keys", "Manage signing keys in <data>/keys.").With(create, show, list);
    }

    private static void Show(CliContext cli, string name, string publicKey, string address, string? file = null)
    {
        if (cli.Json)
        {
            var fields = new Dictionary<string, string> { ["name"] = name, ["address"] = address, ["publicKey"] = publicKey };
            if (file is not null)
            {
                fields["file"] = file;
            }
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(fields, CliJsonContext.Default.DictionaryStringString));
            return;
        }
        Output.Fields($"key {name}", ("address", address), ("public key", publicKey));
    }
}
