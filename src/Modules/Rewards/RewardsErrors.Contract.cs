using ThingLedger.Core;

namespace ThingLedger.Execution.Modules.Rewards;

/// <summary>
/// The rewards module's error codes (docs/ERRORS.md, "Rewards"). New codes start with
/// <see cref="Prefix"/>; the kernel refuses at start a code another module or the kernel declares.
/// </summary>
public static class RewardsErrors
{
    public const string Prefix = "REWARDS_";

    [Unprefixed]
    public const string ProgrammeInvalid = "PROGRAMME_INVALID";

    [Unprefixed]
    public const string ProgrammeExists = "PROGRAMME_EXISTS";

    [Unprefixed]
    public const string ProgrammeNotFound = "PROGRAMME_NOT_FOUND";

    [Unprefixed]
    public const string AlreadyEnrolled = "ALREADY_ENROLLED";

    [Unprefixed]
    public const string RewardAlreadyPaid = "REWARD_ALREADY_PAID";

    [Unprefixed]
    public const string RewardCapReached = "REWARD_CAP_REACHED";

    [Unprefixed]
    public const string ProgrammeBudgetExhausted = "PROGRAMME_BUDGET_EXHAUSTED";

    [Unprefixed]
    public const string SelfReferral = "SELF_REFERRAL";

    [Unprefixed]
    public const string RewardNotOffered = "REWARD_NOT_OFFERED";
}
