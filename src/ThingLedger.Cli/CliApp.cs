using System.CommandLine;
using ThingLedger.Cli.Bench;
using ThingLedger.Cli.Commands;
using ThingLedger.Cli.Demo;
using ThingLedger.Cli.Modules;
using ThingLedger.Cli.Network;
using ThingLedger.Cli.Simulation;
using ThingLedger.Execution;

namespace ThingLedger.Cli;

/// <summary>The `thingledger` command tree: the kernel's commands and each registered module's.</summary>
internal static class CliApp
{
    public static RootCommand Root()
    {
        var root = new RootCommand("thingledger — a permissioned ledger for connected devices.\n" +
            "Start with `thingledger demo`, or `thingledger init` then `thingledger node run`.");
        root.Options.Add(CommonOptions.Data);
        root.Options.Add(CommonOptions.Node);
        root.Options.Add(CommonOptions.Json);
        root.Options.Add(CommonOptions.Wide);
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
            NetworkCommand.Create(),
            BenchCommand.Create()]);
        return root;
    }
}
