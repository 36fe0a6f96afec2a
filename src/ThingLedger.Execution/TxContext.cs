using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution;

/// <summary>Everything a module handler may see and do while executing one transaction.</summary>
public sealed class TxContext
{
    private readonly List<LedgerEvent> _events = [];

    private readonly EventCatalog _declared;

    internal TxContext(Transaction tx, ulong height, ulong timestamp, StateView state, IMembershipDirectory members, GasMeter gas, EventCatalog declared)
    {
        _declared = declared;
        Gas = gas;
        Tx = tx;
        Height = height;
        Timestamp = timestamp;
        State = state;
        Members = members;
    }

    public Transaction Tx { get; }

    public Address Signer => Tx.SignerAddress;

    /// <summary>The height of the block being executed.</summary>
    public ulong Height { get; }

    /// <summary>The block timestamp from the ordering layer (ms since the Unix epoch). Never the local clock.</summary>
    public ulong Timestamp { get; }

    public StateView State { get; }

    /// <summary>The tx's gas: state access and events charge it themselves; a handler charges <see cref="GasMeter.Steps"/> for the stored elements it walks.</summary>
    public GasMeter Gas { get; }

    public IMembershipDirectory Members { get; }

    public IReadOnlyList<LedgerEvent> Events => _events;

    public Membership? SignerMembership => Members.Find(State, Signer, Height);

    /// <summary>The validator set in force for this block.</summary>
    public ValidatorSet Validators => Members.ValidatorsAt(State, Height);

    /// <summary>
    /// UNAUTHORISED unless the signer is an admin of an organisation that runs a validator in
    /// force: who proposes and approves consortium governance (membership, contract lifecycle).
    /// </summary>
    public Outcome CheckGovernor() =>
        SignerMembership is { } m && m.Has(Roles.Admin) && Validators.Orgs.Contains(m.Org) ? Outcome.Ok : Core.ErrorCodes.Unauthorised;

    /// <summary>
    /// Emits an event of a type a registered module declares (<see cref="IModule.Events"/>), with
    /// attributes that type declares; anything else is a faulty module: the tx fails with
    /// <see cref="Core.ErrorCodes.EventNotDeclared"/>.
    /// </summary>
    public void Emit(EventType type, params EventAttribute[] attributes)
    {
        if (!_declared.Contains(type))
        {
            throw new EventNotDeclaredException($"event {type} is declared by no registered module");
        }
        if (_events.Count >= Receipt.MaxEvents)
        {
            throw new TooManyEventsException($"a receipt holds at most {Receipt.MaxEvents} events");
        }
        var e = type.Create(attributes);
        Gas.ChargeEvent(e);
        _events.Add(e);
    }
}
