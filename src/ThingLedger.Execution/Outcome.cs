using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution;

/// <summary>
/// What a module handler returns: success, or a stable error code from <see cref="Core.ErrorCodes"/>,
/// optionally with one event of a declared type that says why (<see cref="Because"/>): the only
/// event a failed tx's receipt carries.
/// </summary>
public readonly record struct Outcome(string? ErrorCode)
{
    public static Outcome Ok => default;

    public bool Succeeded => ErrorCode is null;

    /// <summary>The event a failed tx's receipt carries to say why (a contract's revert code and message), or null.</summary>
    public LedgerEvent? Detail { get; init; }

    public static Outcome Fail(string code) => new(code);

    /// <summary>
    /// Fails with <paramref name="code"/> and an event of <paramref name="type"/> explaining it; the
    /// kernel checks the type is declared and charges the event's gas (dropping the event, not the
    /// failure, when it does not fit).
    /// </summary>
    public static Outcome Because(string code, EventType type, params EventAttribute[] attributes) =>
        new(code) { Detail = type.Create(attributes) };

    public static implicit operator Outcome(string code) => new(code);
}
