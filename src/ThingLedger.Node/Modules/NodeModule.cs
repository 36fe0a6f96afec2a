using ThingLedger.Execution;

namespace ThingLedger.Node.Modules;

/// <summary>
/// What one module adds to the node: its query service and other services, its HTTP endpoints
/// under /v1, its explorer navigation and the identifiers the explorer's search resolves. Each
/// module's part lives in its folder (src/Modules/{Name}/Node) and is found by
/// <see cref="NodeModules.Load(ModuleCatalog)"/>; the module itself is registered once, in <see cref="ModuleCatalog"/>.
/// </summary>
public abstract class NodeModule
{
    /// <summary>The name the module registered with in <see cref="ModuleCatalog"/>.</summary>
    public abstract string Module { get; }

    /// <summary>Registers the module's services; its query service is the one place its API and explorer pages read from.</summary>
    public virtual void AddServices(IServiceCollection services)
    {
    }

    /// <summary>Maps the module's read endpoints under /v1.</summary>
    public virtual void MapApi(RouteGroupBuilder v1)
    {
    }

    /// <summary>The module's entries in the explorer's top navigation.</summary>
    public virtual IReadOnlyList<ExplorerLink> Navigation => [];

    /// <summary>
    /// The explorer page that <paramref name="term"/> names exactly in this module (a token symbol,
    /// an organisation id, a device id), or null. Modules are asked in registration order.
    /// </summary>
    public virtual string? Find(IServiceProvider services, string term) => null;

    /// <summary>A page to show when no module names <paramref name="term"/> exactly (a partial match), or null.</summary>
    public virtual string? FindLoosely(IServiceProvider services, string term) => null;
}

/// <summary>One link in the explorer's top navigation.</summary>
public sealed record ExplorerLink(string Href, string Label);

/// <summary>Finds the node parts of the registered modules.</summary>
public static class NodeModules
{
    /// <summary>
    /// One instance of every <see cref="NodeModule"/> in the node, in the catalog's registration
    /// order. A part naming no registered module, or two parts for one module, stop the node at start.
    /// </summary>
    public static IReadOnlyList<NodeModule> Load(ModuleCatalog catalog) => Load(catalog, typeof(NodeModule).Assembly.GetTypes());

    /// <summary>The node parts among <paramref name="types"/> (tests pass their own).</summary>
    public static IReadOnlyList<NodeModule> Load(ModuleCatalog catalog, IEnumerable<Type> types) => catalog.Parts<NodeModule>(types, p => p.Module);

    internal static IServiceCollection AddModules(this IServiceCollection services, IReadOnlyList<NodeModule> modules)
    {
        services.AddSingleton(modules);
        foreach (var module in modules)
        {
            module.AddServices(services);
        }
        return services;
    }

    internal static RouteGroupBuilder MapModuleApis(this RouteGroupBuilder v1, IReadOnlyList<NodeModule> modules)
    {
        foreach (var module in modules)
        {
            module.MapApi(v1);
        }
        return v1;
    }
}
