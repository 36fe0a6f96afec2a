using ThingLedger.Core;

namespace ThingLedger.Execution.Modules.Carbon;

/// <summary>
/// The carbon module's error codes (docs/ERRORS.md, "Carbon"). New codes start with
/// <see cref="Prefix"/>; the kernel refuses at start a code another module or the kernel declares.
/// </summary>
public static class CarbonErrors
{
    public const string Prefix = "CARBON_";

    public const string CarbonMethodologyInvalid = "CARBON_METHODOLOGY_INVALID";

    public const string CarbonMethodologyExists = "CARBON_METHODOLOGY_EXISTS";

    public const string CarbonMethodologyNotFound = "CARBON_METHODOLOGY_NOT_FOUND";

    public const string CarbonPeriodInvalid = "CARBON_PERIOD_INVALID";

    public const string CarbonPeriodOpen = "CARBON_PERIOD_OPEN";

    public const string CarbonAlreadyClaimed = "CARBON_ALREADY_CLAIMED";

    public const string CarbonNotCustodian = "CARBON_NOT_CUSTODIAN";

    public const string CarbonNotEligible = "CARBON_NOT_ELIGIBLE";

    public const string CarbonDataFlagged = "CARBON_DATA_FLAGGED";

    public const string CarbonNothingToCredit = "CARBON_NOTHING_TO_CREDIT";

    public const string CarbonClaimNotFound = "CARBON_CLAIM_NOT_FOUND";

    public const string CarbonClaimDecided = "CARBON_CLAIM_DECIDED";

    public const string CarbonNotVerifier = "CARBON_NOT_VERIFIER";

    public const string CarbonNotACredit = "CARBON_NOT_A_CREDIT";

    [Unprefixed]
    public const string RetireExceedsBalance = "RETIRE_EXCEEDS_BALANCE";
}
