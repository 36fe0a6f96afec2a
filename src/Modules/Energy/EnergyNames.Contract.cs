namespace ThingLedger.Execution.Modules.Energy;

/// <summary>The energy module's name and its operations' names, shared by the module and the SDK (docs/ENERGY.md).</summary>
public static class EnergyNames
{
    public const string ModuleName = "energy";

    public const string Market = "market";
    public const string Join = "join";
    public const string Fund = "fund";
    public const string Leave = "leave";
    public const string Offer = "offer";
    public const string Bid = "bid";
    public const string Flex = "flex";
    public const string Commit = "commit";
    public const string Clear = "clear";
    public const string Settle = "settle";
}
