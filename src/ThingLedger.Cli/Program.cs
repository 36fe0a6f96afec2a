using System.CommandLine;
using ThingLedger.Cli;
using ThingLedger.Cli.Bench;
using ThingLedger.Cli.Commands;
using ThingLedger.Cli.Demo;
using ThingLedger.Cli.Modules;
using ThingLedger.Cli.Simulation;
using ThingLedger.Execution;

var root = new RootCommand("thingledger — a permissioned ledger for connected devices.\n" +
    "Start with `thingledger demo`, or `thingledger init` then `thingledger node run`.");
root.Options.Add(CommonOptions.Data);
root.Options.Add(CommonOptions.Node);
root.Options.Add(CommonOptions.Json);
root.Options.Add(CommonOptions.GasLimit);
// Each registered module adds its own commands (src/Modules/{Name}/Cli).
root.With([
    DemoCommand.Create(),
    SimulateCommand.Create(),
    SetupCommands.Init(),
    SetupCommands.Node(),
    SetupCommands.Keys(),
    .. CliModules.Commands(CliModules.Load(ModuleCatalog.Create())),
    ChainCommands.Tx(),
    ChainCommands.Block(),
    ChainCommands.State(),
    ChainCommands.Verify(),
    ThingLedger.Cli.Network.NetworkCommand.Create(),
    BenchCommand.Create()]);
return await root.Parse(args).InvokeAsync();
