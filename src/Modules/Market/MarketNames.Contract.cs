namespace ThingLedger.Execution.Modules.Market;

/// <summary>The market module's name and its operations' names, shared by the module and the SDK.</summary>
public static class MarketNames
{
    public const string ModuleName = "market";
    public const string Place = "place";
    public const string Cancel = "cancel";
}
