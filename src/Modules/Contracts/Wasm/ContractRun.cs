using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Contracts.Wasm;

/// <summary>
/// What one run of contract code (a tx's call and every call it makes, or a query) shares: the
/// state it reads and writes, the gas meter, who signed, the block, and whether it may write.
/// A query has no tx: it reads committed state and may not write, pay or emit.
/// </summary>
internal sealed class ContractRun
{
    /// <summary>A tx's run: writes go to the tx's view (discarded with the tx if it fails).</summary>
    public ContractRun(TxContext context)
    {
        Tx = context;
        State = context.State;
        Gas = context.Gas;
        Signer = context.Signer;
        Height = context.Height;
        Time = context.Timestamp;
        MemberOf = address => context.Members.Find(context.State, address, context.Height);
    }

    /// <summary>A query: reads <paramref name="state"/> at <paramref name="height"/>, charged to <paramref name="gas"/>.</summary>
    public ContractRun(StateView state, GasMeter gas, Address signer, ulong height, ulong time, IMembershipDirectory members)
    {
        MemberOf = address => members.Find(state, address, height);
        State = state;
        Gas = gas;
        Signer = signer;
        Height = height;
        Time = time;
    }

    public TxContext? Tx { get; }

    /// <summary>The organisation and roles of an address in this run's state (call policies check the signer).</summary>
    public Func<Address, Membership?> MemberOf { get; }

    public bool ReadOnly => Tx is null;

    public StateView State { get; }

    public GasMeter Gas { get; }

    public Address Signer { get; }

    public ulong Height { get; }

    public ulong Time { get; }

    /// <summary>What the tx attached to its call (moved to the contract before it runs); none for queries.</summary>
    public (string Token, UInt128 Amount) Deposit { get; init; } = (string.Empty, UInt128.Zero);

    /// <summary>The contracts on the call stack, outermost first (a contract may appear once: no re-entrancy).</summary>
    public List<string> Stack { get; } = [];
}

/// <summary>A host function ends the run: the contract reverted or broke a rule of the ABI. Carries the tx's outcome.</summary>
internal sealed class ContractAbort(Outcome outcome) : Exception(outcome.ErrorCode)
{
    public Outcome Outcome { get; } = outcome;
}
