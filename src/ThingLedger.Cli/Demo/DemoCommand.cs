using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using ThingLedger.Cli.Simulation;
using ThingLedger.Client;
using ThingLedger.Node;

namespace ThingLedger.Cli.Demo;

/// <summary>
/// `thingledger demo`: a dev chain in a temporary (or given) folder, a node on it, sample
/// organisations, devices and tokens, live traffic and a live summary, until Ctrl+C.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 for the node", DefaultValueFactory = _ => 7070 };
        var rate = new Option<int>("--rate") { Description = "Txs per second of live traffic", DefaultValueFactory = _ => 40 };
        var duration = new Option<int>("--duration") { Description = "Stop after this many seconds of live traffic, counted once setting up is done (0 = until Ctrl+C)", DefaultValueFactory = _ => 0 };
        var command = new Command("demo", "Start a single node with an embedded database, sample organisations, devices and tokens, and live traffic.\n" +
            "Example: thingledger demo            (temporary folder, http://127.0.0.1:7070, Ctrl+C to stop)\n" +
            "         thingledger demo --data ./demo-chain --duration 30").With(port, rate, duration);
        command.SetAction((parse, cancellationToken) => CliRunner.RunAsync(() => RunAsync(parse, parse.GetValue(port), parse.GetValue(rate), parse.GetValue(duration), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, int port, int rate, int seconds, CancellationToken cancellationToken)
    {
        if (rate is < 1 or > 10_000)
        {
            throw new ArgumentException("--rate must be between 1 and 10000");
        }
        var given = parse.GetResult(CommonOptions.Data) is { Implicit: false };
        var directory = given ? Path.GetFullPath(parse.GetValue(CommonOptions.Data)!) : Directory.CreateTempSubdirectory("thingledger-demo-").FullName;
        if (!File.Exists(DataDirectory.GenesisPath(directory)))
        {
            DevChain.Initialize(directory, "thingledger-demo", [.. DevChain.SampleOrgs, .. DemoProvenance.Orgs], (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var app = NodeApp.Build(
        [
            $"--urls={url}",
            $"--Node:DataDirectory={directory}",
            "--Node:BlockIntervalMs=250",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
        ]);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        // --duration counts the live part, from when setting up is done.
        using var stop = new CancellationTokenSource();
        using var stopped = CliRunner.UntilStopped(app, cancellationToken);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopped.Token, stop.Token);
        try
        {
            using var client = new ThingLedgerClient(url);
            var status = await client.GetStatusAsync(linked.Token).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"[bold green]ThingLedger demo[/] — chain [bold]{status.ChainId}[/], data in [bold]{Markup.Escape(directory)}[/]");
            var world = new DemoScenario(client, DevChain.Keys(directory), status.ChainId);
            await world.SetUpAsync(m => AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(m)}[/]"), linked.Token).ConfigureAwait(false);
            // The fleet's keys live in the data directory, so a resumed demo runs the same 25 devices.
            var keys = DevChain.Keys(directory);
            var fleet = new Fleet(new FleetOptions(12, 8, 5, ReadingsPerSecond: 1, BatchSize: 1, FaultRate: 0, Seed: Environment.TickCount), status.ChainId,
                keyFor: i => keys.Contains($"fleet-{i + 1}") ? keys.Load($"fleet-{i + 1}") : keys.Create($"fleet-{i + 1}"));
            var registered = await fleet.RegisterAsync(client, world.Admins, linked.Token).ConfigureAwait(false);
            AnsiConsole.MarkupLine(registered == fleet.Devices.Count
                ? $"  [grey]registered a simulated fleet of {registered} (12 EVs, 8 smart meters, 5 washing machines) that sends signed readings[/]"
                : $"  [grey]resuming the simulated fleet: {fleet.Devices.Count - registered} of its {fleet.Devices.Count} devices were registered before, {registered} now[/]");
            await DemoCredits.RunAsync(client, world, status.ChainId, m => AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(m)}[/]"), linked.Token).ConfigureAwait(false);
            await DemoContracts.RunAsync(client, world, m => AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(m)}[/]"), linked.Token).ConfigureAwait(false);
            var financeLater = await DemoFinance.RunAsync(client, world, keys, m => AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(m)}[/]"), linked.Token).ConfigureAwait(false);
            var commerceLater = await DemoCommerce.RunAsync(client, world, fleet, m => AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(m)}[/]"), linked.Token).ConfigureAwait(false);
            await DemoProvenance.RunAsync(client, keys, status.ChainId, m => AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(m)}[/]"), linked.Token).ConfigureAwait(false);
            await DemoIdentity.RunAsync(client, world, keys, directory, m => AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(m)}[/]"), linked.Token).ConfigureAwait(false);
            var telemetry = new FleetCounters();
            var energyLater = await DemoEnergy.RunAsync(client, world, keys, directory, telemetry, m => AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(m)}[/]"), linked.Token).ConfigureAwait(false);
            var mqtt = await client.GetMqttEndpointAsync(linked.Token).ConfigureAwait(false);
            PrintUrls(url, directory, fleet.Devices[0], $"mqtt://{mqtt.Address}:{mqtt.Port} (topics tl/{status.ChainId}/d/<device>/…)");
            if (seconds > 0)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(seconds));
            }
            var traffic = new DemoTraffic(client, world, rate);
            var trafficTask = traffic.RunAsync(linked.Token);
            var financeTask = financeLater(linked.Token);
            var commerceTask = commerceLater(linked.Token);
            var energyTask = energyLater(linked.Token);
            // The fleet's devices connect to the node's MQTT broker, each with its own session, as real ones would.
            await using var transport = await MqttFleetTransport.CreateAsync("mqtt", client, status.ChainId, fleet.Devices, linked.Token).ConfigureAwait(false);
            var telemetryTask = FleetRunner.RunAsync(transport, fleet, telemetry, TimeSpan.FromMilliseconds(500), linked.Token);
            await ShowLiveAsync(client, traffic, telemetry, linked.Token).ConfigureAwait(false);
            await Ignore(trafficTask).ConfigureAwait(false);
            await Ignore(telemetryTask).ConfigureAwait(false);
            await Ignore(financeTask).ConfigureAwait(false);
            await Ignore(commerceTask).ConfigureAwait(false);
            await Ignore(energyTask).ConfigureAwait(false);
            var final = await client.GetStatusAsync(CancellationToken.None).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"stopped at height [bold]{final.Height}[/] after {traffic.Submitted} demo txs; the chain stays in {Markup.Escape(directory)}");
            AnsiConsole.MarkupLine($"resume with: [bold]thingledger demo --data {Markup.Escape(directory)}[/]");
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine($"stopped; the chain stays in {Markup.Escape(directory)}");
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
        return 0;
    }

    private static void PrintUrls(string url, string directory, SimulatedDevice car, string mqtt)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("what").AddColumn("where");
        table.AddRow("explorer (open in a browser)", url + "/");
        table.AddRow("MQTT for devices (the fleet is connected)", mqtt);
        table.AddRow("a simulated car in the explorer", $"{url}/devices/{car.Key.Address}");
        table.AddRow("the neighbourhood's energy market", $"{url}/energy/{DemoEnergy.Market}");
        table.AddRow("identity: who is trusted to issue what", $"{url}/id");
        table.AddRow("node API", url + "/v1/status");
        table.AddRow("API explorer (Swagger UI)", url + "/swagger");
        table.AddRow("OpenAPI document", url + "/openapi/v1.json");
        table.AddRow("live block events (SSE)", url + "/v1/events");
        table.AddRow("metrics (Prometheus)", url + "/metrics");
        table.AddRow("health", url + "/health");
        AnsiConsole.Write(table);
        var d = directory.Contains(' ', StringComparison.Ordinal) ? $"\"{directory}\"" : directory;
        AnsiConsole.MarkupLine("try, in another terminal:");
        AnsiConsole.MarkupLine($"  [bold]thingledger token list --node {url}[/]");
        AnsiConsole.MarkupLine($"  [bold]thingledger device list --org voltmotors --node {url}[/]");
        AnsiConsole.MarkupLine($"  [bold]thingledger state get tokens/token/VOLT --proof --data {Markup.Escape(d)} --node {url}[/]");
        AnsiConsole.MarkupLine($"  [bold]thingledger device history {car.Key.Address} --node {url}[/]");
        AnsiConsole.MarkupLine($"  [bold]thingledger device receipt {car.Key.Address} 3 --out receipt.json --data {Markup.Escape(d)} --node {url}[/]");
        AnsiConsole.MarkupLine($"  [bold]thingledger verify receipt.json --genesis {Markup.Escape(Path.Combine(d, "genesis.json"))}[/]");
        AnsiConsole.MarkupLine("Ctrl+C stops the node.");
    }

    private static async Task ShowLiveAsync(ThingLedgerClient client, DemoTraffic traffic, FleetCounters telemetry, CancellationToken cancellationToken)
    {
        try
        {
            await ShowRatesAsync(client, traffic, telemetry, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping in the middle of asking the node for figures is stopping.
        }
    }

    private static async Task ShowRatesAsync(ThingLedgerClient client, DemoTraffic traffic, FleetCounters telemetry, CancellationToken cancellationToken)
    {
        var last = await client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        var lastReadings = telemetry.Accepted;
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        while (await Tick(timer, cancellationToken).ConfigureAwait(false))
        {
            var now = await client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
            var seconds = clock.Elapsed.TotalSeconds;
            var rate = (now.CommittedTxs - last.CommittedTxs) / seconds;
            var readings = telemetry.Accepted;
            clock.Restart();
            var volt = await client.GetTokenAsync(DemoScenario.Volt, cancellationToken).ConfigureAwait(false);
            var anchored = (await client.GetTelemetryStatusAsync(cancellationToken).ConfigureAwait(false)).AnchoredReadings;
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture,
                "height [bold]{0}[/] · [bold]{1:F0}[/] tx/s · [bold]{2:F0}[/] readings/s · committed {3} · pending {4} · readings anchored {5} · VOLT supply {6} · refused {7}",
                now.Height, rate, (readings - lastReadings) / seconds, now.CommittedTxs, now.PendingTxs, anchored, volt?.Supply ?? "0", traffic.Refused + telemetry.Rejected);
            last = now;
            lastReadings = readings;
        }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task Ignore(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Traffic stops with the demo.
        }
    }
}
