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

/// <summary>Looks up who an address is and who validates; implemented by the Identity module, used by the others.</summary>
public interface IMembershipDirectory
{
    /// <summary>The address's organisation and roles at <paramref name="height"/>; null when it has none or its organisation is not (or no longer) a member.</summary>
    Membership? Find(StateView state, Core.Crypto.Address address, ulong height);

    /// <summary>Whether <paramref name="org"/> was ever admitted (it may have left since).</summary>
    bool OrgExists(Core.State.IStateReader state, string org);

    /// <summary>The validator set that certifies block <paramref name="height"/>.</summary>
    Core.Ledger.ValidatorSet ValidatorsAt(StateView state, ulong height);
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
