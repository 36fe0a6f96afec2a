using System.CommandLine;
using ThingLedger.Cli;
using ThingLedger.Cli.Bench;
using ThingLedger.Cli.Commands;
using ThingLedger.Cli.Demo;
using ThingLedger.Cli.Simulation;

var root = new RootCommand("thingledger — a permissioned ledger for connected devices.\n" +
    "Start with `thingledger demo`, or `thingledger init` then `thingledger node run`.");
root.Options.Add(CommonOptions.Data);
root.Options.Add(CommonOptions.Node);
root.Options.Add(CommonOptions.Json);
root.Options.Add(CommonOptions.GasLimit);
root.With(
    DemoCommand.Create(),
    SimulateCommand.Create(),
    SetupCommands.Init(),
    SetupCommands.Node(),
    SetupCommands.Keys(),
    IdentityCommands.Org(),
    IdentityCommands.Member(),
    MembershipCommands.Create(),
    DeviceCommands.Device(),
    TelemetryCommands.Schema(),
    ScreeningCommands.Create(),
    TokenCommands.Token(),
    CarbonCommands.Create(),
    MarketCommands.Create(),
    RewardsCommands.Create(),
    ChainCommands.Tx(),
    ChainCommands.Block(),
    ChainCommands.State(),
    ChainCommands.Verify(),
    ThingLedger.Cli.Network.NetworkCommand.Create(),
    BenchCommand.Create());
return await root.Parse(args).InvokeAsync();
