using ThingLedger.Execution;
using ThingLedger.Node.Modules;

namespace ThingLedger.Node.Tests;

public class NodeModuleTests
{
    private sealed class Stray : NodeModule
    {
        public override string Module => "nowhere";
    }

    private sealed class SecondTokens : NodeModule
    {
        public override string Module => "tokens";
    }

    private sealed class ThirdTokens : NodeModule
    {
        public override string Module => "tokens";
    }

    [Fact]
    public void Every_registered_module_has_one_node_part_in_registration_order()
    {
        var catalog = ModuleCatalog.Create();
        Assert.Equal(catalog.All.Select(m => m.Name), NodeModules.Load(catalog).Select(p => p.Module));
    }

    [Fact]
    public void A_node_part_of_an_unregistered_module_stops_the_node()
    {
        var e = Assert.Throws<ModuleRegistrationException>(() => NodeModules.Load(ModuleCatalog.Create(), [typeof(Stray)]));
        Assert.Equal("Stray is the NodeModule of module 'nowhere', which is not registered in ModuleCatalog", e.Message);
    }

    [Fact]
    public void Two_node_parts_of_one_module_stop_the_node()
    {
        var e = Assert.Throws<ModuleRegistrationException>(() => NodeModules.Load(ModuleCatalog.Create(), [typeof(SecondTokens), typeof(ThirdTokens)]));
        Assert.Equal("module 'tokens' has two of NodeModule: SecondTokens, ThirdTokens", e.Message);
    }
}
