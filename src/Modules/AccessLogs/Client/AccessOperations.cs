using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.AccessLogs;

namespace ThingLedger.Client;

/// <summary>The access module's operations, ready to sign (docs/ACCESS.md).</summary>
public static partial class Operations
{
    /// <summary>An entry of the signer's own access log: its kind and the commitment to what it hides.</summary>
    [Builds(AccessNames.ModuleName, AccessNames.Record)]
    public static Operation RecordAccess(string kind, Hash commitment) => Operation.Of(AccessNames.ModuleName, AccessNames.Record, new AccessRecordPayload(kind, commitment));
}
