using ThingLedger.Execution.Modules.Epcis;

namespace ThingLedger.Client;

/// <summary>The epcis module's operations (docs/EPCIS.md).</summary>
public static partial class Operations
{
    /// <summary>A custodian's anchor of the events captured at it (a node builds and submits these itself).</summary>
    [Builds(EpcisNames.ModuleName, EpcisNames.Anchor, ByNode = true)]
    public static Operation AnchorEpcisEvents(EpcisAnchorPayload anchor) => Operation.Of(EpcisNames.ModuleName, EpcisNames.Anchor, anchor);

    /// <summary>An approval, by an admin of a validating organisation, to grant or revoke an organisation's epcis role; it takes effect at a quorum.</summary>
    [Builds(EpcisNames.ModuleName, EpcisNames.Role)]
    public static Operation EpcisRole(string org, EpcisRole role, bool grant) => Operation.Of(EpcisNames.ModuleName, EpcisNames.Role, new EpcisRolePayload(org, role, grant));

    /// <summary>Registers (or moves) a location of the signer's organisation: its SGLN's canonical path (/414/{gln}[/254/{ext}]), country (ISO 3166-1 alpha-2) and position in millionths of a degree.</summary>
    [Builds(EpcisNames.ModuleName, EpcisNames.Location)]
    public static Operation EpcisLocation(string location, string country, int latE6, int lonE6) =>
        Operation.Of(EpcisNames.ModuleName, EpcisNames.Location, new EpcisLocationPayload(location, country, latE6, lonE6));

    /// <summary>Binds an item the signer's organisation commissioned to its tag, a device the organisation registered.</summary>
    [Builds(EpcisNames.ModuleName, EpcisNames.TagItem)]
    public static Operation EpcisTag(string item, Core.Crypto.Address device) => Operation.Of(EpcisNames.ModuleName, EpcisNames.TagItem, new EpcisTagPayload(item, device));
}
