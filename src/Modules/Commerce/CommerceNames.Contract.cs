namespace ThingLedger.Execution.Modules.Commerce;

/// <summary>The commerce module's name and its operations' names, shared by the module and the SDK (docs/COMMERCE.md).</summary>
public static class CommerceNames
{
    public const string ModuleName = "commerce";

    public const string Propose = "propose";
    public const string Countersign = "countersign";
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Close = "close";

    public const string Order = "order";
    public const string Repair = "repair";
    public const string Accept = "accept";
    public const string Ship = "ship";
    public const string Confirm = "confirm";
    public const string Release = "release";
    public const string Refund = "refund";
    public const string Cancel = "cancel";
    public const string Dispute = "dispute";
    public const string Resolve = "resolve";

    public const string MapFaults = "map-faults";
}
