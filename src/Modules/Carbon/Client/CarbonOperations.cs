using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Carbon;

namespace ThingLedger.Client;

/// <summary>The carbon module's operations, ready to sign.</summary>
public static partial class Operations
{
    [Builds(CarbonNames.ModuleName, CarbonNames.RegisterMethodology)]
    public static Operation RegisterMethodology(Methodology methodology) =>
        Operation.Of(CarbonNames.ModuleName, CarbonNames.RegisterMethodology, methodology);

    [Builds(CarbonNames.ModuleName, CarbonNames.Claim)]
    public static Operation ClaimCredits(string methodology, Address vehicle, ushort period) =>
        Operation.Of(CarbonNames.ModuleName, CarbonNames.Claim, new ClaimPayload(methodology, vehicle, period, string.Empty));

    /// <summary>The verifier's co-signature: issues the claimed credits.</summary>
    [Builds(CarbonNames.ModuleName, CarbonNames.Verify)]
    public static Operation VerifyClaim(string methodology, Address vehicle, ushort period, string note) =>
        Operation.Of(CarbonNames.ModuleName, CarbonNames.Verify, new ClaimPayload(methodology, vehicle, period, note));

    [Builds(CarbonNames.ModuleName, CarbonNames.Reject)]
    public static Operation RejectClaim(string methodology, Address vehicle, ushort period, string reason) =>
        Operation.Of(CarbonNames.ModuleName, CarbonNames.Reject, new ClaimPayload(methodology, vehicle, period, reason));

    [Builds(CarbonNames.ModuleName, CarbonNames.Retire)]
    public static Operation RetireCredits(string symbol, UInt128 grams, string beneficiary, string reason) =>
        Operation.Of(CarbonNames.ModuleName, CarbonNames.Retire, new RetirePayload(symbol, grams, beneficiary, reason));
}
