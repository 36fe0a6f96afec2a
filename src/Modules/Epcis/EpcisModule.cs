using ThingLedger.Core;

namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>
/// Supply-chain provenance on GS1 EPCIS 2.0 (docs/EPCIS.md). What is built so far is its GS1
/// identifiers (<see cref="Gs1Id"/>), used by its command line; it has no operations on chain yet.
/// </summary>
public sealed class EpcisModule : IModule
{
    public const string ModuleName = "epcis";

    public string Name => ModuleName;

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(Gs1Errors));

    public OperationTable Operations { get; } = new();

    public void InitGenesis(Core.Ledger.Genesis genesis, StateView state)
    {
    }
}
