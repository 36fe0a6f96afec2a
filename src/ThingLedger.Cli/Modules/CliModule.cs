using System.CommandLine;
using ThingLedger.Execution;

namespace ThingLedger.Cli.Modules;

/// <summary>
/// What one module adds to the `thingledger` command: its top-level commands, and subcommands it
/// adds under another module's command (telemetry's `device history`). Each module's part lives in
/// its folder (src/Modules/{Name}/Cli) and is found by <see cref="CliModules.Load"/>; the module
/// itself is registered once, in <see cref="ModuleCatalog"/>.
/// </summary>
internal abstract class CliModule
{
    /// <summary>The name the module registered with in <see cref="ModuleCatalog"/>.</summary>
    public abstract string Module { get; }

    /// <summary>The module's top-level commands, in the order `thingledger --help` lists them.</summary>
    public abstract IEnumerable<Command> Commands();

    /// <summary>Subcommands this module adds under a command another module owns, by that command's name.</summary>
    public virtual IEnumerable<(string Under, Command Command)> Extensions() => [];
}

internal static class CliModules
{
    /// <summary>Every module's CLI part, in registration order.</summary>
    public static IReadOnlyList<CliModule> Load(ModuleCatalog catalog) => catalog.Parts<CliModule>(typeof(CliModule).Assembly.GetTypes(), p => p.Module);

    /// <summary>
    /// The modules' commands, each module's extensions attached under the command they name; an
    /// extension under a command no module has, or two top-level commands of one name, are refused.
    /// </summary>
    public static IReadOnlyList<Command> Commands(IReadOnlyList<CliModule> modules)
    {
        List<Command> commands = [.. modules.SelectMany(m => m.Commands())];
        var byName = new Dictionary<string, Command>(StringComparer.Ordinal);
        foreach (var command in commands)
        {
            if (!byName.TryAdd(command.Name, command))
            {
                throw new ModuleRegistrationException($"two modules add the command `thingledger {command.Name}`");
            }
        }
        foreach (var module in modules)
        {
            foreach (var (under, command) in module.Extensions())
            {
                if (!byName.TryGetValue(under, out var parent))
                {
                    throw new ModuleRegistrationException($"module '{module.Module}' adds `{command.Name}` under `thingledger {under}`, which no module has");
                }
                parent.Subcommands.Add(command);
            }
        }
        return commands;
    }
}
