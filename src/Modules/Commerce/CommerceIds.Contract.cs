using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Commerce;

/// <summary>How commerce names what it stores, the same in execution and in the SDK.</summary>
public static class CommerceIds
{
    public const string AgreementTag = "thingledger/commerce/agreement/v1";

    /// <summary>SHA-256(str(tag) ‖ address owner ‖ str counterparty ‖ str reference): one agreement per owner, counterparty and reference.</summary>
    public static Hash Agreement(Address owner, string counterparty, string reference)
    {
        var bytes = new byte[CanonicalSizes.String(AgreementTag) + Address.Size + CanonicalSizes.String(counterparty) + CanonicalSizes.String(reference)];
        var writer = new SpanWriter(bytes);
        writer.WriteString(AgreementTag);
        writer.WriteAddress(owner);
        writer.WriteString(counterparty);
        writer.WriteString(reference);
        return Hash.Sha256(bytes);
    }
}
