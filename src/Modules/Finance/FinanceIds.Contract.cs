using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Finance;

/// <summary>How finance names what it stores, the same in execution and in the SDK.</summary>
public static class FinanceIds
{
    public const string ReceivableTag = "thingledger/finance/receivable/v1";

    /// <summary>SHA-256(str(tag) ‖ address supplier ‖ address buyer ‖ hash invoice): one id per invoice and pair, across the consortium.</summary>
    public static Hash Receivable(Address supplier, Address buyer, Hash invoice)
    {
        var bytes = new byte[CanonicalSizes.String(ReceivableTag) + (2 * Address.Size) + Hash.Size];
        var writer = new SpanWriter(bytes);
        writer.WriteString(ReceivableTag);
        writer.WriteAddress(supplier);
        writer.WriteAddress(buyer);
        writer.WriteHash(invoice);
        return Hash.Sha256(bytes);
    }
}
