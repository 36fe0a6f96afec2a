namespace ThingLedger.Execution;

/// <summary>What a member of an organisation may do. Values are stored on chain: never renumber.</summary>
[Flags]
public enum Roles : byte
{
    None = 0,
    Admin = 1,
    Operator = 2,
    DeviceManager = 4,
    Auditor = 8,
    All = Admin | Operator | DeviceManager | Auditor,
}

/// <summary>An address's organisation and roles.</summary>
public readonly record struct Membership(string Org, Roles Roles)
{
    public bool Has(Roles role) => (Roles & role) != 0;
}

public static class RoleNames
{
    private static readonly (Roles Role, string Name)[] Names =
        [(Roles.Admin, "admin"), (Roles.Operator, "operator"), (Roles.DeviceManager, "device-manager"), (Roles.Auditor, "auditor")];

    public static string Format(Roles roles) =>
        string.Join(',', Names.Where(n => (roles & n.Role) != 0).Select(n => n.Name));

    /// <summary>Parses "admin,device-manager"; false on an unknown or empty name.</summary>
    public static bool TryParse(string? text, out Roles roles)
    {
        roles = Roles.None;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var match = Array.FindIndex(Names, n => n.Name == part);
            if (match < 0)
            {
                return false;
            }
            roles |= Names[match].Role;
        }
        return true;
    }
}
