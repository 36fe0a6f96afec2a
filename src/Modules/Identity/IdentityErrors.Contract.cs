using ThingLedger.Core;

namespace ThingLedger.Execution.Modules.Identity;

/// <summary>
/// The identity module's error codes (docs/ERRORS.md, "Identity"). New codes start with
/// <see cref="Prefix"/>; the kernel refuses at start a code another module or the kernel declares.
/// </summary>
public static class IdentityErrors
{
    public const string Prefix = "IDENTITY_";

    [Unprefixed]
    public const string OrgNotFound = "ORG_NOT_FOUND";

    [Unprefixed]
    public const string MemberNotFound = "MEMBER_NOT_FOUND";

    [Unprefixed]
    public const string MemberExists = "MEMBER_EXISTS";

    [Unprefixed]
    public const string InvalidRoles = "INVALID_ROLES";

    [Unprefixed]
    public const string AdminSelfChange = "ADMIN_SELF_CHANGE";

    [Unprefixed]
    public const string OrgExists = "ORG_EXISTS";

    [Unprefixed]
    public const string MembershipInvalid = "MEMBERSHIP_INVALID";

    [Unprefixed]
    public const string EffectiveHeightInvalid = "EFFECTIVE_HEIGHT_INVALID";

    [Unprefixed]
    public const string ProposalNotFound = "PROPOSAL_NOT_FOUND";

    [Unprefixed]
    public const string ProposalClosed = "PROPOSAL_CLOSED";

    [Unprefixed]
    public const string AlreadyApproved = "ALREADY_APPROVED";
}
