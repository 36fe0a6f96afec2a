using ThingLedger.Core.Ledger;
using ThingLedger.Execution;

namespace ThingLedger.Node.Explorer;

/// <summary>
/// A tx payload as named fields, described by the operation that owns it (each module's
/// <see cref="OperationTable"/> holds a describer beside the decoder execution uses). A payload
/// that does not decode, or names no registered operation (the tx then failed), yields null.
/// </summary>
public static class PayloadFields
{
    public static IReadOnlyList<PayloadField>? Describe(StateMachine machine, Transaction tx) =>
        machine.Modules.FirstOrDefault(m => m.Name == tx.Module)?.Operations.Describe(tx.Operation, tx.Payload);
}
