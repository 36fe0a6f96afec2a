using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution;

/// <summary>
/// A module: a named set of operations over its own slice of state (keys start with its name).
/// Handlers must be deterministic: no clock, no randomness, no floating point, no unordered iteration.
/// </summary>
public interface IModule
{
    string Name { get; }

    /// <summary>
    /// Its operations, each with its payload decoder, access and handler. On failure of a
    /// handler the state machine discards every write it made.
    /// </summary>
    OperationTable Operations { get; }

    /// <summary>Writes the module's genesis state.</summary>
    void InitGenesis(Genesis genesis, StateView state);
}

/// <summary>
/// Told of every device summary an anchor applies, inside the anchor tx, after telemetry has
/// recorded it (so telemetry knows no other module). An observer never fails the anchor: it
/// records what it can and says what it could not in events.
/// </summary>
public interface ISummaryObserver
{
    void OnSummary(TxContext context, Core.Telemetry.DeviceSummary summary);
}
