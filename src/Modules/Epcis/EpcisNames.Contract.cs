namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>The epcis module's name and its operations' names, shared by the module and the SDK (docs/EPCIS.md).</summary>
public static class EpcisNames
{
    public const string ModuleName = "epcis";

    public const string Anchor = "anchor";
    public const string Role = "role";
    public const string Location = "location";
    public const string TagItem = "tag";
}
