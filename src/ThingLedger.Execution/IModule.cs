using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution;

/// <summary>
/// A module: a named set of operations over its own slice of state (keys start with its name).
/// Handlers must be deterministic: no clock, no randomness, no floating point, no unordered iteration.
/// </summary>
public interface IModule
{
    string Name { get; }

    IReadOnlyCollection<string> Operations { get; }

    /// <summary>Runs one operation; on failure the state machine discards every write it made.</summary>
    Outcome Execute(TxContext context, string operation, ReadOnlySpan<byte> payload);

    /// <summary>Writes the module's genesis state.</summary>
    void InitGenesis(Genesis genesis, StateView state);
}
