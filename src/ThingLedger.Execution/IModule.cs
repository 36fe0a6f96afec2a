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
