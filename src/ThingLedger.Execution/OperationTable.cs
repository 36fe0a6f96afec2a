using ThingLedger.Core;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution;

/// <summary>Who may submit an operation, checked at admission against committed state (and again by its handler).</summary>
public enum Access
{
    /// <summary>Any key, registered or not (a holder moving its tokens, a device owner claiming).</summary>
    Anyone,

    /// <summary>Only a member of an organisation in force; the handler checks the roles it needs.</summary>
    Members,
}

/// <summary>
/// A module's operations: for each, the payload's strict decoder, who may submit it, and its
/// handler. One table serves admission (<see cref="Check"/>: route, decode and access, with no
/// state written) and execution (<see cref="Execute"/>), so the two cannot disagree about what
/// an operation's payload is.
/// </summary>
public sealed class OperationTable
{
    private delegate Outcome Runner(TxContext context, ReadOnlySpan<byte> payload);

    private delegate bool Decoder(ReadOnlySpan<byte> payload);

    private delegate IReadOnlyList<PayloadField>? Describer(ReadOnlySpan<byte> payload);

    private sealed record Entry(Runner Run, Decoder Decodes, Describer Describes, Access Access);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds an operation whose payload <paramref name="read"/> decodes strictly, run by
    /// <paramref name="run"/>, and shown field by field by <paramref name="describe"/> (explorer, CLI).
    /// </summary>
    /// <exception cref="ModuleRegistrationException">The name is taken or is not an operation name.</exception>
    public OperationTable Add<T>(string name, Payload.Reader<T> read, Func<TxContext, T, Outcome> run, Func<T, PayloadField[]> describe, Access access = Access.Anyone)
    {
        if (!Identifiers.IsModuleName(name))
        {
            throw new ModuleRegistrationException($"operation name '{name}' is not 1–32 of a-z, 0-9 and '-' starting with a letter");
        }
        if (_entries.ContainsKey(name))
        {
            throw new ModuleRegistrationException($"operation '{name}' is added twice to one module");
        }
        _entries.Add(name, new Entry(
            (context, payload) => Payload.TryDecode(payload, read, out var value, plainText: context.Tx.IsMetered) ? run(context, value) : ErrorCodes.PayloadMalformed,
            payload => Payload.TryDecode(payload, read, out _, plainText: true),
            payload => Payload.TryDecode(payload, read, out var value) ? describe(value) : null,
            access));
        return this;
    }

    public IReadOnlyCollection<string> Names => _entries.Keys;

    public bool Contains(string operation) => _entries.ContainsKey(operation);

    /// <summary>Who may submit <paramref name="operation"/> (<see cref="Access.Anyone"/> for an unknown one).</summary>
    public Access AccessOf(string operation) => _entries.TryGetValue(operation, out var entry) ? entry.Access : Access.Anyone;

    /// <summary>UNKNOWN_OPERATION, PAYLOAD_MALFORMED (also for text with format characters) or null: what admission can tell without state.</summary>
    public string? Check(string operation, ReadOnlySpan<byte> payload) =>
        !_entries.TryGetValue(operation, out var entry) ? ErrorCodes.UnknownOperation
        : entry.Decodes(payload) ? null
        : ErrorCodes.PayloadMalformed;

    /// <summary>The payload's fields, or null when the operation is unknown or the payload does not decode for it.</summary>
    public IReadOnlyList<PayloadField>? Describe(string operation, ReadOnlySpan<byte> payload) =>
        _entries.TryGetValue(operation, out var entry) ? entry.Describes(payload) : null;

    public Outcome Execute(TxContext context, string operation, ReadOnlySpan<byte> payload) =>
        _entries.TryGetValue(operation, out var entry) ? entry.Run(context, payload) : ErrorCodes.UnknownOperation;
}
