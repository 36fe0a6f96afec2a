namespace ThingLedger.Execution.Modules.Devices;

/// <summary>The devices module's name and its operations' names, shared by the module and the SDK.</summary>
public static class DevicesNames
{
    public const string ModuleName = "devices";
    public const string Register = "register";
    public const string Transfer = "transfer";
    public const string Revoke = "revoke";
}
