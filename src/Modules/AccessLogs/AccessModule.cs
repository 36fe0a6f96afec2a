using ThingLedger.Core;
using ThingLedger.Core.Ledger;
using F = ThingLedger.Execution.PayloadField;

namespace ThingLedger.Execution.Modules.AccessLogs;

/// <summary>
/// Access logs (docs/ACCESS.md): per subject, entries that record — as a commitment only — that
/// someone was given or checked something of theirs. A subject records its own entries (consent to
/// a credential check); other modules append through <see cref="IAccessLog"/>.
/// </summary>
public sealed class AccessModule : IModule
{
    public string Name => AccessNames.ModuleName;

    public AccessLog Log { get; } = new();

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(AccessErrors));

    public IReadOnlyList<EventType> Events => AccessEvents.All;

    public IReadOnlyList<StateRecordType> StateRecords { get; } =
    [
        StateRecordType.Of("access/entry/", "access log entry", AccessEntry.Read),
        StateRecordType.Number("access/entries/", "entries of a subject's access log"),
    ];

    public OperationTable Operations => _operations ??= new OperationTable()
        .Add(AccessNames.Record, AccessRecordPayload.Read, (context, p) => Log.Append(context, context.Signer, p.Kind, p.Commitment),
            static p => [F.Text("kind", p.Kind), F.Text("commitment", p.Commitment.ToString())]);

    private OperationTable? _operations;

    public void InitGenesis(Genesis genesis, StateView state)
    {
    }
}
