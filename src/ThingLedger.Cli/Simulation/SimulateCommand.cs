using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using ThingLedger.Client;
using ThingLedger.Node;

namespace ThingLedger.Cli.Simulation;

/// <summary>`thingledger simulate`: a fleet of simulated devices sending signed readings to a node.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var evs = new Option<int>("--evs") { Description = "Electric cars", DefaultValueFactory = _ => 50 };
        var meters = new Option<int>("--meters") { Description = "Smart meters with home batteries", DefaultValueFactory = _ => 30 };
        var washers = new Option<int>("--washers") { Description = "Washing machines", DefaultValueFactory = _ => 20 };
        var purifiers = new Option<int>("--purifiers") { Description = "Air purifiers", DefaultValueFactory = _ => 0 };
        var rate = new Option<double>("--rate") { Description = "Readings per device per second", DefaultValueFactory = _ => 1 };
        var batch = new Option<int>("--batch") { Description = "Readings per device signature (1 = each reading signed alone)", DefaultValueFactory = _ => 1 };
        var faults = new Option<double>("--faults") { Description = "Share of devices that misbehave (replays, bad signatures, out-of-range, implausible values, clock skew)", DefaultValueFactory = _ => 0 };
        var transport = new Option<string>("--transport") { Description = "How the devices send: mqtt (each device its own session with the node's broker) or http (uploads, as a gateway)", DefaultValueFactory = _ => "http" };
        transport.AcceptOnlyFromAmong("http", "mqtt");
        var duration = new Option<int>("--duration") { Description = "Stop after this many seconds (0 = until Ctrl+C)", DefaultValueFactory = _ => 0 };
        var command = new Command("simulate", "Register a fleet of simulated devices on a running node and send their signed readings; shows what was accepted and refused.\n" +
                "Example: thingledger simulate --evs 200 --rate 2 --batch 10 --faults 0.05 --duration 60 --data ./chain --node http://127.0.0.1:7070\n" +
                "Example: thingledger simulate --transport mqtt --evs 50 --batch 10 --duration 30")
            .With(evs, meters, washers, purifiers, rate, batch, faults, transport, duration);
        command.SetAction((parse, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            var options = new FleetOptions(parse.GetValue(evs), parse.GetValue(meters), parse.GetValue(washers), parse.GetValue(rate), parse.GetValue(batch), parse.GetValue(faults), Purifiers: parse.GetValue(purifiers));
            if (options.Devices < 1 || options.ReadingsPerSecond <= 0 || options.FaultRate is < 0 or > 1)
            {
                throw new ArgumentException("at least one device, a positive --rate, and --faults between 0 and 1");
            }
            using var cli = new CliContext(parse);
            var chainId = await cli.ChainIdAsync(cancellationToken).ConfigureAwait(false);
            var admins = new Dictionary<string, Account>(StringComparer.Ordinal);
            foreach (var org in DevChain.SampleOrgs)
            {
                admins[org.Id] = await Account.OpenAsync(cli.Client, cli.Keys.Load(DevChain.AdminKeyName(org.Id)), chainId, cancellationToken).ConfigureAwait(false);
            }
            var fleet = new Fleet(options, chainId);
            if (!cli.Json)
            {
                AnsiConsole.MarkupLine($"[grey]registering {options.Devices} simulated devices; they send over {parse.GetValue(transport)}[/]");
            }
            await fleet.RegisterAsync(cli.Client, admins, cancellationToken).ConfigureAwait(false);
            using var stop = parse.GetValue(duration) > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(parse.GetValue(duration))) : new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop.Token);
            var counters = new FleetCounters();
            await using var sender = await MqttFleetTransport.CreateAsync(parse.GetValue(transport)!, cli.Client, chainId, fleet.Devices, cancellationToken).ConfigureAwait(false);
            var run = FleetRunner.RunAsync(sender, fleet, counters, TimeSpan.FromMilliseconds(250), linked.Token);
            if (cli.Json)
            {
                await Task.Delay(Timeout.Infinite, linked.Token).ContinueWith(_ => { }, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await ShowAsync(cli.Client, counters, linked.Token).ConfigureAwait(false);
            }
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            Report(counters, cli.Json);
            return 0;
        }));
        return command;
    }

    private static async Task ShowAsync(ThingLedgerClient client, FleetCounters counters, CancellationToken cancellationToken)
    {
        var last = 0L;
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var status = await client.GetTelemetryStatusAsync(cancellationToken).ConfigureAwait(false);
                var accepted = counters.Accepted;
                AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "[bold]{0:F0}[/] readings/s accepted · {1} accepted · {2} refused · {3} anchored · {4} waiting for an anchor",
                    (accepted - last) / 2.0, accepted, counters.Rejected, status.AnchoredReadings, status.PendingReadings);
                last = accepted;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void Report(FleetCounters counters, bool json)
    {
        var fields = new List<(string, object?)>
        {
            ("accepted", counters.Accepted),
            ("duplicates", counters.Duplicates),
            ("refused", counters.Rejected),
        };
        foreach (var (code, count) in counters.RejectedByCode.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            fields.Add(("  " + code, count));
        }
        if (json)
        {
            Output.Json(fields.ToDictionary(f => f.Item1.Trim(), f => Convert.ToString(f.Item2, CultureInfo.InvariantCulture) ?? ""));
            return;
        }
        Output.Fields("simulation", [.. fields]);
    }
}
