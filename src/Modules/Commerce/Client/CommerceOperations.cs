using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Commerce;

namespace ThingLedger.Client;

/// <summary>The commerce module's operations, ready to sign (docs/COMMERCE.md).</summary>
public static partial class Operations
{
    private static Operation Commerce<T>(string operation, T payload) where T : Core.Codec.ICanonical =>
        Operation.Of(CommerceNames.ModuleName, operation, payload);

    /// <summary>The owner's standing agreement; its id is <see cref="CommerceIds.Agreement"/> of the signer, counterparty and reference.</summary>
    [Builds(CommerceNames.ModuleName, CommerceNames.Propose)]
    public static Operation ProposeAgreement(AgreementTerms terms) => Commerce(CommerceNames.Propose, terms);

    [Builds(CommerceNames.ModuleName, CommerceNames.Countersign)]
    public static Operation CountersignAgreement(Hash agreement) => Commerce(CommerceNames.Countersign, new AgreementPayload(agreement));

    [Builds(CommerceNames.ModuleName, CommerceNames.Pause)]
    public static Operation PauseAgreement(Hash agreement) => Commerce(CommerceNames.Pause, new AgreementPayload(agreement));

    [Builds(CommerceNames.ModuleName, CommerceNames.Resume)]
    public static Operation ResumeAgreement(Hash agreement) => Commerce(CommerceNames.Resume, new AgreementPayload(agreement));

    [Builds(CommerceNames.ModuleName, CommerceNames.Close)]
    public static Operation CloseAgreement(Hash agreement) => Commerce(CommerceNames.Close, new AgreementPayload(agreement));

    /// <summary>An order the device signs with its own key.</summary>
    [Builds(CommerceNames.ModuleName, CommerceNames.Order)]
    public static Operation DeviceOrder(Hash agreement, string sku, uint units, UInt128 unitPrice) =>
        Commerce(CommerceNames.Order, new DeviceOrderPayload(agreement, sku, units, unitPrice));

    [Builds(CommerceNames.ModuleName, CommerceNames.Repair)]
    public static Operation OpenRepair(Hash agreement, Address device, uint day, string category) =>
        Commerce(CommerceNames.Repair, new RepairPayload(agreement, device, day, category));

    [Builds(CommerceNames.ModuleName, CommerceNames.Accept)]
    public static Operation AcceptOrder(Hash agreement, uint order) => Commerce(CommerceNames.Accept, new OrderPayload(agreement, order));

    [Builds(CommerceNames.ModuleName, CommerceNames.Ship)]
    public static Operation ShipOrder(Hash agreement, uint order, string tracking) => Commerce(CommerceNames.Ship, new ShipPayload(agreement, order, tracking));

    [Builds(CommerceNames.ModuleName, CommerceNames.Confirm)]
    public static Operation ConfirmOrder(Hash agreement, uint order) => Commerce(CommerceNames.Confirm, new OrderPayload(agreement, order));

    [Builds(CommerceNames.ModuleName, CommerceNames.Release)]
    public static Operation ReleasePayment(Hash agreement, uint order) => Commerce(CommerceNames.Release, new OrderPayload(agreement, order));

    [Builds(CommerceNames.ModuleName, CommerceNames.Refund)]
    public static Operation RefundOrder(Hash agreement, uint order) => Commerce(CommerceNames.Refund, new OrderPayload(agreement, order));

    [Builds(CommerceNames.ModuleName, CommerceNames.Cancel)]
    public static Operation CancelOrder(Hash agreement, uint order) => Commerce(CommerceNames.Cancel, new OrderPayload(agreement, order));

    [Builds(CommerceNames.ModuleName, CommerceNames.Dispute)]
    public static Operation DisputeOrder(Hash agreement, uint order) => Commerce(CommerceNames.Dispute, new OrderPayload(agreement, order));

    [Builds(CommerceNames.ModuleName, CommerceNames.Resolve)]
    public static Operation ResolveOrder(Hash agreement, uint order, ushort ownerShareBps) =>
        Commerce(CommerceNames.Resolve, new ResolvePayload(agreement, order, ownerShareBps));

    [Builds(CommerceNames.ModuleName, CommerceNames.MapFaults)]
    public static Operation MapFaults(string schema, ushort version, params FaultEntry[] faults) =>
        Commerce(CommerceNames.MapFaults, new FaultMapPayload(schema, version, faults));
}
