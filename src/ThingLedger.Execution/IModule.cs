using ThingLedger.Core;
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

    /// <summary>
    /// Its error codes and their prefix (<see cref="ModuleErrors.Of"/> over its errors class). A
    /// module that adds no codes of its own (it fails only with kernel codes) declares none.
    /// </summary>
    ModuleErrors? Errors => null;

    /// <summary>The event types it emits (each of this module), with the index topic of each attribute.</summary>
    IReadOnlyList<EventType> Events => [];

    /// <summary>What it stores under which key prefix, so its state is shown decoded (<see cref="StateDescriber"/>).</summary>
    IReadOnlyList<StateRecordType> StateRecords => [];

    /// <summary>Writes the module's genesis state.</summary>
    void InitGenesis(Genesis genesis, StateView state);
}
