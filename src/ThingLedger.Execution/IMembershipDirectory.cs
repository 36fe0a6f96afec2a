namespace ThingLedger.Execution;

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
