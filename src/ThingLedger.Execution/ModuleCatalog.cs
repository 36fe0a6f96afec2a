using ThingLedger.Execution.Modules.Carbon;
using ThingLedger.Execution.Modules.Devices;
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
    ];

    public IdentityModule Identity { get; }

    public DevicesModule Devices { get; }

    public TokensModule Tokens { get; }

    public TelemetryModule Telemetry { get; }

    public IReadOnlyList<IModule> All { get; }

    /// <summary>The built-in modules, and <paramref name="extra"/> ones (tests) built from the same surfaces.</summary>
    public static ModuleCatalog Create(params Func<ModuleCatalog, IModule>[] extra) => new(extra);
}
