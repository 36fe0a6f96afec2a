using ThingLedger.Execution.Modules.AccessLogs;
using ThingLedger.Execution.Modules.Carbon;
using ThingLedger.Execution.Modules.Commerce;
using ThingLedger.Execution.Modules.Contracts;
using ThingLedger.Execution.Modules.Credentials;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Energy;
using ThingLedger.Execution.Modules.Epcis;
using ThingLedger.Execution.Modules.Finance;
using ThingLedger.Execution.Modules.Identity;
using ThingLedger.Execution.Modules.Market;
using ThingLedger.Execution.Modules.Rewards;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution;

/// <summary>
/// The one registration list of modules. Each module is built from the surfaces of the modules
/// it depends on (declared interfaces such as <see cref="ITokenLedger"/>, never another module's
/// internals); the state machine, and every host that loops over modules, takes the list from
/// here. Adding a module is a folder and one line in <see cref="Register"/>.
/// </summary>
public sealed class ModuleCatalog
{
    private ModuleCatalog(IEnumerable<Func<ModuleCatalog, IModule>> extra)
    {
        Identity = new IdentityModule();
        Devices = new DevicesModule();
        Tokens = new TokensModule();
        Telemetry = new TelemetryModule(Devices);
        Access = new AccessModule();
        List<IModule> modules = [.. Register(), .. extra.Select(build => build(this))];
        foreach (var observer in modules.OfType<ISummaryObserver>())
        {
            Telemetry.Observe(observer);
        }
        All = modules;
    }

    /// <summary>Every module, in registration order.</summary>
    private IEnumerable<IModule> Register() =>
    [
        Identity,
        Devices,
        Tokens,
        Telemetry,
        new CarbonModule(Tokens.Ledger, Devices, Telemetry, Identity),
        new MarketModule(Tokens.Ledger),
        new RewardsModule(Tokens.Ledger, Devices, Telemetry),
        new ContractsModule(Tokens.Ledger, Devices, Telemetry, Identity),
        new FinanceModule(Tokens.Ledger, Devices, Telemetry),
        new CommerceModule(Tokens.Ledger, Devices, Telemetry),
        new EpcisModule(Devices),
        new EnergyModule(Tokens.Ledger, Devices, Telemetry),
        Access,
        new CredentialsModule(),
    ];

    public IdentityModule Identity { get; }

    public DevicesModule Devices { get; }

    public TokensModule Tokens { get; }

    public TelemetryModule Telemetry { get; }

    /// <summary>Subjects' access logs, which modules that hand out a subject's data append to (<see cref="IAccessLog"/>).</summary>
    public AccessModule Access { get; }

    public IReadOnlyList<IModule> All { get; }

    /// <summary>
    /// A host's parts for the registered modules (node parts, CLI parts: one instance of each
    /// concrete <typeparamref name="TPart"/> in <paramref name="types"/>), in registration order.
    /// A part naming no registered module, or two parts for one module, are refused with
    /// <see cref="ModuleRegistrationException"/>, so the host does not start.
    /// </summary>
    public IReadOnlyList<TPart> Parts<TPart>(IEnumerable<Type> types, Func<TPart, string> module) where TPart : class
    {
        var parts = types
            .Where(t => t.IsSubclassOf(typeof(TPart)) && !t.IsAbstract)
            .Select(t => (TPart)Activator.CreateInstance(t, nonPublic: true)!)
            .ToList();
        var order = All.Select((m, i) => (m.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        foreach (var group in parts.GroupBy(module, StringComparer.Ordinal))
        {
            if (!order.ContainsKey(group.Key))
            {
                throw new ModuleRegistrationException($"{group.First().GetType().Name} is the {typeof(TPart).Name} of module '{group.Key}', which is not registered in ModuleCatalog");
            }
            if (group.Count() > 1)
            {
                throw new ModuleRegistrationException($"module '{group.Key}' has two of {typeof(TPart).Name}: {string.Join(", ", group.Select(p => p.GetType().Name))}");
            }
        }
        return [.. parts.OrderBy(p => order[module(p)])];
    }

    /// <summary>The built-in modules, and <paramref name="extra"/> ones (tests) built from the same surfaces.</summary>
    public static ModuleCatalog Create(params Func<ModuleCatalog, IModule>[] extra) => new(extra);
}
