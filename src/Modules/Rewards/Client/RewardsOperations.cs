using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Rewards;

namespace ThingLedger.Client;

/// <summary>The rewards module's operations, ready to sign.</summary>
public static partial class Operations
{
    [Builds(RewardsNames.ModuleName, RewardsNames.CreateOp)]
    public static Operation CreateProgramme(Programme programme) =>
        Operation.Of(RewardsNames.ModuleName, RewardsNames.CreateOp, programme);

    /// <summary>The device's owner shares its data with a programme, which pays them for it.</summary>
    [Builds(RewardsNames.ModuleName, RewardsNames.Enrol)]
    public static Operation Enrol(string programme, Address device) =>
        Operation.Of(RewardsNames.ModuleName, RewardsNames.Enrol, new ProgrammeDevicePayload(programme, device));

    [Builds(RewardsNames.ModuleName, RewardsNames.ClaimOnboarding)]
    public static Operation ClaimOnboarding(string programme, Address device) =>
        Operation.Of(RewardsNames.ModuleName, RewardsNames.ClaimOnboarding, new ProgrammeDevicePayload(programme, device));

    /// <summary>The signer, owner of <paramref name="device"/>, names who referred them.</summary>
    [Builds(RewardsNames.ModuleName, RewardsNames.Refer)]
    public static Operation Refer(string programme, Address referrer, Address device) =>
        Operation.Of(RewardsNames.ModuleName, RewardsNames.Refer, new ReferPayload(programme, referrer, device));
}
