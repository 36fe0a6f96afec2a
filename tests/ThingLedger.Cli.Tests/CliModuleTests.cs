using System.CommandLine;
using ThingLedger.Cli.Modules;
using ThingLedger.Execution;

namespace ThingLedger.Cli.Tests;

public class CliModuleTests
{
    private sealed class Orphan : CliModule
    {
        public override string Module => "tokens";

        public override IEnumerable<Command> Commands() => [new Command("coins")];

        public override IEnumerable<(string Under, Command Command)> Extensions() => [("wallet", new Command("balance"))];
    }

    private sealed class Clash : CliModule
    {
        public override string Module => "market";

        public override IEnumerable<Command> Commands() => [new Command("coins")];
    }

    [Fact]
    public void Every_module_adds_its_commands_and_telemetry_adds_its_own_under_device()
    {
        var modules = CliModules.Load(ModuleCatalog.Create());
        Assert.Equal(ModuleCatalog.Create().All.Select(m => m.Name), modules.Select(m => m.Module));
        var device = Assert.Single(CliModules.Commands(modules), c => c.Name == "device");
        Assert.Equal(["register", "prove", "list", "show", "transfer", "revoke", "send", "import", "mqtt-password", "history", "latest", "receipt"], device.Subcommands.Select(c => c.Name));
    }

    [Fact]
    public void A_subcommand_under_a_command_no_module_has_is_refused()
    {
        var modules = ModuleCatalog.Create().Parts<CliModule>([typeof(Orphan)], p => p.Module);
        var e = Assert.Throws<ModuleRegistrationException>(() => CliModules.Commands(modules));
        Assert.Equal("module 'tokens' adds `balance` under `thingledger wallet`, which no module has", e.Message);
    }

    [Fact]
    public void Two_modules_adding_one_command_are_refused()
    {
        var modules = ModuleCatalog.Create().Parts<CliModule>([typeof(Orphan), typeof(Clash)], p => p.Module);
        Assert.Equal("two modules add the command `thingledger coins`", Assert.Throws<ModuleRegistrationException>(() => CliModules.Commands(modules)).Message);
    }
}
